"""What one extraction produces, and how token probabilities become confidence."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TokenRecord:
    token: int
    start: int       # byte offset in the output
    end: int
    prob: float      # probability under the constrained distribution (1.0 when forced)
    forced: bool


@dataclass
class Timings:
    prompt_s: float = 0.0     # evaluating prompt tokens
    decode_s: float = 0.0     # evaluating generated / fast-forwarded tokens
    mask_s: float = 0.0       # computing and applying grammar masks, sampling
    other_s: float = 0.0      # tokenising, rendering, parsing, validation
    total_s: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in self.__dict__.items()}


@dataclass
class Extraction:
    """The engine's result for one report."""

    status: str                                   # "ok" | "failed" | "skipped" (not read: too long)
    reason: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    quotes: dict[str, str | None] = field(default_factory=dict)
    evidence: dict[str, list[int] | None] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)   # "" = the report as a whole
    raw_output: str = ""
    prompt_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    forced_tokens: int = 0
    timings: Timings = field(default_factory=Timings)

    def add_warning(self, key: str, message: str) -> None:
        self.warnings.setdefault(key, []).append(message)


def value_spans(text: str) -> dict[str, tuple[int, int]]:
    """Character spans of each top-level value in a JSON object text."""
    dec = json.JSONDecoder()
    spans: dict[str, tuple[int, int]] = {}
    i = text.index("{") + 1
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n or text[i] == "}":
            break
        key, i = dec.raw_decode(text, i)
        while text[i] in " \t\r\n":
            i += 1
        i += 1  # ':'
        while text[i] in " \t\r\n":
            i += 1
        _, end = dec.raw_decode(text, i)
        spans[key] = (i, end)
        i = end
    return spans


def field_confidence(text: str, tokens: list[TokenRecord], keys: list[str]) -> dict[str, float]:
    """Per-field confidence: the lowest probability of any chosen (not forced) token of the value."""
    spans = value_spans(text)
    out: dict[str, float] = {}
    for key in keys:
        if key not in spans:
            continue
        s, e = spans[key]
        bs, be = len(text[:s].encode()), len(text[:e].encode())
        probs = [t.prob for t in tokens if not t.forced and t.start < be and t.end > bs]
        out[key] = round(min(probs), 6) if probs else 1.0
    return out
