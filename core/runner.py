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
from core.engine.faults import decode_failure
from core.engine.result import Extraction
from core.limits import too_long_reason
from core.models.hashes import model_sha256
from core.reports.model import SKIPPED
from core.store.project import Project
from core.store.rows import ResultStatus
from core.task import Task

log = logging.getLogger(__name__)


class RunFailed(RuntimeError):
    """The run stopped because the model failed; the message says why in plain words."""


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
    skipped: int = 0          # files that cannot be read, and reports over the length limit
    current: str = ""         # the report being read now ("" between reports)
    part: int = 0             # the current report is read in parts: part k of m (0 when not)
    parts: int = 0
    elapsed_s: float = 0.0
    output_tokens: int = 0
    generation_s: float = 0.0
    # The time left is counted in parts: a report read in m parts counts m (0 when skipped).
    units_total: int = 0      # 0: count reports
    units_done: int = 0

    @property
    def reports_per_min(self) -> float:
        return 60.0 * self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        total, done = (self.units_total, self.units_done) if self.units_total else (self.total, self.done)
        if not done:
            return None
        return max(0, total - done) * self.elapsed_s / done

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


def required_context(longest: int, max_output: int, prompt_overhead: int) -> int:
    """Context for the longest report, its answer and room for one retry of a runaway answer."""
    need = prompt_overhead + longest + 2 * max_output + 64
    return int(-(-need // 256) * 256)


def count_tokens_fn(model_path: str | Path) -> Callable[[str], int]:
    """A fast token counter from the model's vocabulary alone (no weights loaded)."""
    return model_vocab(model_path)[0]


def model_vocab(model_path: str | Path) -> tuple[Callable[[str], int], int]:
    """A token counter from the model's vocabulary alone (no weights loaded), and the
    context length the model was trained with (0 when the file does not say)."""
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
    arch = vocab.metadata.get("general.architecture", "")
    try:
        trained = int(vocab.metadata.get(f"{arch}.context_length", 0))
    except ValueError:
        trained = 0
    return (lambda text: len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))), trained


def report_size(text: str, count: Callable[[str], int], limit: int) -> tuple[int, bool]:
    """(tokens, exact).  A report far over *limit* is not tokenized whole (a 3 MB file takes
    seconds): when a prefix of it is already over the limit, the total is estimated from it."""
    prefix = 4 * limit
    if limit and len(text) > 2 * prefix:
        n = count(text[:prefix])
        if n > limit:
            return int(n * len(text) / prefix), False
    return count(text), True


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

    def _max_output(self) -> int:
        return self.settings.max_output_tokens or self.task.options.max_output_tokens

    def _measure(self, report_ids: list[str], counter: Callable[[str], int]) -> dict[str, tuple[int, int, bool]]:
        """(tokens, characters, exact count) per report."""
        sizes = {}
        for rid in report_ids:
            text = self.project.report(rid).text
            tokens, exact = report_size(text, counter, self.settings.max_report_tokens)
            sizes[rid] = (tokens, len(text), exact)
        return sizes

    def _context_for(self, sizes: dict[str, tuple[int, int, bool]], overhead: int, trained: int) -> int:
        """The context for this run: the longest report within the limit, its answer and a retry,
        but never more than ``max_context`` nor the context the model was trained with (longer
        reports are truncated or split by the task's policy)."""
        limit = self.settings.max_report_tokens
        longest = max((t for t, _, _ in sizes.values() if not limit or t <= limit), default=0)
        need = required_context(longest, self._max_output(), overhead)
        return min(max(need, 1024), self.max_context, trained or self.max_context)

    def _ensure_engine(self, report_ids: list[str]) -> tuple[Engine, dict[str, tuple[int, int, bool]]]:
        if self.engine is not None and self.engine.model_path == self.model_path:
            sizes = self._measure(report_ids, self.engine.count_tokens)
            overhead = self.engine.count_tokens(self.engine.render_prompt(self.task, ""))
            if self.engine.n_ctx >= self._context_for(sizes, overhead, self.engine.info.context_length):
                self.engine.set_parallel(self.settings.parallel)
                return self.engine, sizes
            self.engine.close()
        counter, trained = model_vocab(self.model_path)
        sizes = self._measure(report_ids, counter)
        overhead = counter(self.task.instructions) + 600 + 40 * sum(1 for _ in self.task.walk())
        n_ctx = self._context_for(sizes, overhead, trained)
        self.engine = Engine(self.model_path, EngineSettings(**{**self.settings.__dict__, "n_ctx": n_ctx}))
        return self.engine, sizes

    def _resumable_run(self, task_hash: str, sha: str, parallel: int) -> int | None:
        """The interrupted last run to continue: same task, model and mode (a run records one mode)."""
        for run in reversed(self.project.runs(task_hash)):
            if run.state in ("running", "cancelled", "error") and run.model_sha256 == sha \
                    and (run.settings or {}).get("parallel", 1) == parallel:
                return run.id
            break
        return None

    def run(self, which: str = "not_run", selection: list[str] | None = None) -> RunSummary:
        task_hash = self.project.save_task(self.task)
        report_ids = self.project.reports_to_run(task_hash, which, selection)
        progress = Progress(total=len(report_ids))
        progress.skipped = self.project.report_count(SKIPPED)
        engine, sizes = self._ensure_engine(report_ids)
        for w in engine.warnings:
            self.cb.warning(w)
        limit = self.settings.max_report_tokens
        plan = {rid: 0 if limit and tokens > limit else engine.plan_parts(self.task, tokens)
                for rid, (tokens, _, _) in sizes.items()}
        progress.units_total = sum(plan.values())
        sha = model_sha256(self.model_path)
        run_id = self._resumable_run(task_hash, sha, engine.parallel) if which == "not_run" else None
        if run_id is None:
            run_id = self.project.start_run(
                self.task, model_path=str(self.model_path), model_name=self.model_path.name,
                model_size=self.model_path.stat().st_size, model_sha256=sha, backend=engine.backend,
                settings={**engine.settings.public(), "n_ctx": engine.n_ctx, "gpu_layers": engine.gpu_layers,
                          "parallel": engine.parallel,
                          "chat_template": engine.chat.name}, app_version=__version__)
        else:
            self.project.finish_run(run_id, "running")
        self.cb.started(run_id, len(report_ids))
        self._t0 = time.perf_counter()
        state = "finished"
        # several reports at once (one llama.cpp batch): every report read in one part
        together = [rid for rid in report_ids if plan[rid] == 1] \
            if engine.parallel > 1 and not engine.chat.reasoning else []
        try:
            if together:
                self._read_together(engine, together, run_id, task_hash, progress, plan)
            for rid in report_ids:
                if rid in together:
                    continue
                if self.control.is_set():
                    raise Cancelled()
                self._read_alone(engine, rid, run_id, task_hash, progress, plan, sizes[rid])
        except Cancelled:
            state = "cancelled"
        progress.elapsed_s = time.perf_counter() - self._t0
        progress.current = ""
        progress.part = progress.parts = 0
        self.cb.progress(progress)
        self.project.finish_run(run_id, state)
        return RunSummary(run_id=run_id, state=state, progress=progress, engine_info=engine.describe())

    def _deliver(self, run_id: int, task_hash: str, rid: str, ex: Extraction, progress: Progress) -> None:
        self.commit_result(run_id, task_hash, rid, ex, progress)
        progress.elapsed_s = time.perf_counter() - self._t0
        self.cb.result(rid, ex)
        self.cb.progress(progress)

    def _read_alone(self, engine: Engine, rid: str, run_id: int, task_hash: str, progress: Progress,
                    plan: dict[str, int], size: tuple[int, int, bool]) -> None:
        """Read one report on its own (raises Cancelled)."""
        tokens, chars, exact = size
        limit = self.settings.max_report_tokens
        if not plan[rid]:   # over the length limit: stored as skipped, never sent to the model
            ex = Extraction(status=ResultStatus.SKIPPED, reason=too_long_reason(tokens, chars, limit, exact=exact))
            self._deliver(run_id, task_hash, rid, ex, progress)
            return
        units_before = progress.units_done
        progress.current = rid                      # the report being read now
        progress.part = progress.parts = 0
        progress.elapsed_s = time.perf_counter() - self._t0
        self.cb.progress(progress)

        def on_part(k: int, m: int) -> None:
            if k == 1 and m != plan[rid]:          # the estimate was off: keep the total honest
                progress.units_total += m - plan[rid]
                plan[rid] = m
            progress.part, progress.parts = k, m
            progress.units_done = units_before + k - 1
            progress.elapsed_s = time.perf_counter() - self._t0
            self.cb.progress(progress)

        try:
            ex = engine.extract(self.task, self.project.report(rid).text, cancel=self.control, on_part=on_part)
        except Cancelled:
            progress.units_done = units_before
            raise
        except ValueError as exc:  # a report the engine cannot take (e.g. text too odd to tokenize)
            ex = Extraction(status=ResultStatus.FAILED, reason=f"This report could not be processed: {exc}")
        except RuntimeError as exc:  # llama.cpp failed while reading it (out of memory)
            message = decode_failure(exc, on_gpu=bool(engine.gpu_layers))
            if message is None:
                raise
            ex = Extraction(status=ResultStatus.FAILED, reason=message)
        progress.units_done = units_before + plan[rid]
        progress.current = ""                       # between reports
        progress.part = progress.parts = 0
        self._deliver(run_id, task_hash, rid, ex, progress)

    def _read_together(self, engine: Engine, rids: list[str], run_id: int, task_hash: str,
                       progress: Progress, plan: dict[str, int]) -> None:
        """Read ``rids`` (each in one part) :attr:`Engine.parallel` at a time (raises Cancelled).
        ``progress.current`` names the report taken up last."""
        in_flight: list[str] = []

        def on_start(rid: str) -> None:
            in_flight.append(rid)
            progress.current = rid
            progress.elapsed_s = time.perf_counter() - self._t0
            self.cb.progress(progress)

        def on_result(rid: str, ex: Extraction) -> None:
            in_flight.remove(rid)
            progress.units_done += plan[rid]
            progress.current = in_flight[-1] if in_flight else ""
            self._deliver(run_id, task_hash, rid, ex, progress)

        reports = [(rid, self.project.report(rid).text) for rid in rids]
        try:
            engine.read_many(self.task, reports, self.control, on_start, on_result)
        except RuntimeError as exc:  # llama.cpp failed (out of memory): say so in plain words
            message = decode_failure(exc, on_gpu=bool(engine.gpu_layers))
            if message is None:
                raise
            raise RunFailed(message) from None

    def commit_result(self, run_id: int, task_hash: str, report_id: str, ex: Extraction,
                      progress: Progress) -> None:
        """Store one report's result (committed before this returns) and count it.

        The one place a result becomes durable; any backend that produces an
        :class:`Extraction` (the local engine, a server) goes through it."""
        self.project.save_result(run_id, task_hash, report_id, ex)
        progress.done += 1
        progress.ok += ex.status == ResultStatus.OK
        progress.failed += ex.status == ResultStatus.FAILED
        progress.skipped += ex.status == ResultStatus.SKIPPED
        progress.output_tokens += ex.output_tokens
        progress.generation_s += ex.timings.decode_s + ex.timings.mask_s
