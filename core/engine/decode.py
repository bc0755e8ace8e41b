"""Constrained decoding with llguidance token masks, on one llama.cpp context.

One :class:`Decoder` belongs to one :class:`llama_cpp.Llama` and therefore
to one thread.  It evaluates prompts with prefix reuse (the longest common
token prefix with what is already in the KV cache is kept), checks a
cancel flag between prompt chunks and between tokens, and generates under
a grammar.  Tokens the grammar forces (keys, punctuation, the rest of an
option) are appended as one batch ("fast-forward") instead of being
sampled one decode step at a time.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import llama_cpp
import llguidance
import llguidance.llamacpp
import numpy as np

from core.engine.draft import Drafting, ReportLookup, rollback
from core.engine.result import TokenRecord


class CancelFlag(Protocol):
    """What the engine needs of a cancel flag (a ``threading.Event``, the runner's ``RunControl``)."""

    def is_set(self) -> bool: ...


class Cancelled(Exception):
    """The user cancelled; nothing was produced for this report."""


class GrammarError(RuntimeError):
    """The grammar rejected a step; the answer cannot be trusted."""


@dataclass
class DecodeStats:
    prompt_tokens: int = 0
    cached_tokens: int = 0
    prompt_s: float = 0.0
    decode_s: float = 0.0
    mask_s: float = 0.0
    output_tokens: int = 0
    forced_tokens: int = 0
    drafted: int = 0           # tokens drafted from the report and evaluated ahead
    draft_accepted: int = 0    # drafts the model's own choice confirmed
    stop: str = ""
    batches: list = field(default_factory=list)   # token batches evaluated after the prompt


class Decoder:
    #: target time for one prompt chunk: cancel is checked between chunks
    CHUNK_SECONDS = 0.2

    def __init__(self, llm: llama_cpp.Llama, *, prompt_chunk: int = 64):
        self.llm = llm
        self.n_vocab = llm.n_vocab()
        self.prompt_chunk = prompt_chunk  # adapted to the measured prompt speed
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        eos = {llama_cpp.llama_vocab_eos(vocab), llama_cpp.llama_vocab_eot(vocab)}
        self.stop_tokens = sorted(t for t in eos if t >= 0)
        self.lltok = llguidance.llamacpp.lltokenizer_from_vocab(
            vocab, n_vocab=self.n_vocab, eos_token=self.stop_tokens or None)
        self._bitmask = np.full(((self.n_vocab + 31) // 32,), -1, dtype=np.int32)
        self._ctx = llm._ctx.ctx

    # ---- prompt ---------------------------------------------------------------
    def eval_prompt(self, tokens: list[int], cancel: CancelFlag | None,
                    stats: DecodeStats, *, reuse_prefix: bool = True) -> None:
        llm = self.llm
        keep = 0
        if reuse_prefix and llm.n_tokens:
            cached = llm.input_ids[: llm.n_tokens]
            limit = min(len(cached), len(tokens))
            if limit:
                diff = np.nonzero(cached[:limit] != np.asarray(tokens[:limit], dtype=np.intc))[0]
                keep = int(diff[0]) if diff.size else limit
        # always evaluate the last two tokens at least: fresh logits, and from the batched kernel
        # as when the prompt is read for the first time (see the chunks below)
        keep = max(0, min(keep, len(tokens) - 2))
        llm.n_tokens = keep
        llm._ctx.kv_cache_seq_rm(-1, keep, -1)
        stats.prompt_tokens = len(tokens)
        stats.cached_tokens = keep
        t0 = time.perf_counter()
        rest = tokens[keep:]
        i = 0
        while i < len(rest):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            chunk = rest[i: i + min(self.prompt_chunk, llm.n_batch)]
            if len(rest) - i - len(chunk) == 1:
                # never a last chunk of one token: llama.cpp's single-token CPU kernel gives other
                # logits than its batched one (up to 0.47 measured), and chunk sizes follow the
                # measured speed, so the answer would depend on how busy the machine was
                chunk = chunk[:-1]
            t1 = time.perf_counter()
            llm.eval(chunk)
            dt = time.perf_counter() - t1
            i += len(chunk)
            if len(chunk) == self.prompt_chunk and dt > 0:
                rate = len(chunk) / dt
                self.prompt_chunk = int(min(256, max(8, rate * self.CHUNK_SECONDS)))
        stats.prompt_s += time.perf_counter() - t0

    def _eval(self, tokens: list[int], stats: DecodeStats) -> None:
        t0 = time.perf_counter()
        self.llm.eval(tokens)
        stats.decode_s += time.perf_counter() - t0
        stats.batches.append(list(tokens))

    def _flush(self, pending: list[int], history: list[int], matcher: llguidance.LLMatcher, room: int,
               drafting: Drafting | None, stats: DecodeStats) -> None:
        """Evaluate the pending tokens, with drafts from the report when there are any."""
        if drafting is not None:
            t0 = time.perf_counter()
            batch = drafting.eval(pending, history, matcher, room)
            if batch is not None:
                stats.decode_s += time.perf_counter() - t0
                stats.batches.append(batch)
                return
        self._eval(pending, stats)

    def _logits(self) -> np.ndarray:
        ptr = llama_cpp.llama_get_logits_ith(self._ctx, -1)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    # ---- free text (reasoning models' <think> block) ---------------------------
    def generate_until(self, stop_text: str, max_tokens: int, cancel: CancelFlag | None,
                       stats: DecodeStats) -> bytes:
        out = b""
        for _ in range(max_tokens):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            tok = int(np.argmax(self._logits()))
            if tok in self.stop_tokens:
                break
            out += self.llm.detokenize([tok])
            self._eval([tok], stats)
            if stop_text.encode() in out:
                break
        return out

    # ---- constrained ---------------------------------------------------------
    def generate(self, matcher: llguidance.LLMatcher, max_tokens: int, cancel: CancelFlag | None,
                 stats: DecodeStats, *, fast_forward: bool = False, temperature: float = 0.0,
                 rng: np.random.Generator | None = None,
                 force_tokens: bool = True,
                 draft: ReportLookup | None = None) -> tuple[bytes, list[TokenRecord]]:
        """Generate under ``matcher``.

        A token is *forced* when the grammar allows exactly one token: greedy
        decoding would pick it whatever the logits, so no forward pass is needed
        to choose it.  With ``fast_forward`` the forced tokens are queued and
        evaluated together with the token before them in one batch; without it
        every token is evaluated on its own.  With ``force_tokens`` off, every
        token is picked from the masked logits (the plain constrained path).
        With ``draft``, the tokens that follow the answer's tail in the report are
        evaluated in the same batch as the pending tokens and kept while the model's
        own choice equals them (core.engine.draft).
        """
        out = bytearray()
        records: list[TokenRecord] = []
        pending: list[int] = []        # chosen tokens whose forward pass is still due
        history: list[int] = []        # the answer's tokens so far (for the drafts)
        drafting = Drafting(draft, self.llm, self.n_vocab) if draft is not None else None
        produced = 0
        in_kv = False                  # the last token was a confirmed draft (already evaluated)
        while True:
            if produced >= max_tokens:
                stats.stop = "length"
                break
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            t0 = time.perf_counter()
            matcher.unsafe_compute_mask_ptr(self._bitmask.ctypes.data, self._bitmask.nbytes)
            forced = single_allowed(self._bitmask) if force_tokens else None
            stats.mask_s += time.perf_counter() - t0
            if forced is not None and forced not in self.stop_tokens:
                tok, prob = forced, 1.0
                stats.forced_tokens += 1
            else:
                if pending:
                    self._flush(pending, history, matcher, max_tokens - produced, drafting, stats)
                    pending = []
                t0 = time.perf_counter()
                allowed = np.unpackbits(self._bitmask.view(np.uint8), bitorder="little")[: self.n_vocab]
                row = drafting.logits() if drafting is not None else None
                logits = np.where(allowed.astype(bool), self._logits() if row is None else row, -np.inf)
                tok, prob = pick_token(logits, temperature, rng)
                stats.mask_s += time.perf_counter() - t0
                if tok in self.stop_tokens:
                    stats.stop = "eos"
                    break
            in_kv = drafting is not None and drafting.confirm(tok)
            if not matcher.consume_token(tok):
                raise GrammarError(matcher.get_error() or f"token {tok} rejected")
            piece = self.lltok.decode_bytes([tok])
            records.append(TokenRecord(tok, len(out), len(out) + len(piece), prob, forced is not None))
            history.append(tok)
            out += piece
            produced += 1
            if matcher.is_stopped() or self._only_stop_allowed(matcher, stats):
                stats.stop = "grammar"
                break
            if in_kv:
                continue
            pending.append(tok)
            if not fast_forward:
                self._flush(pending, history, matcher, max_tokens - produced, drafting, stats)
                pending = []
        if drafting is not None:
            # as plain decoding leaves it: no unconfirmed drafts, and no forward pass for
            # the answer's last token
            drafting.drop()
            if in_kv and stats.stop == "grammar":
                rollback(self.llm, self.llm.n_tokens - 1)
            stats.drafted += drafting.lookup.proposed
            stats.draft_accepted += drafting.lookup.accepted
        stats.output_tokens = produced
        return bytes(out), records

    @staticmethod
    def _only_stop_allowed(matcher: llguidance.LLMatcher, stats: DecodeStats) -> bool:
        """True when the answer is complete.  The top-level value is always a JSON
        object written without whitespace, so once the grammar accepts, nothing but
        end-of-text may follow and the last token need not be evaluated."""
        return matcher.is_accepting()


def single_allowed(bitmask: np.ndarray) -> int | None:
    """The one token ``bitmask`` allows, or None when there is a choice."""
    words = np.flatnonzero(bitmask)
    if words.size != 1:
        return None
    w = int(bitmask[words[0]]) & 0xFFFFFFFF
    if w & (w - 1):
        return None
    return int(words[0]) * 32 + w.bit_length() - 1


def pick_token(logits: np.ndarray, temperature: float, rng: np.random.Generator | None) -> tuple[int, float]:
    finite = np.isfinite(logits)
    if not finite.any():
        raise GrammarError("the grammar allows no token here")
    m = logits.max()
    if temperature > 0 and rng is not None:
        z = (logits - m) / temperature
        p = np.exp(z, where=finite, out=np.zeros_like(z))
        p /= p.sum()
        tok = int(rng.choice(len(p), p=p))
    else:
        tok = int(np.argmax(logits))
    # probability of the chosen token among the allowed ones (temperature 1)
    e = np.exp(logits[finite] - m)
    prob = float(np.exp(logits[tok] - m) / e.sum())
    return tok, prob
