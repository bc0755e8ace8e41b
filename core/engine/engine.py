"""The extraction engine: one GGUF model, one thread, many reports.

An :class:`Engine` wraps one :class:`llama_cpp.Llama`.  It is not
thread-safe: create it in the thread that will use it (the GUI's run
worker, the CLI's main thread) and use it only there.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import llama_cpp
import llguidance
import numpy as np
import psutil

from core.answer import check_answer
from core.engine.batch import BatchReader
from core.engine.chat import ChatRenderer, choose_template
from core.engine.decode import CancelFlag, Cancelled, Decoder, DecodeStats, GrammarError
from core.engine.draft import ReportLookup
from core.engine.faults import NativeLog, load_failure, too_large_for_memory
from core.engine.result import Extraction, Timings
from core.labels import answer_too_long, report_cut
from core.limits import DEFAULT_MAX_REPORT_TOKENS
from core.models.info import ModelInfo, NotAModel, check_gguf_file, info_from_llama
from core.prompt import messages
from core.schema import grammar, output_model
from core.task import Task

log = logging.getLogger(__name__)

__all__ = ["Engine", "EngineSettings", "ModelLoadError", "Cancelled"]


class ModelLoadError(RuntimeError):
    """The model file could not be loaded; the message says why in plain words."""


def physical_cores() -> int:
    """Physical cores available to this process (llama.cpp gains nothing from SMT siblings)."""
    try:
        logical = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        logical = os.cpu_count() or 2
    physical = psutil.cpu_count(logical=False) or logical
    return max(1, min(logical, physical))


#: "Reports at once" when the setting is automatic (0), per backend.  On the CPU, several at once
#: read the bench corpus 2-3x faster but changed 1-2 of 64 fields (docs/performance.md); one at a
#: time is already faster than the reference way, so the default keeps each report's answer
#: independent of what else is read.  On a GPU a forward pass costs about the same for a few more
#: sequences, so 8 at once.
AUTO_PARALLEL = {"CPU": 1}
AUTO_PARALLEL_GPU = 8

#: an answer that hits its token budget is tried once more with up to this many times the budget
RETRY_BUDGET_FACTOR = 4


@dataclass
class EngineSettings:
    n_ctx: int = 4096              # context window; the runner sizes it to the reports
    n_threads: int = 0             # 0: all cores
    n_gpu_layers: int = -1         # -1: all layers when the build has a GPU backend
    n_batch: int = 256
    temperature: float = 0.0
    seed: int = 1234
    max_output_tokens: int = 0     # 0: the task's own limit
    # Evaluate grammar-forced tokens in one batch with the token before them.  Off by default:
    # llama.cpp's batched and single-token CPU kernels give logits that differ by up to ~0.8
    # (measured, docs/performance.md), which can flip near-tie choices, and speed must never
    # change answers.  Forced tokens are never sampled either way (no mask or sampling cost).
    fast_forward: bool = False
    reuse_prefix: bool = True
    force_tokens: bool = True      # tokens the grammar forces are appended without sampling
    think_budget: int = 1024       # tokens a reasoning model may think before answering
    # Reports longer than this are not read: stored as skipped, with their size and this limit
    # (core.limits); 0: no limit.
    max_report_tokens: int = DEFAULT_MAX_REPORT_TOKENS
    # Reports decoded together in one llama.cpp batch (one sequence each).  1: "Reproducible: one
    # report at a time"; N > 1: "Fast: N reports at once".  llama.cpp's kernels are not
    # batch-invariant, so a report read beside others can get a different answer than alone; the
    # same folder with the same N still gives the same answers (core.engine.batch).
    # 0: automatic, :data:`AUTO_PARALLEL` for the backend.
    parallel: int = 0
    # Draft an answer's next tokens from the report (evidence quotes are copied from it) and verify
    # them in one batch (core.engine.draft).  Off by default: batched logits differ slightly from
    # single-token ones and change some answers (docs/performance.md, "Drafting quotes from the report").
    draft_quotes: bool = False
    extra: dict = field(default_factory=dict)

    def public(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "extra"}


def detect_backend() -> str:
    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    if llama_cpp.llama_supports_gpu_offload():
        for name in ("CUDA", "Metal", "Vulkan", "ROCm", "HIP", "SYCL"):
            if name.upper() in info.upper():
                return name
        return "GPU"
    return "CPU"


class Engine:
    RETRY_BUDGET_FACTOR = RETRY_BUDGET_FACTOR

    def __init__(self, model_path: str | Path, settings: EngineSettings | None = None):
        self.settings = settings or EngineSettings()
        self.model_path = Path(model_path)
        try:
            check_gguf_file(self.model_path)
        except NotAModel as exc:
            raise ModelLoadError(str(exc)) from None
        self.backend = detect_backend()
        s = self.settings
        self.parallel = 1
        self._batch: BatchReader | None = None   # created on first use of several reports at once
        self.set_parallel(s.parallel)
        n_threads = self.n_threads = s.n_threads or physical_cores()
        gpu_layers = 0 if self.backend == "CPU" else s.n_gpu_layers
        n_ctx = s.n_ctx
        too_large = too_large_for_memory(self.model_path, on_gpu=bool(gpu_layers))
        if too_large:
            raise ModelLoadError(too_large)
        t0 = time.perf_counter()
        try:
            # verbose=False would make llama-cpp-python silence the whole process's stdout and
            # stderr (file descriptors) while loading, other threads included.  Native logs go to
            # Python logging (core.engine), and its few Python prints are caught here.
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                    NativeLog() as native:
                self.llm = llama_cpp.Llama(
                    str(self.model_path), n_ctx=n_ctx, n_batch=min(s.n_batch, n_ctx), n_threads=n_threads,
                    n_threads_batch=n_threads, n_gpu_layers=gpu_layers, seed=s.seed, logits_all=False,
                    verbose=True)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(load_failure(self.model_path, native.text, exc, on_gpu=bool(gpu_layers))) from None
        self.load_s = time.perf_counter() - t0
        self.info: ModelInfo = info_from_llama(self.llm, self.model_path)
        self.n_ctx = self.llm.n_ctx()
        self.gpu_layers = (self.info.block_count + 1 if gpu_layers < 0 else gpu_layers) if gpu_layers else 0
        self.chat = choose_template(self.llm.metadata)
        self.warnings: list[str] = [self.chat.warning] if self.chat.warning else []
        vocab = llama_cpp.llama_model_get_vocab(self.llm.model)
        bos_id, eos_id = llama_cpp.llama_vocab_bos(vocab), llama_cpp.llama_vocab_eos(vocab)
        self._bos_text = self._piece(bos_id) if bos_id >= 0 else ""
        self._add_bos = self.llm.metadata.get("tokenizer.ggml.add_bos_token", "true") != "false"
        self.renderer = ChatRenderer(self.chat, bos=self._bos_text, eos=self._piece(eos_id) if eos_id >= 0 else "")
        t0 = time.perf_counter()
        self.decoder = Decoder(self.llm)
        self.tokenizer_s = time.perf_counter() - t0
        self._prepared: dict[str, tuple[Task, str, object]] = {}

    def set_parallel(self, setting: int) -> None:
        """Apply the "Reports at once" setting (0: automatic for the backend) for the next reads."""
        n = max(1, setting or AUTO_PARALLEL.get(self.backend, AUTO_PARALLEL_GPU))
        if n != self.parallel and self._batch is not None:
            self._batch.close()
            self._batch = None
        self.settings.parallel, self.parallel = setting, n

    # ---- helpers ---------------------------------------------------------------
    def _piece(self, tok: int) -> str:
        return self.llm.detokenize([tok], special=True).decode("utf-8", errors="replace")

    def tokenize(self, text: str) -> list[int]:
        add_bos = self._add_bos and not (self._bos_text and text.startswith(self._bos_text))
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def describe(self) -> dict:
        return {"model": self.model_path.name, "backend": self.backend, "gpu_layers": self.gpu_layers,
                "n_ctx": self.n_ctx, "parallel": self.parallel, "chat_template": self.chat.name,
                "warnings": list(self.warnings)}

    def render_prompt(self, task: Task, report_text: str) -> str:
        return self.renderer.render(messages(task, report_text))

    def _prepare(self, task: Task):
        h = task.hash()
        if h not in self._prepared:
            g = grammar(task)  # validates the grammar once, loudly
            self._prepared[h] = (task, g, output_model(task))
        return self._prepared[h]

    def _grammar_for(self, task: Task, fixed: str, text: str) -> str:
        """Per-report grammar when quotes are constrained to the report's words."""
        return grammar(task, text) if task.options.evidence else fixed

    def _max_output(self, task: Task) -> int:
        return self.settings.max_output_tokens or task.options.max_output_tokens

    # ---- the work -------------------------------------------------------------
    def part_budget(self, task: Task) -> int:
        """Report tokens that fit in one prompt (what is read in one part)."""
        overhead = self.count_tokens(self.render_prompt(task, "")) + 8
        return max(32, self.n_ctx - self._max_output(task) - overhead - 8)

    def plan_parts(self, task: Task, report_tokens: int) -> int:
        """How many parts a report of ``report_tokens`` tokens will be read in (1 unless split)."""
        if task.options.long_report_policy != "split":
            return 1
        budget = self.part_budget(task)
        return max(1, -(-report_tokens // budget)) if report_tokens > budget else 1

    def prepare(self, task: Task, report_text: str) -> tuple[str, list[int], list[str]] | None:
        """The prompt for one report: (text the model reads, prompt tokens, notes), or None when
        the report must be read in parts (too long, 'split' policy).  A report too long for the
        context under the 'truncate' policy is cut, with a note saying so."""
        budget = self.n_ctx - self._max_output(task) - 8
        tokens = self.tokenize(self.render_prompt(task, report_text))
        if len(tokens) <= budget:
            return report_text, tokens, []
        if task.options.long_report_policy == "split":
            return None
        report_text, tokens, note = self._truncate(task, report_text, len(tokens) - budget)
        return report_text, tokens, [note]

    def extract(self, task: Task, report_text: str, cancel: CancelFlag | None = None,
                on_part: Callable[[int, int], None] | None = None) -> Extraction:
        """Extract ``task``'s fields from one report.  Raises Cancelled if ``cancel`` is set.

        A report read in parts (the 'split' policy) calls ``on_part(k, m)`` before part k of m."""
        t_start = time.perf_counter()
        _, g, model = self._prepare(task)
        prepared = self.prepare(task, report_text)
        if prepared is None:
            return self._extract_split(task, report_text, cancel, t_start, on_part)
        report_text, tokens, notes = prepared
        result = self._run_one(task, g, model, tokens, report_text, cancel)
        for n in notes:
            result.add_warning("", n)
        result.timings.total_s = time.perf_counter() - t_start
        t = result.timings
        t.other_s = max(0.0, t.total_s - t.prompt_s - t.decode_s - t.mask_s)
        return result

    def read_many(self, task: Task, reports: list[tuple[str, str]], cancel: CancelFlag | None,
                  on_start: Callable[[str], None], on_result: Callable[[str, Extraction], None]) -> None:
        """Read ``reports`` ((key, text) pairs) :attr:`parallel` at a time on one batch
        (core.engine.batch).  ``on_start(key)`` when a report is taken up, ``on_result(key, ex)``
        when its answer is complete, in the order answers complete.  Reports that must be read in
        parts, and every report of a reasoning model, are read one at a time after the others.
        A report the engine cannot take (ValueError) gets a failed result.  Raises Cancelled."""
        batched: list[tuple[str, str, list[int], list[str]]] = []
        alone: list[tuple[str, str]] = []
        for key, text in reports:
            try:
                prepared = None if self.chat.reasoning or self.parallel == 1 else self.prepare(task, text)
            except ValueError as exc:
                on_start(key)
                on_result(key, Extraction(status="failed", reason=f"This report could not be processed: {exc}"))
                continue
            if prepared is None:
                alone.append((key, text))
            else:
                batched.append((key, *prepared))
        if batched:
            if self._batch is None:
                self._batch = BatchReader(self, self.parallel)
            self._batch.read(task, batched, cancel, on_start, on_result)
        for key, text in alone:
            on_start(key)
            on_result(key, self.extract(task, text, cancel))

    def _truncate(self, task: Task, text: str, excess: int) -> tuple[str, list[int], str]:
        rep = self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        keep = max(0, len(rep) - excess - 16)
        cut = self.llm.detokenize(rep[:keep]).decode("utf-8", errors="ignore")
        tokens = self.tokenize(self.render_prompt(task, cut))
        note = report_cut(len(cut), len(text))
        return cut, tokens, note

    def _extract_split(self, task: Task, text: str, cancel, t_start: float, on_part) -> Extraction:
        from core.engine.split import extract_in_parts

        return extract_in_parts(self, task, text, cancel, t_start, on_part)

    def _run_one(self, task: Task, g: str, model, tokens: list[int], text: str,
                 cancel: CancelFlag | None) -> Extraction:
        s = self.settings
        stats = DecodeStats()
        self.last_tokens, self.last_stats = tokens, stats  # for the benchmark's floor pipeline
        self.decoder.eval_prompt(tokens, cancel, stats, reuse_prefix=s.reuse_prefix)
        think = b""
        if self.chat.reasoning:
            think = self.decoder.generate_until("</think>", s.think_budget, cancel, stats)
        grammar_text = self._grammar_for(task, g, text)
        answer_start = [int(t) for t in self.llm.input_ids[: self.llm.n_tokens]]  # prompt (+ thinking)
        # never past the end of the context (llama.cpp would fail with "llama_decode returned 1")
        budget = max(1, min(self._max_output(task), self.n_ctx - len(answer_start) - 8))
        try:
            raw, records = self._answer(grammar_text, budget, cancel, stats, report=(tokens, text))
            retry = min(budget * RETRY_BUDGET_FACTOR, self.n_ctx - len(answer_start) - 8)
            if stats.stop == "length" and retry > budget:
                # a runaway answer: once more from the same point, with a larger budget
                counts = stats.prompt_tokens, stats.cached_tokens
                self.decoder.eval_prompt(answer_start, cancel, stats, reuse_prefix=True)
                stats.prompt_tokens, stats.cached_tokens = counts
                raw, records = self._answer(grammar_text, retry, cancel, stats, report=(tokens, text))
            else:
                retry = budget
        except GrammarError as exc:
            return self._finish(Extraction(status="failed", reason=f"Constrained decoding failed: {exc}"),
                                stats, think)
        text_out = raw.decode("utf-8", errors="replace")
        ex = Extraction(status="ok", raw_output=text_out)
        self._finish(ex, stats, think)
        if stats.stop == "length":
            ex.status, ex.reason = "failed", answer_too_long(budget, retry)
            return ex
        return check_answer(ex, task, text_out, text, model=model, records=records)

    def _answer(self, grammar_text: str, budget: int, cancel, stats: DecodeStats,
                report: tuple[list[int], str] | None = None):
        """One constrained answer from the current end of the prompt.  ``report``: the prompt's
        tokens and the report's text, for drafts from the report (``draft_quotes``)."""
        s = self.settings
        matcher = llguidance.LLMatcher(self.decoder.lltok, grammar_text)
        if matcher.is_error():
            raise ValueError(f"The task's decoding grammar is invalid: {matcher.get_error()}")
        rng = np.random.default_rng(s.seed) if s.temperature > 0 else None
        draft = (ReportLookup.for_report(self.llm.detokenize, *report)
                 if s.draft_quotes and report is not None else None)
        return self.decoder.generate(matcher, budget, cancel, stats, fast_forward=s.fast_forward,
                                     force_tokens=s.force_tokens, temperature=s.temperature, rng=rng,
                                     draft=draft)

    @staticmethod
    def _finish(ex: Extraction, stats: DecodeStats, think: bytes) -> Extraction:
        ex.prompt_tokens, ex.cached_tokens = stats.prompt_tokens, stats.cached_tokens
        ex.output_tokens, ex.forced_tokens = stats.output_tokens, stats.forced_tokens
        ex.timings = Timings(prompt_s=stats.prompt_s, decode_s=stats.decode_s, mask_s=stats.mask_s)
        if think:
            ex.raw_output = think.decode("utf-8", errors="replace") + ex.raw_output
        return ex

    def close(self) -> None:
        """Free the model (idempotent); the engine cannot be used afterwards."""
        batch = getattr(self, "_batch", None)
        if batch is not None:
            batch.close()
            self._batch = None
        llm = getattr(self, "llm", None)
        if llm is not None:
            llm.close()
            del self.llm
