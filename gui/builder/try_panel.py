""""Try on this report": run the draft task on one report and show the answers.

The work happens on the engine's worker thread (a queued call through
:class:`gui.engine_host.EngineHost`); this panel only shows a busy
indicator and, when ``host.worker.tried`` arrives, one row per field with
the value, the evidence quote and the confidence.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget)

from core.engine.result import Extraction
from core.task import Field, Task
from gui.builder.draft import TaskDraft

HEADERS = ("Field", "Answer", "Evidence", "Confidence")
NOT_STATED = "— (not stated)"
LOW_CONFIDENCE = 0.5


def format_value(value: Any, field: Field | None = None) -> str:
    """A value in plain words: Yes/No, lists joined, group items as 'Label: value' (labels from ``field``)."""
    if value is None:
        return NOT_STATED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if not value:
            return "none"
        if all(isinstance(v, dict) for v in value):
            return "\n".join(f"{i}. {format_value(v, field)}" for i, v in enumerate(value, 1))
        return "; ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        titles = {f.key: f.title for f in field.fields} if field is not None else {}
        return ", ".join(f"{titles.get(k, k)}: {format_value(v) if v is not None else '—'}"
                         for k, v in value.items())
    return str(value)


class TryPanel(QWidget):
    finished = Signal(object)     # the Extraction shown, or None when the try failed

    def __init__(self, draft: TaskDraft, parent: QWidget | None = None):
        super().__init__(parent)
        self.draft = draft
        self.host = None
        self.report_id: str | None = None
        self.report_text = ""
        self.trying = False
        self.model_ready = False
        self._tried_task: Task | None = None

        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.try_button = QPushButton("Try on this report")
        self.try_button.setToolTip("Run the task as it is now on the selected report, without saving anything.")
        self.stop_button = QPushButton("Stop")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: "working"
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.setFixedWidth(160)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)

        row = QHBoxLayout()
        row.addWidget(self.try_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.busy_bar)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report_label)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)

        self.try_button.clicked.connect(self.try_now)
        self.stop_button.clicked.connect(self.stop)
        draft.events.changed.connect(self._draft_changed)
        self._update_state()

    # ---- inputs --------------------------------------------------------------------
    def set_engine_host(self, host) -> None:
        if self.host is not None:
            w = self.host.worker
            for sig, slot in self._connections():
                getattr(w, sig).disconnect(slot)
        self.host = host
        self.trying = False
        self.model_ready = host is not None and host.worker.engine is not None
        if host is not None:
            for sig, slot in self._connections():
                getattr(host.worker, sig).connect(slot)
        self._update_state()

    def _connections(self):
        # Bound @Slot methods of this QObject: the worker thread's signals arrive queued, in the UI thread.
        return (("tried", self._tried), ("try_failed", self._try_failed),
                ("model_loaded", self._model_loaded), ("model_loading", self._model_gone),
                ("model_failed", self._model_gone), ("run_started", self._run_started),
                ("run_finished", self._run_finished))

    @Slot(str, str)
    def set_report(self, report_id: str, text: str) -> None:
        self.report_id, self.report_text = (report_id or None), text or ""
        self._update_state()

    # ---- actions ---------------------------------------------------------------------
    def reason_not_ready(self) -> str | None:
        """Why "Try" cannot run now, in plain words; None when it can."""
        if self.host is None:
            return "Trying needs a model; open a project with a model to try the task."
        if not self.model_ready:
            return "The model is still loading (or none is chosen)."
        if getattr(self.host, "busy", False):
            return "The model is busy with a run; try again when it has finished."
        if not self.report_id or not self.report_text.strip():
            return "Select a report to try the task on."
        if self.draft.problems():
            return "Fix the problems in the task first (see below)."
        return None

    @Slot()
    def try_now(self) -> None:
        if self.trying or self.reason_not_ready():
            return
        self._tried_task = self.draft.snapshot()
        self.trying = True
        self.status_label.setText("Reading the report…")
        self.host.try_task(self._tried_task, self.report_text)
        self._update_state()

    @Slot()
    def stop(self) -> None:
        if self.trying and self.host is not None:
            self.host.cancel()

    # ---- results -----------------------------------------------------------------------
    @Slot(object)
    def _tried(self, ex: Extraction) -> None:
        if not self.trying:
            return  # someone else's try
        self.trying = False
        self.show_extraction(ex, self._tried_task)
        self._update_state()
        self.finished.emit(ex)

    @Slot(str)
    def _try_failed(self, message: str) -> None:
        if not self.trying:
            return
        self.trying = False
        self.table.setRowCount(0)
        self.status_label.setText(f"The try did not work: {message}")
        self._update_state()
        self.finished.emit(None)

    def show_extraction(self, ex: Extraction, task: Task) -> None:
        self.table.setRowCount(0)
        if ex.status != "ok":
            self.status_label.setText(f"The model could not answer: {ex.reason or 'unknown reason'}")
            return
        self.table.setRowCount(len(task.fields))
        for r, f in enumerate(task.fields):
            answer = QTableWidgetItem(format_value(ex.values.get(f.key), f))
            notes = ex.warnings.get(f.key) or []
            if notes:
                answer.setToolTip("\n".join(notes))
                answer.setText(answer.text() + "  ⚠")
            quote = ex.quotes.get(f.key)
            conf = ex.confidence.get(f.key)
            conf_item = QTableWidgetItem("" if conf is None else f"{conf:.0%}")
            conf_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if conf is not None and conf < LOW_CONFIDENCE:
                conf_item.setForeground(QBrush(QColor("#b00020")))
                conf_item.setToolTip("Low confidence: check this answer.")
            items = (QTableWidgetItem(f.title), answer,
                     QTableWidgetItem(f"“{quote}”" if quote else "—"), conf_item)
            for c, item in enumerate(items):
                self.table.setItem(r, c, item)
        general = ex.warnings.get("") or []
        took = f"Answered in {ex.timings.total_s:.1f} s." if ex.timings.total_s else "Answered."
        self.status_label.setText(" ".join([took, *general]))

    # ---- state ---------------------------------------------------------------------------
    @Slot(dict)
    def _model_loaded(self, _info: dict) -> None:
        self.model_ready = True
        self._update_state()

    @Slot(str)
    def _model_gone(self, _message: str) -> None:
        self.model_ready = False
        self._update_state()

    @Slot(int, int)
    def _run_started(self, _run_id: int, _count: int) -> None:
        self._update_state()

    @Slot(object)
    def _run_finished(self, _summary) -> None:
        self._update_state()

    def _draft_changed(self) -> None:
        if self._tried_task is not None and self.table.rowCount() and not self.trying:
            if self.draft.task != self._tried_task and "changed since" not in self.status_label.text():
                self.status_label.setText(self.status_label.text() + " The task has changed since this try.")
        self._update_state()

    def _update_state(self) -> None:
        reason = self.reason_not_ready()
        self.try_button.setEnabled(not self.trying and reason is None)
        self.try_button.setToolTip(reason or "Run the task as it is now on the selected report, without saving.")
        self.stop_button.setVisible(self.trying)
        self.busy_bar.setVisible(self.trying)
        who = f"Report: {self.report_id}" if self.report_id else "No report selected."
        self.report_label.setText(who if reason is None or self.trying else f"{who}  {reason}")
