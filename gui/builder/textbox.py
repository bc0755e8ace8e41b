"""Small helpers shared by the builder's text boxes."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

ERROR_STYLE = "color: #b00020;"


class TextBoxFilter(QObject):
    """For the builder's text boxes: Ctrl+Z / Ctrl+Y reach the builder's undo stack instead of
    the box's own undo, and leaving a box ends its typing session (the next edit is a new undo step)."""

    def __init__(self, parent: QObject, on_focus_out=None):
        super().__init__(parent)
        self.on_focus_out = on_focus_out

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)):
            event.ignore()
            return True
        if event.type() == QEvent.Type.FocusOut and self.on_focus_out is not None:
            self.on_focus_out()
        return False


def set_text(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Set a text box without echoing the change back as an edit; keep the cursor when equal."""
    current = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    if current != text:
        widget.blockSignals(True)
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
            if not widget.hasFocus():
                widget.setCursorPosition(0)   # a long name shows its start, not its end
        widget.blockSignals(False)
