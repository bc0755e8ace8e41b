"""From the model's answer text to a checked :class:`Extraction`.

One implementation for every backend (the in-process engine and an
inference server): parse the JSON, split values from evidence quotes,
validate the values against the task, align each quote to the report text,
derive per-field confidence from token probabilities where there are any,
and add plausibility warnings.  A value is never filled in or repaired:
an answer that does not fit the task makes the report *failed*.
"""
from __future__ import annotations

import json

from core.engine.result import Extraction, TokenRecord, field_confidence
from core.evidence import align
from core.schema import split_answer
from core.task import Task
from core.validate import AnswerInvalid, plausibility_warnings, validate_values


def check_answer(ex: Extraction, task: Task, answer_text: str, report_text: str, *, model=None,
                 records: list[TokenRecord] | None = None) -> Extraction:
    """Fill ``ex`` from ``answer_text`` (the JSON answer) or mark it failed, and return it.

    ``records`` are the answer's tokens with their probabilities; without them
    confidence is left empty ("not available"), never estimated.
    """
    try:
        answer = json.loads(answer_text)
    except json.JSONDecodeError as exc:
        ex.status, ex.reason = "failed", f"The model's answer is not valid JSON: {exc}"
        return ex
    if not isinstance(answer, dict):
        ex.status, ex.reason = "failed", "The model's answer is not a JSON object."
        return ex
    values, quotes = split_answer(answer, task)
    try:
        ex.values = validate_values(task, values, model)
    except AnswerInvalid as exc:
        ex.status, ex.reason = "failed", str(exc)
        return ex
    ex.quotes = quotes
    for key, q in quotes.items():
        span = align(q, report_text)
        ex.evidence[key] = list(span) if span else None
        if q and span is None:
            ex.add_warning(key, "The quoted evidence was not found in the report text.")
    if records is not None:
        ex.confidence = field_confidence(answer_text, records, [f.key for f in task.fields])
    for path, msgs in plausibility_warnings(task, ex.values, quotes=ex.quotes).items():
        for m in msgs:
            ex.add_warning(path, m)
    return ex
