"""The run panel: start, pause, cancel a run and watch it go.

It talks to the engine only through :class:`gui.engine_host.EngineHost`
(calls) and the signals of ``host.worker``; nothing here blocks the UI.
Warnings and errors go to the message list inside the panel, never to a
pop-up.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from core.runner import Progress, RunSummary, run_problem
from core.store.rows import ResultStatus
from core.store.project import Project
from core.task import Task
from gui.engine_host import EngineHost
from gui.run import format as fmt
from gui.run.log_view import RunLog
from gui.run.progress_view import RunProgress



class PanelState(StrEnum):
    IDLE = "idle"               # a run cannot start (core.runner.run_problem says why)
    READY = "ready"
    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLING = "cancelling"


IDLE, READY, STARTING, RUNNING, PAUSED, CANCELLING = PanelState
_BUSY = (STARTING, RUNNING, PAUSED, CANCELLING)

_STYLE = """
QLabel#run_message[level="error"] { background: #fbe3e4; color: #6b0f14; border: 1px solid #d9a0a4;
    border-radius: 3px; padding: 4px; }
QLabel#run_message[level="warning"] { background: #fff4d6; color: #5a4300; border: 1px solid #e0c77a;
    border-radius: 3px; padding: 4px; }
QLabel#run_message[level="info"] { padding: 4px; }
"""


class RunPanel(QWidget):
    """Idle, the panel is one line (what a run would read, the last message, the buttons); during a
    run, or with "Details" on, it also shows the progress, the model and the message list."""

    state_changed = Signal(str)            # idle | ready | starting | running | paused | cancelling
    open_report_requested = Signal(str)    # a report's message in the list was activated
    expanded_changed = Signal(bool)        # the details (progress, model, messages) were shown or hidden

    def __init__(self, host: EngineHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("run_panel")
        self.host = host
        self.project: Project | None = None
        self.task: Task | None = None
        self.selection: list[str] = []
        self.state = IDLE
        self.last_summary: RunSummary | None = None
        self.last_cancel_latency_s: float | None = None
        self._cancel_t: float | None = None
        self._last_error: str | None = None
        self._start_check: Callable[[], bool] | None = None
        self._build()
        w = host.worker
        w.run_started.connect(self._on_started)
        w.progress.connect(self._on_progress)
        w.result.connect(self._on_result)
        w.warning.connect(self._on_warning)
        w.error.connect(self._on_error)
        w.run_finished.connect(self._on_finished)
        w.model_loading.connect(self._on_model_loading)
        w.model_loaded.connect(self._on_model_loaded)
        w.model_failed.connect(self._on_model_failed)
        self._refresh()

    # ---- building -----------------------------------------------------------
    def _build(self) -> None:
        self.setStyleSheet(_STYLE)
        self.which = QComboBox(self)
        self.which.setObjectName("run_which")
        self.which.setAccessibleName("Run on")
        for key in ("not_run", "all", "failed", "selection"):
            self.which.addItem(fmt.WHICH_LABELS[key], key)
        self.which.currentIndexChanged.connect(lambda _i: self._refresh())
        which_label = QLabel("&Run on:", self)
        which_label.setBuddy(self.which)
        self.to_run = QLabel(self)
        self.to_run.setObjectName("run_count")
        self.to_run.setWordWrap(True)

        self.start_button = QPushButton("Start", self)
        self.start_button.setObjectName("run_start")
        self.start_button.setToolTip("Read the chosen reports with the model")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setObjectName("run_pause")
        self.pause_button.setToolTip("Pause after the current step; nothing is lost")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("run_cancel")
        self.cancel_button.setToolTip("Stop the run. Results stored so far are kept; "
                                      "'Reports not yet run' continues later.")
        self.cancel_button.clicked.connect(self.cancel)

        self.progress_view = RunProgress(self)
        pv = self.progress_view
        self.bar, self.current, self.counts, self.speed, self.eta = pv.bar, pv.current, pv.counts, pv.speed, pv.eta
        self.model_label = QLabel(self)
        self.model_label.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("run_message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # one line that gives way to the buttons; the whole text is its tooltip and in the message list
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.rerun_failed_button = QPushButton(self)      # offered when only failed reports are left
        self.rerun_failed_button.setObjectName("run_rerun_failed")
        self.rerun_failed_button.hide()
        self.rerun_failed_button.clicked.connect(self._rerun_failed)
        self.log = RunLog(self)
        self.log.open_report_requested.connect(self.open_report_requested)
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("run_details")
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setToolTip("Show the progress, the model and every message of the runs")
        self.details_button.toggled.connect(lambda _on: self._update_expanded())
        self.details = QWidget(self)
        self.details.setObjectName("run_details_area")

        self.which.setMinimumWidth(160)
        self.which.setMaximumWidth(240)
        which_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.to_run.setWordWrap(False)
        self.to_run.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addWidget(which_label)
        row.addWidget(self.which)
        row.addWidget(self.to_run)
        row.addWidget(self.message, 1)
        row.addWidget(self.rerun_failed_button)
        row.addStretch(0)   # takes the room when there is no message
        for b in (self.start_button, self.pause_button, self.cancel_button):
            b.setMinimumWidth(80)
            b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            row.addWidget(b)
        row.addWidget(self.details_button)
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.progress_view)
        dl.addWidget(self.model_label)
        dl.addWidget(self.log, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addLayout(row)
        # the details scroll rather than make the window taller than a 1366×768 laptop's screen
        self.details_scroll = QScrollArea(self)
        self.details_scroll.setObjectName("run_details_scroll")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setWidget(self.details)
        self.details_scroll.setMinimumHeight(self.progress_view.minimumSizeHint().height())
        lay.addWidget(self.details_scroll, 1)
        self._expanded: bool | None = None

    # ---- public slots -------------------------------------------------------
    @Slot()
    def refresh(self, *_args) -> None:
        """Recount what a run would read (after reports were added, for example)."""
        self._refresh()

    @Slot(object)
    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._refresh()

    @Slot(object)
    def set_task(self, task: Task | None) -> None:
        changed = (task.hash() if task else None) != (self.task.hash() if self.task else None)
        self.task = task
        if changed and self.state not in _BUSY:
            # the last run's counts belong to the previous task: never show them as this task's
            self.last_summary = None
            self.progress_view.show_progress(Progress(), live=False)
            self._say("", "info")
        self._refresh()

    @Slot(list)
    def set_selection(self, report_ids: list[str]) -> None:
        self.selection = list(report_ids)
        self._refresh()

    @Slot(str)
    def set_which(self, which: str) -> None:
        i = self.which.findData(which)
        if i >= 0:
            self.which.setCurrentIndex(i)

    def set_start_check(self, check: Callable[[], bool] | None) -> None:
        """*check* runs when Start is pressed, before anything else; False stops the start.

        The main window asks there about unsaved task edits (it may save them,
        which makes the saved task current through :meth:`set_task`)."""
        self._start_check = check

    @Slot()
    def start(self) -> None:
        if self.state in _BUSY or self.host.busy:
            return
        if self._start_check is not None and not self._start_check():
            return
        problem = self._cannot_start()
        if problem:
            self._say(problem, "warning")
            return
        which = self.which.currentData()
        if not self._reports_to_run():
            self._say(self._nothing_text(which), "warning" if self._failed_left(which) else "info")
            return
        self.last_summary = None
        self.last_cancel_latency_s = None
        self._last_error = None
        self._cancel_t = None
        self.host.start_run(self.project, self.task, which, self.selection if which == "selection" else None)
        self._set_state(STARTING)
        notice = self.host.run_notice()      # a server run: where the report text goes, every time
        self._say(notice or "Starting: preparing the model and the reports…", "warning" if notice else "info")

    @Slot()
    def _rerun_failed(self) -> None:
        self.rerun_failed_button.hide()
        self.set_which("failed")
        self.start()

    @Slot()
    def toggle_pause(self) -> None:
        if self.state == RUNNING or self.state == STARTING:
            self.host.pause()
            self._set_state(PAUSED)
            self._show_progress(self.progress_view.progress)
            self._say("Paused. The model waits; press Resume to go on. Nothing is lost.", "info")
        elif self.state == PAUSED:
            self.host.resume()
            self._set_state(RUNNING)
            self._show_progress(self.progress_view.progress)
            self._say("Running.", "info")

    @Slot()
    def cancel(self) -> None:
        if self.state not in _BUSY or self.state == CANCELLING:
            return
        self._cancel_t = time.perf_counter()
        self.host.cancel()
        self._set_state(CANCELLING)
        self._say("Cancelling… results stored so far are kept.", "info")

    # ---- worker signals -----------------------------------------------------
    @Slot(int, int)
    def _on_started(self, run_id: int, total: int) -> None:
        if self.state not in (PAUSED, CANCELLING):
            self._set_state(RUNNING)
            notice = self.host.run_notice()
            self._say(f"Running: {fmt.plural(total, 'report')} to read." + (f" {notice}" if notice else ""),
                      "warning" if notice else "info")
        self.progress_view.start(total)

    @Slot(object)
    def _on_progress(self, p: Progress) -> None:
        self._show_progress(p)

    @Slot(str, object)
    def _on_result(self, report_id: str, ex) -> None:
        self.progress_view.last_read = report_id
        if ex.status == ResultStatus.FAILED:
            self.log.add("warning", f"{report_id}: the model's answer could not be used. {ex.reason or ''}".strip(),
                         report_id)

    @Slot(str)
    def _on_warning(self, text: str) -> None:
        self.log.add("warning", text)

    @Slot(str)
    def _on_error(self, text: str) -> None:
        self._last_error = text
        self.log.add("error", text)
        self._say(text, "error")

    @Slot(object)
    def _on_finished(self, summary: RunSummary | None) -> None:
        if self._cancel_t is not None:
            self.last_cancel_latency_s = time.perf_counter() - self._cancel_t
            self._cancel_t = None
        self.last_summary = summary
        if summary is None:
            text = self._last_error or "The run could not start."
            if not text.endswith("kept."):
                text += " Nothing stored was lost."
            self._say(text, "error")
        else:
            self.progress_view.show_progress(summary.progress, live=False)
            level = "error" if summary.state == "error" else "info"
            text = fmt.summary_text(summary)
            self._say(text, level)
            self.log.add(level, text)
        self._set_state(READY)
        self._refresh()

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        self.model_label.setText(f"Model: loading {Path(path).name}…")
        self._refresh()

    @Slot(dict)
    def _on_model_loaded(self, info: dict) -> None:
        name = info.get("model") or Path(info.get("path") or "").name or info.get("name") or ""
        backend = info.get("backend", "")
        self.model_label.setText(f"Model: {name}" + (f" ({backend})" if backend else ""))
        self.model_label.setToolTip(str(info.get("name") or ""))
        self._refresh()

    @Slot(str)
    def _on_model_failed(self, text: str) -> None:
        self.model_label.setText("Model: not loaded")
        msg = (f"The model could not be loaded. {text} Choose another model file in the settings. "
               "Your project and its results are safe.")
        self.log.add("error", msg)
        self._say(msg, "error")
        self._refresh()

    # ---- helpers ------------------------------------------------------------
    def _cannot_start(self) -> str | None:
        return run_problem(self.project, self.task, *self.host.run_model())

    def _reports_to_run(self) -> list[str]:
        if self.project is None or self.task is None:
            return []
        which = self.which.currentData()
        return self.project.reports_to_run(self.task.hash(), which, self.selection)

    def _failed_left(self, which: str) -> int:
        """With 'not yet run' chosen and nothing left to run: how many reports failed (else 0)."""
        if which != "not_run" or self.project is None or self.task is None:
            return 0
        return len(self.project.reports_to_run(self.task.hash(), "failed"))

    def _nothing_text(self, which: str) -> str:
        failed = self._failed_left(which)
        if failed:   # not "every report has a result": some of those results are failures
            return (f"Every report has been read, but {fmt.plural(failed, 'report')} failed: "
                    f"use 'Re-run the {failed} failed' to read {'it' if failed == 1 else 'them'} again.")
        return {
            "not_run": "Every report already has a result. Choose 'All reports' to read them again.",
            "failed": "No report failed.",
            "selection": "No reports are selected.",
        }.get(which, "There are no readable reports.")

    def _show_progress(self, p: Progress) -> None:
        self.progress_view.show_progress(p, live=self.state in _BUSY, paused=self.state == PAUSED)

    def is_expanded(self) -> bool:
        """The details show: during a run, or when the user turned them on."""
        return bool(self._expanded)

    def _update_expanded(self) -> None:
        expanded = self.state in _BUSY or self.details_button.isChecked()
        if expanded == self._expanded:
            return
        self._expanded = expanded
        self.details_scroll.setVisible(expanded)
        if expanded:
            self.setMaximumHeight(16777215)   # QWIDGETSIZE_MAX
        else:   # one line: the dock holding the panel cannot be made taller than that
            self.layout().activate()
            self.setMaximumHeight(self.minimumSizeHint().height())
        self.expanded_changed.emit(expanded)

    def _say(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)
        self.message.setProperty("level", level)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _set_state(self, state: PanelState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
        self._refresh()

    def _refresh(self) -> None:
        busy = self.state in _BUSY
        if not busy:
            self.state = READY if self._cannot_start() is None else IDLE
        sel = self.which.model().item(self.which.findData("selection"))
        sel.setEnabled(bool(self.selection))
        self.which.setEnabled(not busy)
        self.start_button.setEnabled(not busy and self.state == READY)
        self.pause_button.setEnabled(self.state in (STARTING, RUNNING, PAUSED))
        self.pause_button.setText("Resume" if self.state == PAUSED else "Pause")
        self.cancel_button.setEnabled(busy and self.state != CANCELLING)
        self.to_run.setVisible(not busy)
        if not busy:
            problem = self._cannot_start()
            if problem:
                self.to_run.setText(problem)
            else:
                n = len(self._reports_to_run())
                self.to_run.setText(f"{fmt.plural(n, 'report')} will be read." if n else
                                    self._nothing_text(self.which.currentData()))
                failed = 0 if n else self._failed_left(self.which.currentData())
                self.rerun_failed_button.setText(f"Re-run the {failed} failed")
                self.rerun_failed_button.setVisible(bool(failed) and self.state == READY)
        if busy:
            self.rerun_failed_button.hide()
        if not self.model_label.text():
            path = self.host.model_path
            self.model_label.setText(f"Model: {Path(path).name}" if path else "Model: none chosen yet")
        said = self.message.text()
        self.message.setVisible(bool(said) and (busy or said != self.to_run.text()))
        self._update_expanded()
