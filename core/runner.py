"""Run a task over a project's reports: the loop the CLI and the GUI share.

The runner owns the engine for the duration of a run and must be used from
one thread.  It stores every result the moment it exists, resumes an
interrupted run of the same task and model, and reports progress through
plain callbacks (the GUI turns them into Qt signals).
"""
from __future__ import annotations

import contextlib
import io
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from core import __version__
from core.engine.decode import Cancelled
from core.engine.engine import Engine, EngineSettings
from core.engine.result import Extraction
from core.models.hashes import model_sha256
from core.reports.model import SKIPPED
from core.store.project import Project
from core.store.rows import ResultStatus
from core.task import Task

log = logging.getLogger(__name__)


class RunControl:
    """Thread-safe cancel and pause flags.  ``is_set()`` blocks while paused,
    so the engine's checks between tokens also honour pause."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def request_cancel(self) -> None:
        self.cancel.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def is_set(self) -> bool:
        while not self._running.wait(0.05):
            if self.cancel.is_set():
                break
        return self.cancel.is_set()


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0          # files in the project that cannot be read (never sent to the model)
    current: str = ""         # the report being read now ("" between reports)
    elapsed_s: float = 0.0
    output_tokens: int = 0
    generation_s: float = 0.0

    @property
    def reports_per_min(self) -> float:
        return 60.0 * self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        if not self.done:
            return None
        return (self.total - self.done) * self.elapsed_s / self.done

    @property
    def tokens_per_s(self) -> float:
        return self.output_tokens / self.generation_s if self.generation_s > 0 else 0.0


@dataclass
class RunSummary:
    run_id: int
    state: str                       # finished | cancelled | error
    progress: Progress
    error: str | None = None
    engine_info: dict = field(default_factory=dict)


@dataclass
class RunCallbacks:
    started: Callable[[int, int], None] = lambda run_id, total: None
    result: Callable[[str, Extraction], None] = lambda report_id, ex: None
    progress: Callable[[Progress], None] = lambda p: None
    warning: Callable[[str], None] = lambda msg: None


def required_context(engine_or_counter: Callable[[str], int], task: Task, texts: list[str],
                     prompt_overhead: int) -> int:
    longest = max((engine_or_counter(t) for t in texts), default=0)
    need = prompt_overhead + longest + task.options.max_output_tokens + 64
    return int(-(-need // 256) * 256)


def count_tokens_fn(model_path: str | Path) -> Callable[[str], int]:
    """A fast token counter from the model's vocabulary alone (no weights loaded)."""
    import llama_cpp

    from core.engine.engine import ModelLoadError
    from core.models.info import NotAModel, check_gguf_file

    try:
        check_gguf_file(model_path)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            vocab = llama_cpp.Llama(str(model_path), vocab_only=True, verbose=True)
    except NotAModel as exc:
        raise ModelLoadError(str(exc)) from None
    except ValueError as exc:
        raise ModelLoadError(f"Could not read the model '{Path(model_path).name}': {exc}") from None
    return lambda text: len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def run_problem(project: Project | None, task: Task | None, model_path: str | Path | None,
                model_error: str | None = None) -> str | None:
    """Why a run cannot start now, in plain words; None when it can.

    The one "can we run?" check: the run panel's Start button and the main
    window's Run menu both ask it.
    """
    if project is None:
        return "Open a folder of reports first."
    if task is None:
        return "Choose or build a task first."
    if not task.is_valid():
        return "The task has problems; fix them in the task builder first."
    if model_path is None:
        return "Choose a model first."
    if model_error:
        return "The model could not be loaded; choose another model file first."
    return None


class Runner:
    def __init__(self, project: Project, task: Task, model_path: str | Path,
                 settings: EngineSettings | None = None, *, engine: Engine | None = None,
                 control: RunControl | None = None, callbacks: RunCallbacks | None = None,
                 max_context: int = 32768):
        self.project = project
        self.task = task
        self.model_path = Path(model_path)
        self.settings = settings or EngineSettings()
        self.engine = engine
        self.control = control or RunControl()
        self.cb = callbacks or RunCallbacks()
        self.max_context = max_context

    def _ensure_engine(self, report_ids: list[str]) -> Engine:
        texts = [self.project.report(r).text for r in report_ids]
        if self.engine is not None and self.engine.model_path == self.model_path:
            counter: Callable[[str], int] = self.engine.count_tokens
            overhead = self.engine.count_tokens(self.engine.render_prompt(self.task, ""))
            need = required_context(counter, self.task, texts, overhead)
            if self.engine.n_ctx >= min(need, self.max_context):
                return self.engine
            self.engine.close()
        counter = count_tokens_fn(self.model_path)
        overhead = counter(self.task.instructions) + 600 + 40 * sum(1 for _ in self.task.walk())
        need = required_context(counter, self.task, texts, overhead)
        settings = EngineSettings(**{**self.settings.__dict__, "n_ctx": min(max(need, 1024), self.max_context)})
        self.engine = Engine(self.model_path, settings)
        return self.engine

    def _resumable_run(self, task_hash: str, sha: str) -> int | None:
        for run in reversed(self.project.runs(task_hash)):
            if run.state in ("running", "cancelled", "error") and run.model_sha256 == sha:
                return run.id
            break
        return None

    def run(self, which: str = "not_run", selection: list[str] | None = None) -> RunSummary:
        task_hash = self.project.save_task(self.task)
        report_ids = self.project.reports_to_run(task_hash, which, selection)
        progress = Progress(total=len(report_ids))
        progress.skipped = self.project.report_count(SKIPPED)
        engine = self._ensure_engine(report_ids)
        for w in engine.warnings:
            self.cb.warning(w)
        sha = model_sha256(self.model_path)
        run_id = self._resumable_run(task_hash, sha) if which == "not_run" else None
        if run_id is None:
            run_id = self.project.start_run(
                self.task, model_path=str(self.model_path), model_name=self.model_path.name,
                model_size=self.model_path.stat().st_size, model_sha256=sha, backend=engine.backend,
                settings={**engine.settings.public(), "n_ctx": engine.n_ctx, "gpu_layers": engine.gpu_layers,
                          "chat_template": engine.chat.name}, app_version=__version__)
        else:
            self.project.finish_run(run_id, "running")
        self.cb.started(run_id, len(report_ids))
        t0 = time.perf_counter()
        state, error = "finished", None
        for rid in report_ids:
            if self.control.is_set():
                state = "cancelled"
                break
            progress.current = rid                      # the report being read now
            progress.elapsed_s = time.perf_counter() - t0
            self.cb.progress(progress)
            report = self.project.report(rid)
            try:
                ex = engine.extract(self.task, report.text, cancel=self.control)
            except Cancelled:
                state = "cancelled"
                break
            except ValueError as exc:  # a report the engine cannot take (e.g. text too odd to tokenize)
                ex = Extraction(status="failed", reason=f"This report could not be processed: {exc}")
            self.project.save_result(run_id, task_hash, rid, ex)
            progress.done += 1
            progress.ok += ex.status == ResultStatus.OK
            progress.failed += ex.status == ResultStatus.FAILED
            progress.output_tokens += ex.output_tokens
            progress.generation_s += ex.timings.decode_s + ex.timings.mask_s
            progress.elapsed_s = time.perf_counter() - t0
            progress.current = ""                       # between reports
            self.cb.result(rid, ex)
            self.cb.progress(progress)
        progress.elapsed_s = time.perf_counter() - t0
        progress.current = ""
        self.cb.progress(progress)
        self.project.finish_run(run_id, state)
        return RunSummary(run_id=run_id, state=state, progress=progress, error=error,
                          engine_info=engine.describe())
