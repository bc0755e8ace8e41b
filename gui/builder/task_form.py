"""The task's own settings: name, instructions for the model, evidence quotes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from gui.builder.commands import SetTaskAttrs
from gui.builder.draft import TaskDraft
from gui.builder.textbox import TextBoxFilter, set_text


class TaskForm(QGroupBox):
    def __init__(self, draft: TaskDraft, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__("Task", parent)
        self.draft, self.stack = draft, stack
        self._session = 0
        self.name_edit = QLineEdit(placeholderText="e.g. Chest CT – pulmonary nodules")
        self.instructions_edit = QPlainTextEdit()
        self.instructions_edit.setPlaceholderText(
            "What the reports are and how to read them, e.g. Dutch terms and abbreviations.")
        self.instructions_edit.setTabChangesFocus(True)
        self.instructions_edit.setUndoRedoEnabled(False)
        self.instructions_edit.setFixedHeight(96)
        self.instructions_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.instructions_edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.evidence_check = QCheckBox("Quote the report with every answer")
        self.evidence_check.setToolTip("The model first copies the words it relies on, so you can check "
                                       "every answer against the report.")
        filt = TextBoxFilter(self, self._new_session)
        for w in (self.name_edit, self.instructions_edit):
            w.installEventFilter(filt)
        form = QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Instructions", self.instructions_edit)
        form.addRow("", self.evidence_check)

        self.name_edit.textEdited.connect(lambda t: self._push({"name": t}, "Rename task", "name"))
        self.instructions_edit.textChanged.connect(lambda: self._push(
            {"instructions": self.instructions_edit.toPlainText()}, "Edit task instructions", "instructions"))
        self.evidence_check.toggled.connect(lambda on: self._push({"evidence": on}, "Change evidence quotes"))
        draft.events.task_changed.connect(lambda _names: self.refresh())
        draft.events.reset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        set_text(self.name_edit, self.draft.task.name)
        set_text(self.instructions_edit, self.draft.task.instructions)
        self.evidence_check.blockSignals(True)
        self.evidence_check.setChecked(self.draft.task.options.evidence)
        self.evidence_check.blockSignals(False)

    def _new_session(self) -> None:
        self._session += 1

    def _push(self, values: dict, text: str, merge_as: str | None = None) -> None:
        if all(self.draft.task_attr(k) == v for k, v in values.items()):
            return
        token = (merge_as, self._session) if merge_as else None
        self.stack.push(SetTaskAttrs(self.draft, values, text=text, merge=token))
