"""Accept, flag (with an inline comment, no pop-up), reset, reopen."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core.review import ReportState


class _CommentEdit(QLineEdit):
    cancelled = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class ReviewActions(QWidget):
    accept_requested = Signal()
    flag_requested = Signal(str)
    reset_requested = Signal()
    reopen_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setObjectName("accept_button")
        self.accept_button.setToolTip("Accept the values and go to the next report not yet reviewed (Ctrl+Return)")
        self.accept_button.clicked.connect(self.accept_requested)
        self.flag_button = QPushButton("Flag…", self)
        self.flag_button.setObjectName("flag_button")
        self.flag_button.setToolTip("Flag the report with a comment (Ctrl+Shift+F)")
        self.flag_button.clicked.connect(self.start_flag)
        self.reset_button = QPushButton("Reset to model values", self)
        self.reset_button.setObjectName("reset_button")
        self.reset_button.setToolTip("Undo all corrections of this report (Ctrl+Shift+Backspace)")
        self.reset_button.clicked.connect(self.reset_requested)
        self.reopen_button = QPushButton("Reopen", self)
        self.reopen_button.setToolTip("Mark the report as not yet reviewed")
        self.reopen_button.clicked.connect(self.reopen_requested)
        for b in (self.accept_button, self.flag_button, self.reset_button, self.reopen_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.state = QLabel(self)
        self.state.setObjectName("review_state")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.comment = _CommentEdit(self)
        self.comment.setObjectName("flag_comment")
        self.comment.setPlaceholderText("Why is this report flagged? (Enter saves, Esc cancels)")
        self.comment.returnPressed.connect(self._confirm_flag)
        self.comment.cancelled.connect(self.cancel_flag)
        self.comment_ok = QPushButton("Save flag", self)
        self.comment_ok.clicked.connect(self._confirm_flag)
        self.comment_row = QWidget(self)
        row = QHBoxLayout(self.comment_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.comment, 1)
        row.addWidget(self.comment_ok)
        self.comment.setParent(self.comment_row)
        self.comment_ok.setParent(self.comment_row)
        self.comment_row.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.accept_button, self.flag_button, self.reset_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.comment_row)
        lay.addWidget(self.state)
        self.set_entry(None)

    def set_entry(self, e: ReportState | None) -> None:
        self.cancel_flag()
        usable = e is not None and e.reviewable
        for b in (self.accept_button, self.flag_button):
            b.setEnabled(usable)
        self.reset_button.setEnabled(usable and (e.corrected or e.accepted))
        self.reopen_button.setVisible(e is not None and e.state is not None)
        self.accept_button.setText("Accept again" if e is not None and e.accepted else "Accept")
        self.state.setText(self._state_html(e))
        self.state.setVisible(bool(self.state.text()))

    @staticmethod
    def _state_html(e: ReportState | None) -> str:
        if e is None or e.state is None:
            return ""
        when = html.escape(e.state.at.replace("T", " ")[:16])
        who = html.escape(e.state.reviewer)
        if e.accepted:
            return f"<span style='color:#0b5a2a'>✔ <b>Accepted</b></span> by {who}, {when}"
        comment = f": “{html.escape(e.state.comment)}”" if e.state.comment else ""
        return f"<span style='color:#8a3b00'>⚑ <b>Flagged</b></span> by {who}, {when}{comment}"

    def start_flag(self) -> None:
        if not self.flag_button.isEnabled():
            return
        self.comment_row.show()
        self.comment.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.comment.selectAll()

    def cancel_flag(self) -> None:
        if self.comment_row.isVisible():
            self.comment_row.hide()
            self.comment.clear()

    def _confirm_flag(self) -> None:
        text = self.comment.text().strip()
        self.comment_row.hide()
        self.comment.clear()
        self.flag_requested.emit(text)
