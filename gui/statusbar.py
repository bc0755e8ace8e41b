"""The status bar: model, backend, report count and run state, always visible.

:meth:`AppStatusBar.follow` connects it to an :class:`gui.engine_host.EngineHost`:
the model and run state then follow the engine's signals, and a light poll
of the host's pause/cancel flags catches pause and cancel from any part of
the app.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar

DEMO_STYLE = "QLabel { background: #ffe0b2; color: #5d3200; border-radius: 3px; padding: 0 6px; }"
FAILED_STYLE = "QLabel { background: #fdecea; color: #611a15; border-radius: 3px; padding: 0 6px; }"
PLAIN_STYLE = "QLabel { padding: 0 6px; }"


def _label(name: str, tip: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setToolTip(tip)
    label.setStyleSheet(PLAIN_STYLE)
    return label


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class AppStatusBar(QStatusBar):
    run_state_changed = Signal(str)   # the text of the run state label

    def __init__(self, parent=None):
        super().__init__(parent)
        self.host = None
        self._run = {"state": "idle", "done": 0, "total": 0, "model_loading": False}
        self.model_label = _label("statusModel", "The language model in use")
        self.backend_label = _label("statusBackend", "Where the model runs")
        self.reports_label = _label("statusReports", "Reports in the open project")
        self.task_label = _label("statusTask", "The task in use: the fields extracted from each report")
        self.run_label = _label("statusRun", "What the model is doing")
        parts = (self.reports_label, self.task_label, self.model_label, self.backend_label, self.run_label)
        for i, w in enumerate(parts):
            if i:
                self.addPermanentWidget(_separator())
            self.addPermanentWidget(w)
        self._poll = QTimer(self, interval=400)
        self._poll.timeout.connect(self.sync_run_state)
        self.set_model(None)
        self.set_backend(None)
        self.set_report_count(None)
        self.set_task(None)
        self.set_run_state("idle")

    # ---- plain setters ----------------------------------------------------------------------
    def set_model(self, path: str | None, state: str = "loaded") -> None:
        """*state*: loading | loaded | failed."""
        from core.models import DEMO_MODEL_NOTICE, is_demo_model

        if not path:
            self.model_label.setText("No model")
            self.model_label.setStyleSheet(PLAIN_STYLE)
            self.model_label.setToolTip("Choose a model: Run › Choose model…")
            return
        demo = is_demo_model(path)
        name = "⚠ Demo model (SmolLM2-135M)" if demo else Path(path).name
        text = {"loading": f"{name} – loading…", "failed": f"{name} – could not be loaded"}.get(state, name)
        self.model_label.setText(text)
        style = FAILED_STYLE if state == "failed" else DEMO_STYLE if demo else PLAIN_STYLE
        self.model_label.setStyleSheet(style)
        self.model_label.setToolTip(DEMO_MODEL_NOTICE if demo else str(path))

    def set_backend(self, backend: str | None, gpu_layers: int = 0) -> None:
        if not backend:
            self.backend_label.setText("–")
        elif backend == "CPU":
            self.backend_label.setText("CPU")
        else:
            self.backend_label.setText(f"{backend} · {gpu_layers} GPU layers")

    def set_report_count(self, count: int | None, reading: bool = False) -> None:
        if count is None:
            self.reports_label.setText("No project open")
            return
        text = f"{count:,} report" + ("" if count == 1 else "s")
        self.reports_label.setText(text + (" – reading…" if reading else ""))

    @Slot(object)
    def set_task(self, task) -> None:
        """Show the task in use (connect the window's task_changed)."""
        if task is None:
            self.task_label.setText("No task")
            self.task_label.setToolTip("Choose a task: Task › Task library (Ctrl+L)")
            return
        self.task_label.setText(f"Task: {task.name}")
        self.task_label.setToolTip(f"The task in use: {task.name} ({len(task.fields)} fields)")

    def set_run_state(self, text: str) -> None:
        if self.run_label.text() != text:
            self.run_label.setText(text)
            self.run_state_changed.emit(text)

    # ---- following the engine ------------------------------------------------------------------
    def follow(self, host) -> None:
        self.host = host
        w = host.worker
        w.model_loading.connect(self._on_model_loading)
        w.model_loaded.connect(self._on_model_loaded)
        w.model_failed.connect(self._on_model_failed)
        w.run_started.connect(self._on_run_started)
        w.progress.connect(self._on_progress)
        w.run_finished.connect(self._on_run_finished)
        self._poll.start()

    def stop_following(self) -> None:
        self._poll.stop()

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        self._run["model_loading"] = True
        self.set_model(path, "loading")
        self.sync_run_state()

    @Slot(dict)
    def _on_model_loaded(self, info: dict) -> None:
        self._run["model_loading"] = False
        self.set_model(info.get("path") or self.host.model_path, "loaded")
        self.set_backend(info.get("backend"), info.get("gpu_layers") or 0)
        self.sync_run_state()

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._run["model_loading"] = False
        self.set_model(self.host.model_path, "failed")
        self.model_label.setToolTip(message)
        self.set_backend(None)
        self.showMessage(message, 30000)
        self.sync_run_state()

    @Slot(int, int)
    def _on_run_started(self, _run_id: int, total: int) -> None:
        self._run.update(state="running", done=0, total=total)
        self.sync_run_state()

    @Slot(object)
    def _on_progress(self, p) -> None:
        self._run.update(state="running", done=p.done, total=p.total)
        self.sync_run_state()

    @Slot(object)
    def _on_run_finished(self, summary) -> None:
        state = getattr(summary, "state", "error")
        self._run["state"] = {"finished": "idle", "cancelled": "cancelled"}.get(state, "stopped")
        if summary is not None and state == "finished":
            p = summary.progress
            self.showMessage(f"Run finished: {p.ok:,} extracted, {p.failed:,} failed.", 15000)
        self.sync_run_state()

    @Slot()
    def sync_run_state(self) -> None:
        """idle | loading model… | starting… | running 5/12 | paused | cancelling… | cancelled | stopped."""
        r, host = self._run, self.host
        if host is not None and host.busy:
            if host.control.cancel.is_set():
                text = "cancelling…"
            elif host.control.paused:
                text = "paused"
            elif r["state"] == "running":
                text = f"running {r['done']:,}/{r['total']:,}"
            else:
                text = "loading model…" if r["model_loading"] else "starting…"
        elif r["model_loading"]:
            text = "loading model…"
        else:
            text = {"cancelled": "cancelled", "stopped": "stopped"}.get(r["state"], "idle")
        self.set_run_state(text)
