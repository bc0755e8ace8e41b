"""One field in the review form: colour, label, confidence, editor, notes."""
from __future__ import annotations

import html
from dataclasses import dataclass, field as dc_field
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from core.task import Field
from gui.review.editors import FieldEditor, make_editor
from gui.review.palette import LOW_CONFIDENCE, OK_CONFIDENCE, line_colour
from core.review.values import display, same

NO_EVIDENCE = "No evidence found in the text"
_UNSET = object()


@dataclass
class FieldState:
    """Everything the row shows for one field of one report."""

    value: Any = None                 # what the editor shows: the value now (core.review.ReportState.value)
    model_value: Any = None           # the model's newest value
    has_result: bool = False          # the model produced usable values
    corrected: bool = False
    corrected_from: Any = None        # the model's value when the reviewer corrected it
    confidence: float | None = None
    evidence: bool | None = None      # None: not applicable
    warnings: list[str] = dc_field(default_factory=list)
    mismatch: str | None = None       # the evidence does not show this value (why), else None
    reviewed_value: Any = _UNSET      # after a re-run: the value accepted, or the model's when flagged
    accepted: bool = False            # the report is accepted (reviewed_value is the accepted value)


class ConfidenceBar(QWidget):
    """A small bar: the model's confidence in a field (the % is in the tooltip)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.value: float | None = None
        self.threshold = 0.5
        self.setFixedSize(QSize(48, 10))
        self.set_value(None)

    def set_value(self, value: float | None, threshold: float | None = None) -> None:
        self.value = value
        if threshold is not None:
            self.threshold = threshold
        if value is None:
            tip = "Model confidence: none (no model value)"
        else:
            tip = f"Model confidence: {round(100 * value)}%"
            if value < self.threshold:
                tip += " — low, check this field"
        self.setToolTip(tip)
        self.setAccessibleName(tip)
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        r = self.rect().adjusted(0, 0, -1, -1)
        p.setPen(QColor("#888888"))
        p.setBrush(QColor("#f2f2f2"))
        p.drawRect(r)
        if self.value is not None:
            colour = LOW_CONFIDENCE if self.value < self.threshold else OK_CONFIDENCE
            w = max(1, round((r.width() - 1) * max(0.0, min(1.0, self.value))))
            p.fillRect(r.x() + 1, r.y() + 1, w, r.height() - 1, colour)
        p.end()


class _Swatch(QLabel):
    def __init__(self, colour: QColor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(12, 12)
        self.setStyleSheet(f"background: {colour.name()}; border: 2px solid {line_colour(colour).name()};"
                           " border-radius: 2px;")


class _Title(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class FieldRow(QFrame):
    edited = Signal(str, object)          # field key, new value
    revert_requested = Signal(str)
    use_model_value_requested = Signal(str)  # take the model's newest value instead of the accepted one
    title_clicked = Signal(str)

    def __init__(self, field: Field, colour: QColor, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.key = field.key
        self.state = FieldState()
        self.current = False
        self.setObjectName(f"row_{field.key}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.swatch = _Swatch(colour, self)
        self.swatch.setToolTip("The colour of this field's evidence in the report")
        title = field.title + (f" ({field.unit})" if field.unit else "")
        self.title = _Title(f"<b>{html.escape(title)}</b>", self)
        self.title.setToolTip(field.description or field.title)
        self.title.clicked.connect(lambda: self.title_clicked.emit(self.key))
        self.confidence = ConfidenceBar(self)
        self.badge = QLabel("Corrected", self)
        self.badge.setObjectName("corrected_badge")
        self.badge.setStyleSheet("QLabel { background: #e8e0f0; color: #3b1f5c; border: 1px solid #b9a5d3;"
                                 " border-radius: 3px; padding: 0 4px; }")
        self.revert = QToolButton(self)
        self.revert.setText("Revert")
        self.revert.setToolTip("Go back to the model's value (Ctrl+Backspace)")
        self.revert.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.revert.clicked.connect(lambda: self.revert_requested.emit(self.key))
        self.editor: FieldEditor = make_editor(field, self)
        self.editor.edited.connect(lambda v: self.edited.emit(self.key, v))
        self.title.setBuddy(self.editor.focus_target())
        self.warning = QLabel(self)
        self.warning.setObjectName("field_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("QLabel { background: #fff4d6; color: #5a4300; border-left: 3px solid #E69F00;"
                                   " padding: 2px 4px; }")
        self.mismatch = QLabel(self)
        self.mismatch.setObjectName("field_mismatch")
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet("QLabel { background: #fde8e0; color: #6b1d00; border-left: 3px solid #D55E00;"
                                    " padding: 2px 4px; }")
        self.note = QLabel(self)
        self.note.setObjectName("field_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { color: #4a4a4a; }")
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.linkActivated.connect(self._link)

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.swatch)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.badge)
        head.addWidget(self.revert)
        head.addWidget(self.confidence)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 3)   # compact: five fields and the report fit at 1366×700
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self.editor)
        lay.addWidget(self.mismatch)
        lay.addWidget(self.warning)
        lay.addWidget(self.note)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.set_state(FieldState())

    def set_state(self, st: FieldState, threshold: float = 0.5, force: bool = True) -> None:
        """Show a field's state; with ``force`` False an editor whose stored value did not
        change keeps what the reviewer is typing in it."""
        self.state = st
        if force or not same(self.field, st.value, self.editor._committed):
            self.editor.set_value(st.value)
        self.confidence.set_value(st.confidence if st.has_result else None, threshold)
        self.confidence.setVisible(st.has_result and st.confidence is not None)
        self.badge.setVisible(st.corrected)
        self.revert.setVisible(st.corrected)
        self.warning.setVisible(bool(st.warnings))
        self.warning.setText("\n".join(f"⚠ {w}" for w in st.warnings))
        self.mismatch.setVisible(st.mismatch is not None)
        self.mismatch.setText(f"⚠ Evidence does not show this value. {st.mismatch}" if st.mismatch else "")
        self.mismatch.setToolTip("The highlighted quote is the model's own evidence, and it does not state "
                                 "this value: check the report before accepting.")
        self.note.setText(self._note_html(st))
        self.note.setVisible(bool(self.note.text()))

    def _d(self, v: Any) -> str:
        return html.escape(display(self.field, v))

    def _note_html(self, st: FieldState) -> str:
        lines: list[str] = []
        f = self.field
        if st.corrected and st.has_result:
            if same(f, st.model_value, st.corrected_from):
                lines.append(f"Model said: {self._d(st.model_value)}")
            else:
                lines.append(f"<b>Model now says: {self._d(st.model_value)}</b> "
                             f"(it said {self._d(st.corrected_from)} when corrected)")
        elif st.corrected:
            lines.append("Entered by hand (no model value)")
        elif st.reviewed_value is not _UNSET and st.has_result and not same(f, st.model_value, st.reviewed_value):
            if st.accepted:
                lines.append(f"<b>Model now says: {self._d(st.model_value)}</b>; you accepted "
                             f"{self._d(st.reviewed_value)}. <a href='use'>Use the new value</a>")
            else:
                lines.append(f"<b>Model now says: {self._d(st.model_value)}</b> "
                             f"(it said {self._d(st.reviewed_value)} when the report was flagged)")
        if st.evidence is False:
            lines.append(f"<i>{NO_EVIDENCE}</i>")
        return "<br>".join(lines)

    def _link(self, href: str) -> None:
        if href == "use" and self.state.accepted:
            self.use_model_value_requested.emit(self.key)

    def note_text(self) -> str:
        """The note as plain text (for tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.note.text())
        return doc.toPlainText()

    def set_current(self, current: bool) -> None:
        """The field being edited gets a light background (its evidence blinks in the text)."""
        self.current = current
        if current:
            pal = self.palette()
            pal.setColor(QPalette.ColorRole.Window, QColor("#eaf2fb"))
            self.setPalette(pal)
        self.setAutoFillBackground(current)

    def focus_editor(self) -> None:
        self.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
