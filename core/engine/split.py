"""The 'split' policy for reports longer than the model's context.

The report is cut into consecutive parts at line breaks (never inside a
line unless a single line is too long), each part is extracted on its own,
and the answers are merged: per field, the first part that gives a value
wins (reading order), with its evidence offsets moved to the whole report.
The result always carries a warning that it was read in parts.
"""
from __future__ import annotations

import time

from core.engine.result import Extraction
from core.task import Task


def split_text(text: str, max_tokens: int, count) -> list[tuple[int, str]]:
    """Parts of ``text`` as (character offset, part), each within ``max_tokens``.

    Each line is counted once (a part's count is the sum of its lines' counts,
    which never undercounts by more than a token or two per line), so a long
    report costs one pass of the tokenizer, not one per line."""
    parts: list[tuple[int, str]] = []
    start, current, used = 0, "", 0
    pos = 0
    for line in text.splitlines(keepends=True):
        n = count(line)
        if current and used + n > max_tokens:
            parts.append((start, current))
            start, current, used = pos, "", 0
        if n > max_tokens:  # one very long line: cut it by characters
            for piece in _cut_line(line, n, max_tokens, count):
                parts.append((pos, piece))
                pos += len(piece)
            start = pos
            continue
        current += line
        used += n
        pos += len(line)
    if current:
        parts.append((start, current))
    return parts


def _cut_line(line: str, n_tokens: int, max_tokens: int, count) -> list[str]:
    """Consecutive pieces of one long line, each within ``max_tokens``, cut at a space when one is near."""
    chars_per_token = len(line) / max(1, n_tokens)
    pieces: list[str] = []
    while line:
        cut = min(len(line), max(1, int(max_tokens * chars_per_token * 0.9)))
        while cut > 1 and count(line[:cut]) > max_tokens:
            cut = max(1, int(cut * 0.8))
        if cut < len(line):
            space = line.rfind(" ", int(cut * 0.8), cut)
            if space > 0:
                cut = space + 1
        pieces.append(line[:cut])
        line = line[cut:]
    return pieces


def extract_in_parts(engine, task: Task, text: str, cancel, t_start: float, on_part=None) -> Extraction:
    """Read ``text`` in parts; ``on_part(k, m)`` is called before part k of m."""
    parts = split_text(text, engine.part_budget(task), engine.count_tokens)
    merged = Extraction(status="ok")
    raws: list[str] = []
    failures: list[str] = []
    for k, (offset, part) in enumerate(parts, 1):
        if on_part is not None:
            on_part(k, len(parts))
        ex = engine.extract(task.model_copy(update={"options": task.options.model_copy(
            update={"long_report_policy": "truncate"})}), part, cancel)
        raws.append(ex.raw_output)
        merged.prompt_tokens += ex.prompt_tokens
        merged.cached_tokens += ex.cached_tokens
        merged.output_tokens += ex.output_tokens
        merged.forced_tokens += ex.forced_tokens
        for name in ("prompt_s", "decode_s", "mask_s"):
            setattr(merged.timings, name, getattr(merged.timings, name) + getattr(ex.timings, name))
        if ex.status != "ok":
            failures.append(ex.reason or "failed")
            continue
        for f in task.fields:
            if merged.values.get(f.key) is None and ex.values.get(f.key) is not None:
                merged.values[f.key] = ex.values[f.key]
                merged.confidence[f.key] = ex.confidence.get(f.key, 1.0)
                if task.options.evidence:
                    merged.quotes[f.key] = ex.quotes.get(f.key)
                    span = ex.evidence.get(f.key)
                    merged.evidence[f.key] = [span[0] + offset, span[1] + offset] if span else None
            merged.values.setdefault(f.key, None)
        for path, msgs in ex.warnings.items():
            for m in msgs:
                merged.add_warning(path, m)
    for f in task.fields:
        merged.confidence.setdefault(f.key, 1.0)
        if task.options.evidence:
            merged.quotes.setdefault(f.key, None)
            merged.evidence.setdefault(f.key, None)
    merged.raw_output = "\n".join(raws)
    if len(failures) == len(parts):
        merged.status, merged.reason = "failed", "Every part of the report failed: " + "; ".join(failures)
        merged.values, merged.confidence, merged.quotes, merged.evidence = {}, {}, {}, {}
    merged.add_warning("", f"The report is longer than the model's context and was read in {len(parts)} parts; "
                           "values come from the first part that states them.")
    if failures and merged.status == "ok":
        merged.add_warning("", f"{len(failures)} of {len(parts)} parts failed: " + "; ".join(failures))
    merged.timings.total_s = time.perf_counter() - t_start
    return merged
