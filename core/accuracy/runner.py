"""Run prompt variants over labelled sets with one model and one decoder.

Every variant of every set goes through the same :class:`core.engine.Engine`
(the app's engine, greedy constrained decoding) loaded once; a variant whose
task comes out identical to another's on the same set (e.g. ``default`` and
the style it defaults to) is run once and reported under both names.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.accuracy.score import dragon_score, number_outcome, same
from core.accuracy.sets import LabelledSet
from core.accuracy.variants import Variant
from core.task import Task


@dataclass
class Answer:
    status: str                      # ok | failed
    values: dict[str, Any]
    confidence: dict[str, float]
    reason: str | None = None


@dataclass
class SetResult:
    """One variant on one labelled set."""

    set: LabelledSet
    variant: Variant
    task: Task                                   # the task as the variant ran it
    answers: dict[str, Answer] = field(default_factory=dict)

    def field_right(self) -> dict[str, int]:
        out = {f.key: 0 for f in self.task.fields}
        for rid, _ in self.set.reports:
            a = self.answers[rid]
            if a.status != "ok":
                continue
            for f in self.task.fields:
                out[f.key] += same(f, a.values.get(f.key), self.set.gold[rid].get(f.key))
        return out

    @property
    def right(self) -> int:
        return sum(self.field_right().values())

    @property
    def total(self) -> int:
        return len(self.set.reports) * len(self.task.fields)

    @property
    def failed(self) -> int:
        return sum(1 for a in self.answers.values() if a.status != "ok")

    def numbers(self) -> dict[str, Counter]:
        """Per number field: how its answers came out (:func:`number_outcome`)."""
        out: dict[str, Counter] = {}
        for f in self.task.fields:
            if not f.type.is_number:
                continue
            c = out.setdefault(f.key, Counter())
            for rid, _ in self.set.reports:
                a = self.answers[rid]
                pred = a.values.get(f.key) if a.status == "ok" else None
                c[number_outcome(pred, self.set.gold[rid].get(f.key))] += 1
        return out

    def dragon(self) -> float | None:
        """The DRAGON evaluator's metric on these cases (DRAGON sets only)."""
        if not self.set.dragon_task:
            return None
        from core.evaluation.dragon_tasks import predictions_from_values

        name = self.set.dragon_task
        texts = [(uid, rec.get("text_parts") or rec.get("text") or "")
                 for uid, rec in self.set.dragon_records.items()]
        values = {rid: a.values for rid, a in self.answers.items() if a.status == "ok"}
        conf = {rid: a.confidence for rid, a in self.answers.items()}
        return dragon_score(name, self.set.dragon_records, predictions_from_values(name, texts, values, conf))


def context_needed(sets: list[LabelledSet], count: Callable[[str], int]) -> int:
    longest = max((count(text) for s in sets for _, text in s.reports), default=0)
    fixed = max((count(s.task.instructions) + 600 + 60 * sum(1 for _ in s.task.walk()) for s in sets), default=0)
    out = max((s.task.options.max_output_tokens for s in sets), default=1024)
    return int(-(-(longest + fixed + out + 64) // 256) * 256)


def measure(sets: list[LabelledSet], variants: list[Variant], model_path: str | Path, settings=None,
            progress: Callable[[int, int, str], None] = lambda done, total, what: None,
            set_done: Callable[[list[SetResult]], None] = lambda results: None) -> list[SetResult]:
    """Run every variant over every set; results in (set, variant) order.  ``set_done``
    gets the results so far each time a set is finished (to keep them if a long run stops)."""
    from core.engine.engine import Engine, EngineSettings
    from core.runner import count_tokens_fn

    settings = settings or EngineSettings()
    n_ctx = min(32768, max(2048, context_needed(sets, count_tokens_fn(model_path))))
    engine = Engine(model_path, EngineSettings(**{**settings.__dict__, "n_ctx": n_ctx}))
    try:
        results: list[SetResult] = []
        total = sum(len(s) for s in sets) * len(variants)
        done = 0
        for s in sets:
            ran: dict[str, dict[str, Answer]] = {}  # task hash -> answers (identical tasks run once)
            for v in variants:
                task = v.apply(s.task)
                res = SetResult(s, v, task)
                h = task.hash()
                for rid, text in s.reports:
                    if h in ran:
                        res.answers[rid] = ran[h][rid]
                    else:
                        ex = engine.extract(task, text)
                        res.answers[rid] = Answer(ex.status, ex.values, ex.confidence, ex.reason)
                    done += 1
                    progress(done, total, f"{s.name} / {v.name}")
                ran[h] = res.answers
                results.append(res)
            set_done(results)
        return results
    finally:
        engine.close()
