"""The 'split' policy's rules, each on its own: parts within the budget, the
first stated value wins, evidence offsets moved to the whole report, failed
parts aggregated, one over-long line cut by characters.

The model is replaced by a stand-in that counts tokens as characters / 4 and
"reads" ``key=number`` statements from the text it is given, so each rule
can be set up exactly; the real model's run of the split policy is in
test_engine.py.
"""
from __future__ import annotations

import math
import re
import time

import pytest

from core.engine.result import Extraction
from core.engine.split import extract_in_parts, split_text
from core.task import Field, FieldType, Task, TaskOptions

STATEMENT = re.compile(r"\b(size|lobe)=(\d+)")


def count(text: str) -> int:
    """The stand-in tokenizer: one token per four characters."""
    return math.ceil(len(text) / 4)


class Reader:
    """A stand-in engine: the first ``key=number`` of each field in a part is its value,
    the statement is the quote; a part containing ``UNREADABLE`` fails."""

    def __init__(self, n_ctx: int, max_output: int = 40):
        self.n_ctx = n_ctx
        self.max_output = max_output
        self.parts: list[str] = []
        self.policies: list[str] = []

    def count_tokens(self, text: str) -> int:
        return count(text)

    def render_prompt(self, task: Task, report_text: str) -> str:
        return "Instructions.\n" + report_text

    def _max_output(self, task: Task) -> int:
        return self.max_output

    def part_budget(self, task: Task) -> int:
        """Tokens a part may have: the context less the answer, the fixed prompt and a margin."""
        return self.n_ctx - self.max_output - (count(self.render_prompt(task, "")) + 8) - 8

    def extract(self, task: Task, text: str, cancel=None) -> Extraction:
        self.parts.append(text)
        self.policies.append(task.options.long_report_policy)
        assert count(self.render_prompt(task, text)) <= self.n_ctx - self.max_output, "a part over the budget"
        if "UNREADABLE" in text:
            return Extraction(status="failed", reason=f"part {len(self.parts)} unreadable", raw_output="{")
        ex = Extraction(status="ok", raw_output=text[:10])
        ex.add_warning("size", f"checked in part {len(self.parts)}")
        for f in task.fields:
            m = next((m for m in STATEMENT.finditer(text) if m.group(1) == f.key), None)
            ex.values[f.key] = int(m.group(2)) if m else None
            ex.confidence[f.key] = 0.5 if m else 1.0
            if task.options.evidence:
                ex.quotes[f.key] = m.group(0) if m else None
                ex.evidence[f.key] = [m.start(), m.end()] if m else None
        return ex


def _task(evidence: bool = True) -> Task:
    return Task(name="Nodules", fields=[Field(key="size", type=FieldType.INTEGER),
                                        Field(key="lobe", type=FieldType.INTEGER)],
                options=TaskOptions(evidence=evidence, long_report_policy="split"))


FILLER = "Geen afwijkingen in dit segment van het onderzoek.\n"   # 51 characters, 13 tokens


def _report(*middles: str) -> str:
    return "".join(FILLER * 6 + m + "\n" for m in middles) + FILLER * 6


def test_parts_cover_the_report_exactly_and_stay_within_the_budget():
    report = _report("size=8", "lobe=3 size=12")
    parts = split_text(report, 100, count)
    assert len(parts) >= 3
    assert "".join(p for _, p in parts) == report                # nothing lost, nothing repeated
    assert all(report[o:o + len(p)] == p for o, p in parts)     # offsets are true
    assert all(count(p) <= 100 for _, p in parts)
    assert all(p.endswith("\n") for _, p in parts)               # cut at line breaks only


def test_one_over_long_line_is_cut_by_characters():
    line = "".join(f"woord{i} " for i in range(400))            # 3090 characters, no line break
    report = FILLER + line + "\n" + FILLER
    parts = split_text(report, 50, count)
    assert "".join(p for _, p in parts) == report
    assert all(report[o:o + len(p)] == p for o, p in parts)
    assert all(count(p) <= 50 for _, p in parts)
    inside = [p for o, p in parts if o >= len(FILLER) and o + len(p) <= len(FILLER) + len(line)]
    assert len(inside) >= 10 and not any("\n" in p for p in inside)   # the line itself, cut mid-line


def test_first_stated_value_wins_and_offsets_are_moved_to_the_whole_report():
    report = _report("size=8", "lobe=3 size=12")
    reader = Reader(n_ctx=150)
    ex = extract_in_parts(reader, _task(), report, None, time.perf_counter())
    assert len(reader.parts) >= 3
    first = next(i for i, p in enumerate(reader.parts) if "size=8" in p)
    assert "size=12" not in reader.parts[first] and "size=12" in "".join(reader.parts[first + 1:])
    assert ex.status == "ok", ex.reason
    assert ex.values == {"size": 8, "lobe": 3}                  # size from the earlier part, not 12
    for key in ("size", "lobe"):
        s, e = ex.evidence[key]
        assert report[s:e] == ex.quotes[key]                    # offsets in the whole report
    assert report.index("size=8") == ex.evidence["size"][0]
    assert ex.confidence == {"size": 0.5, "lobe": 0.5}
    assert any(f"read in {len(reader.parts)} parts" in w for w in ex.warnings[""])
    assert ex.warnings["size"] == [f"checked in part {i + 1}" for i in range(len(reader.parts))]
    assert set(reader.policies) == {"truncate"}                 # a part is never split again
    assert ex.raw_output == "\n".join(p[:10] for p in reader.parts)


def test_a_field_no_part_states_is_none_without_evidence():
    ex = extract_in_parts(Reader(n_ctx=150), _task(), _report("lobe=5"), None, time.perf_counter())
    assert ex.values == {"size": None, "lobe": 5}
    assert ex.evidence["size"] is None and ex.quotes["size"] is None and ex.confidence["size"] == 1.0


def test_without_evidence_no_quotes_or_offsets_are_made_up():
    ex = extract_in_parts(Reader(n_ctx=150), _task(evidence=False), _report("size=8"), None, time.perf_counter())
    assert ex.values == {"size": 8, "lobe": None}
    assert ex.quotes == {} and ex.evidence == {}


def test_failed_parts_are_counted_and_named_while_the_rest_is_used():
    report = _report("UNREADABLE size=99", "size=7 lobe=2")
    reader = Reader(n_ctx=150)
    ex = extract_in_parts(reader, _task(), report, None, time.perf_counter())
    assert ex.status == "ok"
    assert ex.values == {"size": 7, "lobe": 2}                  # nothing taken from the failed part
    failed = [i + 1 for i, p in enumerate(reader.parts) if "UNREADABLE" in p]
    assert len(failed) == 1
    note = next(w for w in ex.warnings[""] if "parts failed" in w)
    assert note == f"1 of {len(reader.parts)} parts failed: part {failed[0]} unreadable"


@pytest.mark.parametrize("evidence", [True, False])
def test_every_part_failing_fails_the_report_with_every_reason(evidence):
    report = "\n".join(["UNREADABLE " + FILLER.strip()] * 20) + "\n"
    reader = Reader(n_ctx=150)
    ex = extract_in_parts(reader, _task(evidence), report, None, time.perf_counter())
    n = len(reader.parts)
    assert n >= 2
    assert ex.status == "failed"
    assert ex.reason == "Every part of the report failed: " + "; ".join(f"part {i + 1} unreadable" for i in range(n))
    assert ex.values == {} and ex.confidence == {} and ex.quotes == {} and ex.evidence == {}
