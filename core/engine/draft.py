"""Drafts from the report (prompt-lookup drafting) for constrained decoding.

An evidence quote is copied from the report, and the report is already in the
prompt.  When the last tokens of the answer occur in the report's tokens, the
tokens that follow them there are likely to be the answer's next tokens.
:class:`ReportLookup` proposes them; the :class:`~core.engine.decode.Decoder`
keeps the part the grammar allows, evaluates the pending token and the drafts
in ONE llama.cpp batch with logits at every position, and keeps a draft only
while the model's own greedy (masked) choice equals it.  A rejected draft is
removed from the KV cache again (:func:`eval_with_logits`, :func:`rollback`).

llama.cpp's batched and single-token CPU kernels give slightly different
logits, so a near-tie can go another way than in plain decoding:
docs/performance.md, "Drafting quotes from the report", says how often.
"""
from __future__ import annotations

from typing import Callable

import llama_cpp
import llguidance
import numpy as np


class ReportLookup:
    """Proposes the report's next tokens after the answer's last ``min_match``–``max_match`` tokens."""

    def __init__(self, source: list[int], *, max_draft: int = 16, min_match: int = 2, max_match: int = 3):
        self.source = np.asarray(source, dtype=np.int64)
        self.max_draft = max_draft
        self.min_match = min_match
        self.max_match = max_match
        #: token -> positions in ``source`` where it occurs (the candidates for the last token)
        self._where: dict[int, np.ndarray] = {}
        if self.source.size:
            order = np.argsort(self.source, kind="stable")
            values, starts = np.unique(self.source[order], return_index=True)
            for v, chunk in zip(values, np.split(order, starts[1:])):
                self._where[int(v)] = chunk
        self.proposed = 0   # drafts handed to the decoder (after the grammar's cut)
        self.accepted = 0   # drafts the model's own choice confirmed

    @classmethod
    def for_report(cls, detokenize: Callable[[list[int]], bytes], tokens: list[int], report_text: str,
                   **kw) -> "ReportLookup":
        """The lookup over the prompt ``tokens`` from the token where the report starts (its last
        occurrence in the prompt) to the end; ``detokenize`` gives a token's bytes."""
        body = report_text.strip().encode("utf-8")
        ends = np.cumsum([len(detokenize([t])) for t in tokens]) if body else np.zeros(0)
        at = b"".join(detokenize([t]) for t in tokens).rfind(body) if body else -1
        if at < 0:
            return cls([], **kw)
        start = int(np.searchsorted(ends, at, side="right"))   # the token holding byte ``at``
        return cls(tokens[start:], **kw)

    def propose(self, history: list[int]) -> list[int]:
        """Up to ``max_draft`` tokens that followed the longest match of ``history``'s tail
        (the first place in the report for that length)."""
        if len(history) < self.min_match or not self._where:
            return []
        cands = self._where.get(int(history[-1]))
        if cands is None:
            return []
        n_src = self.source.size
        for n in range(min(self.max_match, len(history)), self.min_match - 1, -1):
            tail = np.asarray(history[-n:], dtype=np.int64)
            for end in cands:                    # ``end``: where the tail's last token sits
                begin = int(end) - n + 1
                if begin < 0 or end + 1 >= n_src:
                    continue
                if np.array_equal(self.source[begin: end + 1], tail):
                    return [int(t) for t in self.source[end + 1: end + 1 + self.max_draft]]
        return []

    @staticmethod
    def allowed(matcher: llguidance.LLMatcher, drafts: list[int]) -> list[int]:
        """The longest prefix of ``drafts`` the grammar accepts from the matcher's current state."""
        return drafts[: matcher.validate_tokens(drafts)] if drafts else []


def eval_with_logits(llm: llama_cpp.Llama, tokens: list[int], n_vocab: int) -> np.ndarray:
    """Evaluate ``tokens`` after what ``llm`` holds, in one llama.cpp batch, with logits at every
    position; returns them (a copy, one row per token).  ``llm.n_tokens`` and ``llm.input_ids``
    advance as with :meth:`llama_cpp.Llama.eval` (which keeps only the last row)."""
    n = len(tokens)
    if not 0 < n <= llm.n_batch:
        raise ValueError(f"a draft batch holds 1 to {llm.n_batch} tokens, not {n}")
    n_past = llm.n_tokens
    llm._ctx.kv_cache_seq_rm(-1, n_past, -1)
    llm._batch.set_batch(batch=tokens, n_past=n_past, logits_all=True)
    llm._ctx.decode(llm._batch)
    llm.input_ids[n_past: n_past + n] = tokens
    llm.n_tokens = n_past + n
    ptr = llama_cpp.llama_get_logits(llm._ctx.ctx)
    return np.ctypeslib.as_array(ptr, shape=(n, n_vocab)).copy()


def rollback(llm: llama_cpp.Llama, n_tokens: int) -> None:
    """Forget everything after the first ``n_tokens`` tokens (KV cache, ``n_tokens``)."""
    if n_tokens < llm.n_tokens:
        llm._ctx.kv_cache_seq_rm(-1, n_tokens, -1)
        llm.n_tokens = n_tokens


class Drafting:
    """The decoder's drafting state for one answer: drafts evaluated but not yet confirmed
    (``ahead``) and the logits of the last batch, one row per position.

    On a CPU a batch costs nearly as much per token as single steps (one thread: about
    20 ms per token plus 20 ms per batch for SmolLM2), so a rejected draft is not free.
    The draft length therefore starts at one token, doubles while every draft is
    confirmed (a long copy), and falls back to one at the first rejection (the quote
    ended, or went another way)."""

    def __init__(self, lookup: ReportLookup, llm: llama_cpp.Llama, n_vocab: int):
        self.lookup = lookup
        self.llm = llm
        self.n_vocab = n_vocab
        self.ahead: list[int] = []
        self.rows: np.ndarray | None = None
        self.row = 0
        self.size = 1        # tokens to draft next time

    def eval(self, pending: list[int], history: list[int], matcher: llguidance.LLMatcher,
             room: int) -> list[int] | None:
        """Evaluate ``pending`` with the drafts that follow ``history`` (the answer so far, the
        pending tokens included; ``matcher`` has consumed them) in one batch.  ``room``: tokens
        the answer may still have.  Returns the batch, or None when there is nothing to draft
        (the caller evaluates ``pending`` the plain way)."""
        self.ahead, self.rows = [], None
        room = min(room, self.llm.n_batch - len(pending))
        drafts = self.lookup.allowed(matcher, self.lookup.propose(history)[:max(0, min(room, self.size))])
        if not drafts:
            return None
        batch = pending + drafts
        self.rows = eval_with_logits(self.llm, batch, self.n_vocab)
        self.row = len(pending) - 1
        self.ahead = drafts
        self.lookup.proposed += len(drafts)
        return batch

    def logits(self) -> np.ndarray | None:
        """The logits for the next choice when the last batch had drafts, else None."""
        return self.rows[self.row] if self.rows is not None else None

    def confirm(self, tok: int) -> bool:
        """``tok`` was chosen: True when it is the next draft (already evaluated).  On a
        mismatch the remaining drafts leave the KV cache and False is returned."""
        if not self.ahead:
            self.rows = None
            return False
        if tok == self.ahead[0]:
            self.ahead.pop(0)
            self.row += 1
            self.lookup.accepted += 1
            if not self.ahead:
                self.size = min(2 * self.size, self.lookup.max_draft)
            return True
        self.drop()
        self.size = 1
        return False

    def drop(self) -> None:
        """Forget the drafts not confirmed (KV cache, ``n_tokens``)."""
        rollback(self.llm, self.llm.n_tokens - len(self.ahead))
        self.ahead, self.rows = [], None
