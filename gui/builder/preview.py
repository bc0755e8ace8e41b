"""Live preview: the exact system prompt the model sees, and the JSON Schema.

Both are derived from the draft with :func:`core.prompt.system_message` and
:func:`core.schema.json_schema`, refreshed shortly (debounced) after every
edit, so typing stays smooth on big tasks.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QWidget

from core.prompt import system_message
from core.schema import json_schema
from gui.builder.draft import TaskDraft

DEBOUNCE_MS = 150


def _text_view(tooltip: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setToolTip(tooltip)
    return view


class PreviewTabs(QTabWidget):
    def __init__(self, draft: TaskDraft, parent: QWidget | None = None):
        super().__init__(parent)
        self.draft = draft
        self.prompt_view = _text_view("The instructions the model reads before every report, exactly as sent.")
        self.schema_view = _text_view("The shape of the answer the model is forced to give (JSON Schema).")
        self.prompt_tab = self.addTab(self.prompt_view, "Model prompt")
        self.schema_tab = self.addTab(self.schema_view, "JSON Schema")
        self.setTabToolTip(self.prompt_tab, "The instructions the model reads before every report")
        self.setTabToolTip(self.schema_tab, "The shape of the answer the model is held to")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh_now)
        draft.events.changed.connect(self.timer.start)
        self.refresh_now()

    @Slot()
    def refresh_now(self) -> None:
        self.timer.stop()
        task = self.draft.task
        try:
            prompt = system_message(task)
            schema = json.dumps(json_schema(task), indent=2, ensure_ascii=False)
        except Exception as exc:  # noqa: BLE001 - a half-built task must never break the editor; the text says why
            prompt = schema = f"The preview is not available for this draft yet: {exc}"
        _set_if_changed(self.prompt_view, prompt)
        _set_if_changed(self.schema_view, schema)


def _set_if_changed(view: QPlainTextEdit, text: str) -> None:
    if view.toPlainText() != text:
        bar = view.verticalScrollBar()
        pos = bar.value()
        view.setPlainText(text)
        bar.setValue(pos)
