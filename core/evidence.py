"""Align the model's evidence quotes to character offsets in the report.

Exact match first (case-sensitive, then case- and whitespace-insensitive),
then a fuzzy partial match (rapidfuzz) that must reach ``min_score``.  A
quote that cannot be found is reported as ``None``: the review shows
"no evidence found in the text" rather than a made-up highlight.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

MIN_SCORE = 85.0
_WS = re.compile(r"\s+")


def _normalised(text: str) -> tuple[str, list[int]]:
    """Lower-case text with whitespace runs collapsed, plus a map to original offsets."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch.lower())
            prev_space = False
        index.append(i)
    return "".join(out), index


def align(quote: str | None, text: str, *, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Return (start, end) offsets of ``quote`` in ``text`` or None."""
    if not quote:
        return None
    q = quote.strip().strip('"').strip()
    if len(q) < 2:
        return None
    pos = text.find(q)
    if pos >= 0:
        return pos, pos + len(q)
    norm_text, index = _normalised(text)
    norm_q = _WS.sub(" ", q.lower())
    pos = norm_text.find(norm_q)
    if pos >= 0:
        return index[pos], index[pos + len(norm_q) - 1] + 1
    if len(norm_q) < 4:
        return None
    res = fuzz.partial_ratio_alignment(norm_q, norm_text, score_cutoff=min_score)
    if res is None or res.dest_end <= res.dest_start:
        return None
    start = index[res.dest_start]
    end = index[res.dest_end - 1] + 1
    # trim to word boundaries so highlights sit on whole words
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end
