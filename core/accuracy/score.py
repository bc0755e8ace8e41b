"""Scoring: is each answer right, and how do numbers come out.

A *field* of a report is right when the answer equals the gold value after the
type's normalisation (numbers within 1e-6, text case- and punctuation-insensitive,
lists as sets); an empty gold cell means the right answer is null.  A report the
engine failed on counts every field wrong.

Numbers are also sorted into how they came out (:func:`number_outcome`):
``right``, ``unit`` (off by a factor 10, 100 or 1000: cm for mm, l for ml),
``decimal`` (a decimal comma misread: 8,4 -> 8, 84 or 4), ``null`` (no answer
where the report states one), ``invented`` (an answer where gold is null) and
``other``.
"""
from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

from core.evaluation import normalise_text
from core.task import Field, FieldType

NUMBER_OUTCOMES = ("right", "unit", "decimal", "null", "invented", "other")


def same(field: Field, pred: Any, gold: Any) -> bool:
    """Whether ``pred`` is the gold value ``gold`` for ``field``."""
    if gold is None or gold == [] or (isinstance(gold, float) and math.isnan(gold)):
        return pred is None or pred == []
    if pred is None:
        return False
    t = field.type
    if t is FieldType.YES_NO:
        return isinstance(pred, bool) and pred == bool(gold)
    if t.is_number:
        try:
            p, g = float(pred), float(gold)
        except (TypeError, ValueError):
            return False
        return abs(p - g) <= 1e-6 * max(1.0, abs(g))
    if t in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST):
        if not isinstance(pred, list):
            return False
        return sorted({normalise_text(x) for x in pred}) == sorted({normalise_text(x) for x in gold})
    if t.has_children:
        if t is FieldType.GROUP:
            return isinstance(pred, dict) and all(same(c, pred.get(c.key), (gold or {}).get(c.key))
                                                  for c in field.fields)
        return (isinstance(pred, list) and len(pred) == len(gold)
                and all(same(Field(key=field.key, type=FieldType.GROUP, fields=field.fields), p, g)
                        for p, g in zip(pred, gold)))
    return normalise_text(str(pred)) == normalise_text(str(gold))


def number_outcome(pred: Any, gold: Any) -> str:
    """How a number came out against its gold value (see the module docstring)."""
    if gold is None:
        return "right" if pred is None else "invented"
    if pred is None:
        return "null"
    p, g = float(pred), float(gold)
    if abs(p - g) <= 1e-6 * max(1.0, abs(g)):
        return "right"
    if not float(g).is_integer():  # first: 8,4 read as 84 is a lost comma, not a unit
        whole, _, frac = f"{g:g}".partition(".")
        if p in (float(whole), float(whole + frac), float(frac)):
            return "decimal"
    for factor in (10, 100, 1000):
        if g and (abs(p * factor - g) <= 1e-6 * abs(g) or abs(p - g * factor) <= 1e-6 * abs(g * factor)):
            return "unit"
    return "other"


def dragon_score(task_name: str, records: dict[str, dict], predictions: list[dict]) -> float | None:
    """The DRAGON evaluator's metric for ``predictions`` on exactly these cases, or None
    where it is undefined on them (e.g. AUC over cases of one class)."""
    from core.evaluation import evaluate_dragon

    with tempfile.TemporaryDirectory() as tmp:
        gt_dir, pred_dir = Path(tmp) / "gt", Path(tmp) / "pred" / f"{task_name}-fold0"
        gt_dir.mkdir()
        pred_dir.mkdir(parents=True)
        (gt_dir / f"{task_name}.json").write_text(json.dumps(list(records.values())), "utf-8")
        (pred_dir / "nlp-predictions-dataset.json").write_text(json.dumps(predictions), "utf-8")
        try:
            metrics = evaluate_dragon(pred_dir.parent, gt_dir, [task_name], folds=[0])
        except ValueError:
            return None  # undefined on this subset (one class only, for AUC)
    score = metrics["aggregates"][task_name]["mean"]
    return None if math.isnan(score) else score
