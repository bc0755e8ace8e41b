"""The engine's home in the GUI: one worker QObject in one QThread.

The worker owns the llama.cpp model (loaded once per session, in the
background) and does all model work: runs over a project and "try this
task on this report".  The UI talks to it only through signals; cancel and
pause go through :class:`core.runner.RunControl` (thread-safe flags), so
they take effect within a token or two even while the worker is busy.

Threading rules:

- Cancel flags are only ever cleared in the UI thread, when work is queued
  (never by the worker when it starts it), so a cancel pressed while the
  work still waited in the queue counts.  Each "try on this report" gets its
  own cancel flag: queuing one never clears a cancel meant for a run.
- The model is freed only once the worker thread has stopped: if it does
  not stop in time at shutdown, the model is left to the operating system
  rather than freed under a decoding worker.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.engine.decode import Cancelled
from core.engine.engine import Engine, EngineSettings, ModelLoadError
from core.engine.faults import decode_failure
from core.runner import RunCallbacks, RunControl, RunFailed, Runner
from core.store.project import Project
from core.task import Task

log = logging.getLogger(__name__)


class EngineWorker(QObject):
    model_loading = Signal(str)
    model_loaded = Signal(dict)          # Engine.describe() plus model info
    model_failed = Signal(str)
    run_started = Signal(int, int)       # run id, report count
    result = Signal(str, object)         # report id, Extraction
    progress = Signal(object)            # core.runner.Progress
    warning = Signal(str)
    error = Signal(str)
    run_finished = Signal(object)        # core.runner.RunSummary (None when the run could not start)
    tried = Signal(object)               # Extraction of a "try on this report"
    try_failed = Signal(str)

    def __init__(self, control: RunControl):
        super().__init__()
        self.control = control
        self.engine: Engine | None = None

    def _describe(self) -> dict:
        e = self.engine
        info = dict(e.describe())
        info.update(path=str(e.model_path), name=e.info.name, parameters=e.info.parameters_label,
                    quantization=e.info.quantization, context_length=e.info.context_length)
        return info

    @Slot(str, object)
    def load_model(self, path: str, settings: EngineSettings) -> None:
        self.model_loading.emit(path)
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        try:
            self.engine = Engine(path, settings)
        except ModelLoadError as exc:
            self.model_failed.emit(str(exc))
            return
        for w in self.engine.warnings:
            self.warning.emit(w)
        self.model_loaded.emit(self._describe())

    @Slot(object, object, str, list, str, object)
    def run(self, project: Project, task: Task, which: str, selection: list, model_path: str,
            settings: EngineSettings) -> None:
        # The cancel flag is cleared by EngineHost.start_run (UI thread), not here:
        # a cancel pressed while this run still waited in the queue must count.
        callbacks = RunCallbacks(
            started=self.run_started.emit, result=self.result.emit,
            progress=self.progress.emit, warning=self.warning.emit)
        runner = Runner(project, task, model_path, settings, engine=self.engine, control=self.control,
                        callbacks=callbacks)
        try:
            summary = runner.run(which, selection)
        except (ModelLoadError, RunFailed) as exc:
            self.error.emit(str(exc))
            self.run_finished.emit(None)
            return
        except Exception as exc:  # a crash must end the run visibly; stored results stay
            log.exception("run failed")
            self.error.emit(f"The run stopped: {type(exc).__name__}: {exc}. Results stored so far are kept.")
            self.run_finished.emit(None)
            return
        finally:
            if runner.engine is not self.engine and runner.engine is not None:
                self.engine = runner.engine
                self.model_loaded.emit(self._describe())
        self.run_finished.emit(summary)

    @Slot(object, object, str, list, object, object)
    def run_server(self, project: Project, task: Task, which: str, selection: list, config, api_key) -> None:
        """A run on an inference server (core.remote): same signals, same project, same statuses."""
        from core.remote.errors import ServerError
        from core.remote.runner import RemoteRunner

        callbacks = RunCallbacks(
            started=self.run_started.emit, result=self.result.emit,
            progress=self.progress.emit, warning=self.warning.emit)
        try:
            summary = RemoteRunner(project, task, config, api_key, control=self.control,
                                   callbacks=callbacks).run(which, selection)
        except ServerError as exc:
            self.error.emit(str(exc))
            self.run_finished.emit(None)
            return
        except Exception as exc:  # a crash must end the run visibly; stored results stay
            log.exception("server run failed")
            self.error.emit(f"The run stopped: {type(exc).__name__}: {exc}. Results stored so far are kept.")
            self.run_finished.emit(None)
            return
        self.run_finished.emit(summary)

    @Slot(object, str, object)
    def try_task(self, task: Task, text: str, cancel: threading.Event) -> None:
        """*cancel* belongs to this try alone (set by EngineHost.cancel, never cleared here)."""
        if self.engine is None:
            self.try_failed.emit("No model is loaded yet.")
            return
        if cancel.is_set():
            self.try_failed.emit("Cancelled.")
            return
        try:
            self.tried.emit(self.engine.extract(task, text, cancel=cancel))
        except Cancelled:
            self.try_failed.emit("Cancelled.")
        except ValueError as exc:
            self.try_failed.emit(str(exc))
        except RuntimeError as exc:  # llama.cpp failed (out of memory): say so, never leave the panel waiting
            log.exception("try failed")
            self.try_failed.emit(decode_failure(exc, on_gpu=bool(self.engine.gpu_layers))
                                 or f"The model failed: {type(exc).__name__}.")


class EngineHost(QObject):
    """Lives in the UI thread; owns the worker thread.  Call shutdown() on exit."""

    _do_load = Signal(str, object)
    _do_run = Signal(object, object, str, list, str, object)
    _do_try = Signal(object, str, object)
    _do_run_server = Signal(object, object, str, list, object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.control = RunControl()
        self.thread = QThread()
        self.thread.setObjectName("abstractor-engine")
        self.worker = EngineWorker(self.control)
        self.worker.moveToThread(self.thread)
        self._do_load.connect(self.worker.load_model)
        self._do_run.connect(self.worker.run)
        self._do_try.connect(self.worker.try_task)
        self._do_run_server.connect(self.worker.run_server)
        self.thread.start()
        self.busy = False
        self.worker.run_started.connect(lambda *_: setattr(self, "busy", True))
        self.worker.run_finished.connect(lambda *_: setattr(self, "busy", False))
        self.model_path: str | None = None
        self.model_error: str | None = None   # why the chosen model could not be loaded
        self.worker.model_failed.connect(self._on_model_failed)
        self.settings = EngineSettings()
        self._try_cancels: list[threading.Event] = []   # flags of tries queued or running
        self.worker.tried.connect(self._forget_try)
        self.worker.try_failed.connect(self._forget_try)
        self.server = None             # a core.remote.ServerConfig while a server does the runs
        self._server_key: str | None = None   # in memory for this session only, never written

    def use_server(self, config, api_key: str | None) -> None:
        """Runs go to ``config``'s server from now on ("try on a report" stays local)."""
        self.server, self._server_key = config, api_key or None

    def use_local(self) -> None:
        self.server, self._server_key = None, None

    def run_model(self) -> tuple[str | None, str | None]:
        """For core.runner.run_problem: the model runs will use (a file or a server) and why it cannot."""
        if self.server is not None:
            return self.server.url, None
        return self.model_path, self.model_error

    def run_notice(self) -> str | None:
        """Where report text goes, said every time a server run starts (None for local runs)."""
        from core.remote.runner import privacy_notice

        return privacy_notice(self.server) if self.server is not None else None

    @Slot(str)
    def _on_model_failed(self, text: str) -> None:
        self.model_error = text

    def load_model(self, path: str | Path, settings: EngineSettings | None = None) -> None:
        self.model_path = str(path)
        self.model_error = None
        if settings is not None:
            self.settings = settings
        self._do_load.emit(self.model_path, self.settings)

    def start_run(self, project: Project, task: Task, which: str = "not_run",
                  selection: list[str] | None = None) -> None:
        if self.model_path is None and self.server is None:
            raise RuntimeError("choose a model first")
        self.control.cancel.clear()
        self.control.resume()
        self.busy = True
        if self.server is not None:
            self._do_run_server.emit(project, task, which, list(selection or []), self.server, self._server_key)
            return
        self._do_run.emit(project, task, which, list(selection or []), self.model_path, self.settings)

    def try_task(self, task: Task, text: str) -> None:
        cancel = threading.Event()
        self._try_cancels.append(cancel)
        self._do_try.emit(task, text, cancel)

    def _forget_try(self, *_) -> None:
        if self._try_cancels:  # tries finish in the order they were queued (one worker thread)
            self._try_cancels.pop(0)

    def cancel(self) -> None:
        """Cancel the run and every try queued or running."""
        self.control.request_cancel()
        for flag in self._try_cancels:
            flag.set()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop the worker and free the model.  Returns False (and frees nothing) when the
        worker did not stop within *timeout_ms*: it may still be inside llama.cpp."""
        self.cancel()
        self.thread.quit()
        if not self.thread.wait(timeout_ms):
            log.error("engine thread did not stop within %d ms; the model is not freed under it", timeout_ms)
            return False
        engine, self.worker.engine = self.worker.engine, None
        if engine is not None:
            engine.close()
        return True
