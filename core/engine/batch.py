"""Several reports in flight: one llama.cpp context, one sequence per report.

This is the "Fast: N reports at once" mode.  A :class:`BatchReader` owns a
second llama.cpp context on the engine's model, created through the low-level
API with ``n_seq_max = N + 1`` and one KV cache shared by all sequences.
Sequence N holds the fixed start of the prompt (instructions, field guide),
evaluated once per task and given to each report's sequence by a cell copy.

Every step decodes ONE llama batch that holds, for each report in flight,
either the next chunk of its prompt or its pending answer tokens.  Then the
grammar masks of all reports that must choose a token are computed together
(llguidance's executor), each report picks its token, and the tokens its
grammar forces next are queued to be evaluated with it in the next batch.  A
finished report leaves its sequence and the next report in the queue takes it
(continuous batching).

Determinism: what goes into each batch depends only on the reports and the
answers so far, never on timing, so the same folder with the same N gives the
same answers.  They need not be the answers of "one report at a time":
llama.cpp's kernels are not batch-invariant (docs/performance.md counts the
differences).
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

import llama_cpp
import llguidance
import llguidance.numpy
import numpy as np

from core.answer import check_answer
from core.engine.decode import CancelFlag, Cancelled, DecodeStats, GrammarError, pick_token, single_allowed
from core.engine.result import Extraction, TokenRecord
from core.labels import answer_too_long
from core.task import Task

if TYPE_CHECKING:
    from core.engine.engine import Engine

#: prompt tokens one step may evaluate for reports still reading their prompt
PROMPT_CHUNK = 256


@dataclass
class _Report:
    """One report in flight on one sequence."""
    key: str
    seq: int
    text: str                      # the text the model reads (cut when the report was too long)
    notes: list[str]               # warnings from preparing the prompt
    prompt: list[int]
    grammar: str
    budget: int                    # the first try's token budget
    retry_budget: int              # a runaway answer's second try
    t_start: float
    limit: int = 0                 # the current try's budget
    error: str = ""                # the grammar rejected a step
    n_past: int = 0                # this sequence's tokens in the KV cache
    todo: list[int] = field(default_factory=list)   # tokens still to evaluate
    answering: bool = False        # the prompt is in; ``todo`` holds answer tokens
    matcher: llguidance.LLMatcher | None = None
    out: bytearray = field(default_factory=bytearray)
    records: list[TokenRecord] = field(default_factory=list)
    produced: int = 0
    retried: bool = False
    rng: np.random.Generator | None = None
    stats: DecodeStats = field(default_factory=DecodeStats)


class BatchReader:
    """Reads reports N at a time on one llama.cpp context (not thread-safe, like the engine)."""

    def __init__(self, engine: Engine, n_seq: int):
        self.engine = engine
        self.n_seq = n_seq
        self.prefix_seq = n_seq                     # the shared start of the prompt
        decoder = engine.decoder
        self.n_vocab, self.lltok, self.stop_tokens = decoder.n_vocab, decoder.lltok, decoder.stop_tokens
        params = llama_cpp.llama_context_default_params()
        self.n_ctx = engine.n_ctx * n_seq + engine.n_ctx  # every report its own context, plus the prefix
        params.n_ctx = self.n_ctx
        self.n_batch = max(PROMPT_CHUNK * 2, 64 * n_seq)
        params.n_batch = params.n_ubatch = self.n_batch
        params.n_seq_max = n_seq + 1
        params.kv_unified = True
        params.n_threads = params.n_threads_batch = engine.n_threads
        self.ctx = llama_cpp.llama_init_from_model(engine.llm.model, params)
        if not self.ctx:
            raise RuntimeError(f"llama.cpp could not create a context for {n_seq} reports at once")
        self.mem = llama_cpp.llama_get_memory(self.ctx)
        self.batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self.executor = llguidance.LLExecutor()
        self.masks = llguidance.numpy.allocate_token_bitmask(n_seq, self.n_vocab)
        self.prefix: list[int] = []
        #: when a list: every llama.cpp call in order, for the benchmark's floor (core.bench.parallel):
        #: ("decode", rows of (token, position, sequence, logits)), ("rm", seq, p0, p1), ("cp", src, dst, p0, p1)
        self.trace: list[tuple] | None = None

    def close(self) -> None:
        if self.ctx:
            llama_cpp.llama_batch_free(self.batch)
            llama_cpp.llama_free(self.ctx)
            self.ctx = None

    # ---- llama.cpp ---------------------------------------------------------------------------
    def _decode(self, rows: list[tuple[int, int, int, bool]]) -> None:
        b = self.batch
        for i, (tok, pos, seq, logits) in enumerate(rows):
            b.token[i], b.pos[i], b.n_seq_id[i], b.logits[i] = tok, pos, 1, logits
            b.seq_id[i][0] = seq
        b.n_tokens = len(rows)
        rc = llama_cpp.llama_decode(self.ctx, b)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        if self.trace is not None:
            self.trace.append(("decode", rows))

    def _seq_rm(self, seq: int, p0: int, p1: int) -> None:
        llama_cpp.llama_memory_seq_rm(self.mem, seq, p0, p1)
        if self.trace is not None:
            self.trace.append(("rm", seq, p0, p1))

    def replay(self, trace: list[tuple]) -> None:
        """Repeat the llama.cpp calls of ``trace`` on an emptied cache: the bare forward passes
        (and cache edits) a batched read needed, with no grammar and no Python decisions."""
        saved, self.trace = self.trace, None
        llama_cpp.llama_memory_clear(self.mem, True)
        self.prefix = []
        for op in trace:
            if op[0] == "decode":
                self._decode(op[1])
            elif op[0] == "rm":
                llama_cpp.llama_memory_seq_rm(self.mem, *op[1:])
            else:
                llama_cpp.llama_memory_seq_cp(self.mem, *op[1:])
        llama_cpp.llama_memory_clear(self.mem, True)
        self.trace = saved

    def _logits(self, index: int) -> np.ndarray:
        ptr = llama_cpp.llama_get_logits_ith(self.ctx, index)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    def _set_prefix(self, prefix: list[int], cancel: CancelFlag | None) -> None:
        """Evaluate the shared start of the prompt once, on its own sequence."""
        if prefix == self.prefix:
            return
        llama_cpp.llama_memory_clear(self.mem, True)
        self.prefix = []
        for i in range(0, len(prefix), self.n_batch):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            chunk = prefix[i: i + self.n_batch]
            self._decode([(t, i + j, self.prefix_seq, False) for j, t in enumerate(chunk)])
        self.prefix = list(prefix)

    # ---- one report ------------------------------------------------------------------------
    def _start(self, r: _Report) -> None:
        self._seq_rm(r.seq, -1, -1)
        keep = len(self.prefix) if r.prompt[: len(self.prefix)] == self.prefix else 0
        keep = min(keep, len(r.prompt) - 2)        # evaluate at least two tokens for fresh logits
        if keep:
            llama_cpp.llama_memory_seq_cp(self.mem, self.prefix_seq, r.seq, 0, keep)
            if self.trace is not None:
                self.trace.append(("cp", self.prefix_seq, r.seq, 0, keep))
        r.n_past, r.todo, r.answering = keep, r.prompt[keep:], False
        r.stats.prompt_tokens, r.stats.cached_tokens = len(r.prompt), keep
        self._new_answer(r, r.budget)

    def _new_answer(self, r: _Report, budget: int) -> None:
        r.matcher = llguidance.LLMatcher(self.lltok, r.grammar)
        if r.matcher.is_error():
            raise ValueError(f"The task's decoding grammar is invalid: {r.matcher.get_error()}")
        r.limit, r.produced, r.out, r.records = budget, 0, bytearray(), []
        r.stats.stop = ""
        s = self.engine.settings
        r.rng = np.random.default_rng(s.seed) if s.temperature > 0 else None

    def _restart_answer(self, r: _Report) -> None:
        """A runaway answer: once more from the end of the prompt, with the larger budget."""
        start = len(r.prompt) - 2                  # the last two, as a prompt read again (core.engine.decode)
        self._seq_rm(r.seq, start, -1)
        r.n_past, r.todo, r.answering, r.retried = start, r.prompt[start:], False, True
        self._new_answer(r, r.retry_budget)

    def _choose(self, r: _Report, row: int, logits: np.ndarray) -> bool:
        """Pick the next token from ``logits`` under the mask in ``row``, then queue the tokens the
        grammar forces after it.  True when the answer is complete (or out of budget)."""
        t0 = time.perf_counter()
        matcher = r.matcher
        assert matcher is not None
        bitmask = self.masks[row]
        only = single_allowed(bitmask)
        if only is not None and only not in self.stop_tokens:
            tok, prob, forced = only, 1.0, True
        else:
            allowed = np.unpackbits(bitmask.view(np.uint8), bitorder="little")[: self.n_vocab].astype(bool)
            tok, prob = pick_token(np.where(allowed, logits, -np.inf), self.engine.settings.temperature, r.rng)
            forced = False
        queued: list[int] = []
        single = np.empty_like(bitmask)
        while True:
            if not forced and tok in self.stop_tokens:
                r.stats.stop = "eos"
                break
            if not matcher.consume_token(tok):
                raise GrammarError(matcher.get_error() or f"token {tok} rejected")
            piece = self.lltok.decode_bytes([tok])
            r.records.append(TokenRecord(tok, len(r.out), len(r.out) + len(piece), prob, forced))
            r.out += piece
            r.produced += 1
            r.stats.forced_tokens += forced
            if matcher.is_stopped() or matcher.is_accepting():
                r.stats.stop = "grammar"
                break
            queued.append(tok)
            if r.produced >= r.limit:
                r.stats.stop = "length"
                break
            matcher.unsafe_compute_mask_ptr(single.ctypes.data, single.nbytes)
            only = single_allowed(single)
            if only is None or only in self.stop_tokens:
                break
            tok, prob, forced = only, 1.0, True
        r.stats.mask_s += time.perf_counter() - t0
        r.stats.output_tokens = r.produced
        r.todo = queued
        return bool(r.stats.stop)

    def _result(self, r: _Report, model) -> Extraction:
        stats, task = r.stats, self._task
        text_out = bytes(r.out).decode("utf-8", errors="replace")
        ex = self.engine._finish(Extraction(status="ok", raw_output=text_out), stats, b"")
        if r.error:
            ex.status, ex.reason = "failed", f"Constrained decoding failed: {r.error}"
        elif stats.stop == "length":
            ex.status, ex.reason = "failed", answer_too_long(r.budget, r.retry_budget if r.retried else r.budget)
        else:
            check_answer(ex, task, text_out, r.text, model=model, records=r.records)
        for note in r.notes:
            ex.add_warning("", note)
        t = ex.timings
        t.total_s = time.perf_counter() - r.t_start
        t.other_s = max(0.0, t.total_s - t.prompt_s - t.decode_s - t.mask_s)
        return ex

    # ---- the run -------------------------------------------------------------------------------
    def read(self, task: Task, prepared: Iterable[tuple[str, str, list[int], list[str]]],
             cancel: CancelFlag | None, on_start: Callable[[str], None],
             on_result: Callable[[str, Extraction], None]) -> None:
        """Read ``prepared`` reports (key, text to read, prompt tokens, notes), N at a time.

        ``on_start(key)`` is called when a report enters a sequence, ``on_result(key, extraction)``
        when its answer is complete, in the order answers complete.  Raises Cancelled when
        ``cancel`` is set; reports in flight then give no result."""
        engine = self.engine
        self._task = task
        _, fixed, model = engine._prepare(task)
        max_output = engine._max_output(task)
        queue = deque(prepared)
        free = list(range(self.n_seq))
        active: dict[int, _Report] = {}
        prefix_done = False
        while queue or active:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            while queue and free:
                key, text, prompt, notes = queue.popleft()
                if not prefix_done:
                    self._set_prefix(self._shared_start(task, prompt), cancel)
                    prefix_done = True
                room = self.engine.n_ctx - len(prompt) - 8
                budget = max(1, min(max_output, room))
                r = _Report(key=key, seq=free.pop(0), text=text, notes=notes, prompt=prompt,
                            grammar=engine._grammar_for(task, fixed, text), budget=budget,
                            retry_budget=min(budget * engine.RETRY_BUDGET_FACTOR, room),
                            t_start=time.perf_counter())
                self._start(r)
                active[r.seq] = r
                on_start(key)
            for r in self._step(active):
                if r.stats.stop == "length" and not r.retried and r.retry_budget > r.budget:
                    self._restart_answer(r)
                    continue
                del active[r.seq]
                self._seq_rm(r.seq, -1, -1)
                free.append(r.seq)
                free.sort()
                on_result(r.key, self._result(r, model))

    def _shared_start(self, task: Task, prompt: list[int]) -> list[int]:
        """The prompt's tokens before the report: the same for every report of the task."""
        empty = self.engine.tokenize(self.engine.render_prompt(task, ""))
        n = 0
        for a, b in zip(empty, prompt):
            if a != b:
                break
            n += 1
        return prompt[: max(0, n - 1)]   # the last common token may merge with the report's first word

    def _step(self, active: dict[int, _Report]) -> list[_Report]:
        """Decode one batch for every report in flight; return those whose answer is complete."""
        rows: list[tuple[int, int, int, bool]] = []
        owners: list[tuple[_Report, int, bool]] = []          # report, its last row, prompt or answer
        order = sorted(active.values(), key=lambda x: x.seq)
        room = self.n_batch
        for phase in (True, False):                            # answer tokens first, then prompt chunks
            for r in order:
                if r.answering is not phase or not r.todo:
                    continue
                take = r.todo[: room if phase else min(PROMPT_CHUNK, room)]
                if not phase and len(r.todo) - len(take) == 1 and len(take) > 1:
                    take = take[:-1]     # never a last prompt chunk of one token (core.engine.decode)
                if not take:
                    continue
                done = len(take) == len(r.todo)
                rows += [(t, r.n_past + j, r.seq, done and j == len(take) - 1) for j, t in enumerate(take)]
                r.n_past += len(take)
                r.todo = r.todo[len(take):]
                room -= len(take)
                owners.append((r, len(rows) - 1 if done else -1, not phase))
        t0 = time.perf_counter()
        self._decode(rows)
        dt = (time.perf_counter() - t0) / max(1, len(owners))
        choosing: list[tuple[_Report, int]] = []
        for r, last, in_prompt in owners:
            if in_prompt:
                r.stats.prompt_s += dt
            else:
                r.stats.decode_s += dt
            if last >= 0:
                r.answering = True
                choosing.append((r, last))
        if not choosing:
            return []
        t0 = time.perf_counter()
        matchers = [(r.matcher, i) for i, (r, _) in enumerate(choosing) if r.matcher is not None]
        llguidance.numpy.fill_next_token_bitmask_par(self.executor, matchers, self.masks)
        share = (time.perf_counter() - t0) / len(choosing)
        finished = []
        for i, (r, last) in enumerate(choosing):
            r.stats.mask_s += share
            try:
                done = self._choose(r, i, self._logits(last))
            except GrammarError as exc:   # this report fails; the others go on
                r.error, done = str(exc), True
            if done:
                finished.append(r)
        return finished


__all__ = ["BatchReader", "PROMPT_CHUNK"]
