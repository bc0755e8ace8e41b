"""The task's own settings: name, instructions for the model, prompt style, evidence quotes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from core.prompt import STYLES

from gui.builder.commands import SetTaskAttrs
from gui.builder.draft import TaskDraft
from gui.builder.textbox import TextBoxFilter, set_text


#: The prompt styles offered (core.prompt.STYLES has them all; docs/accuracy.md the measurements).
PROMPT_CHOICES = (("llm_extractinator", "llm_extractinator-compatible (default)"),
                  ("compact", "Compact: plus one line per field"),
                  ("abstractor", "Detailed: field guide and rules"))
PROMPT_TIP = ("How the instructions are written for the model. The default is llm_extractinator's prompt, word "
              "for word: it got the most fields right in Abstractor's measurements (docs/accuracy.md). Compact "
              "adds one line per field, Detailed a field guide and rules; with the embedded model both got "
              "fewer fields right.")
EVIDENCE_TIP = ("After its answers, the model copies the words each answer rests on, so you can check every "
                "answer against the report. The quotes come after the answers because quotes asked before "
                "them cost accuracy with the embedded model and the default prompt (measured, docs/accuracy.md).")


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
        self.style_combo = QComboBox()
        for style, label in PROMPT_CHOICES:
            self.style_combo.addItem(label, style)
            self.style_combo.setItemData(self.style_combo.count() - 1, STYLES[style], Qt.ItemDataRole.ToolTipRole)
        self.style_combo.setToolTip(PROMPT_TIP)
        # as narrow as a short name: the full names are in the drop-down (the window fits 1366 px with the library)
        self.style_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.style_combo.setMinimumContentsLength(14)
        self.evidence_check = QCheckBox("Quote the report with every answer")
        self.evidence_check.setToolTip(EVIDENCE_TIP)
        filt = TextBoxFilter(self, self._new_session)
        for w in (self.name_edit, self.instructions_edit):
            w.installEventFilter(filt)
        form = QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Instructions", self.instructions_edit)
        form.addRow("Prompt", self.style_combo)
        form.addRow(self.evidence_check)   # across both columns: the form stays narrow

        self.name_edit.textEdited.connect(lambda t: self._push({"name": t}, "Rename task", "name"))
        self.instructions_edit.textChanged.connect(lambda: self._push(
            {"instructions": self.instructions_edit.toPlainText()}, "Edit task instructions", "instructions"))
        self.evidence_check.toggled.connect(lambda on: self._push({"evidence": on}, "Change evidence quotes"))
        self.style_combo.activated.connect(lambda i: self._push(
            {"prompt_style": self.style_combo.itemData(i)}, "Change prompt style"))
        draft.events.task_changed.connect(lambda _names: self.refresh())
        draft.events.reset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        set_text(self.name_edit, self.draft.task.name)
        set_text(self.instructions_edit, self.draft.task.instructions)
        self.evidence_check.blockSignals(True)
        self.evidence_check.setChecked(self.draft.task.options.evidence)
        self.evidence_check.blockSignals(False)
        style = self.draft.task.options.prompt_style
        if self.style_combo.findData(style) < 0:  # a measured ablation, set in the task file
            self.style_combo.addItem(STYLES[style], style)
        self.style_combo.setCurrentIndex(self.style_combo.findData(style))

    def _new_session(self) -> None:
        self._session += 1

    def _push(self, values: dict, text: str, merge_as: str | None = None) -> None:
        if all(self.draft.task_attr(k) == v for k, v in values.items()):
            return
        token = (merge_as, self._session) if merge_as else None
        self.stack.push(SetTaskAttrs(self.draft, values, text=text, merge=token))
