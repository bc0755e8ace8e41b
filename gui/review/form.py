"""The right side of the review: one row per field, plus notices for the report."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QPlainTextEdit, QScrollArea, QToolButton, QVBoxLayout,
                               QWidget)

from core.task import Field
from gui.review.field_row import FieldRow, FieldState

_NOTICE = {
    "info": "QLabel { background: #e8f1fa; color: #10324f; border: 1px solid #a9c6e2; padding: 6px; }",
    "warning": "QLabel { background: #fff4d6; color: #5a4300; border: 1px solid #e0c77a; padding: 6px; }",
    "error": "QLabel { background: #fbe3e4; color: #6b0f14; border: 1px solid #d9a0a4; padding: 6px; }",
}


class ReviewForm(QScrollArea):
    value_edited = Signal(str, object)
    revert_requested = Signal(str)
    use_model_value_requested = Signal(str)
    field_focused = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("review_form")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        self._lay = QVBoxLayout(body)
        self._lay.setContentsMargins(6, 6, 6, 6)
        self.notice = QLabel(body)
        self.notice.setObjectName("review_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.raw_toggle = QToolButton(body)
        self.raw_toggle.setObjectName("raw_toggle")
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.setText("Show the model's raw output")
        self.raw_toggle.toggled.connect(self._toggle_raw)
        self.raw_toggle.hide()
        self.raw = QPlainTextEdit(body)
        self.raw.setObjectName("raw_output")
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setMaximumHeight(160)
        self.raw.hide()
        self._lay.addWidget(self.notice)
        self._lay.addWidget(self.raw_toggle)
        self._lay.addWidget(self.raw)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(2)
        self._lay.addLayout(self._rows_box)
        self._lay.addStretch(1)
        self.setWidget(body)
        self.rows: dict[str, FieldRow] = {}
        self._widgets: list[QWidget] = []
        self._focused_key: str | None = None
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # ---- building ------------------------------------------------------------
    def set_fields(self, fields: list[Field], colours: dict[str, QColor]) -> None:
        for w in self._widgets:
            self._rows_box.removeWidget(w)
            w.hide()
            w.deleteLater()
        self._widgets = []
        self.rows = {}
        for i, f in enumerate(fields):
            if i:
                line = QFrame(self.widget())
                line.setFrameShape(QFrame.Shape.HLine)
                line.setStyleSheet("color: #dddddd;")
                self._rows_box.addWidget(line)
                self._widgets.append(line)
            row = FieldRow(f, colours[f.key], self.widget())
            row.edited.connect(self.value_edited)
            row.revert_requested.connect(self.revert_requested)
            row.use_model_value_requested.connect(self.use_model_value_requested)
            row.title_clicked.connect(self.focus_field)
            self.rows[f.key] = row
            self._rows_box.addWidget(row)
            self._widgets.append(row)
        self._focused_key = None

    def set_states(self, states: dict[str, FieldState], threshold: float, force: bool = True) -> None:
        for key, row in self.rows.items():
            row.set_state(states.get(key, FieldState()), threshold, force)

    def set_notice(self, text: str | None, level: str = "info") -> None:
        self.notice.setVisible(bool(text))
        self.notice.setText(text or "")
        self.notice.setStyleSheet(_NOTICE.get(level, _NOTICE["info"]))

    def set_raw_output(self, raw: str | None) -> None:
        self.raw.setPlainText(raw or "")
        self.raw_toggle.setVisible(bool(raw))
        self.raw_toggle.setChecked(False)
        self.raw.hide()

    def set_editable(self, editable: bool) -> None:
        for row in self.rows.values():
            row.editor.setEnabled(editable)

    # ---- keyboard and focus ----------------------------------------------------
    def commit_pending(self) -> None:
        """Save what is typed but not yet confirmed (before accepting or leaving a report)."""
        for row in list(self.rows.values()):
            row.editor.flush()

    def focus_field(self, key: str) -> None:
        row = self.rows.get(key)
        if row is None:
            return
        self.ensureWidgetVisible(row, 10, 10)
        row.focus_editor()
        if self._focused_key != key or not row.isAncestorOf(QApplication.focusWidget()):
            self._focused_key = key
            self._mark_current(key)
            self.field_focused.emit(key)

    def current_key(self) -> str | None:
        w = QApplication.focusWidget()
        for key, row in self.rows.items():
            if w is not None and row.isAncestorOf(w):
                return key
        return None

    def _mark_current(self, key: str | None) -> None:
        for k, row in self.rows.items():
            row.set_current(k == key)

    def last_focused_key(self) -> str | None:
        return self._focused_key if self._focused_key in self.rows else None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.widget().isAncestorOf(new):
            return
        for key, row in self.rows.items():
            if row.isAncestorOf(new):
                self.ensureWidgetVisible(new, 10, 30)
                if key != self._focused_key:
                    self._focused_key = key
                    self._mark_current(key)
                    self.field_focused.emit(key)
                return

    def _toggle_raw(self, on: bool) -> None:
        self.raw.setVisible(on)
        self.raw_toggle.setText("Hide the model's raw output" if on else "Show the model's raw output")
