"""Validate an answer against the task and check plausibility.

Validation (pydantic, from :func:`core.schema.output_model`) decides
whether a report's answer is usable at all.  Plausibility checks (a
number outside the field's plausible range, a date in the future, a value
its own evidence quote does not state) never change a value: they add
per-field warnings for the reviewer.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from core.evidence import value_quote_mismatch
from core.schema import output_model, to_jsonable
from core.task import Field, FieldType, Task


class AnswerInvalid(ValueError):
    """The model's answer does not fit the task; ``reason`` says why."""


def validate_values(task: Task, values: dict[str, Any], model=None) -> dict[str, Any]:
    """Return the validated values (JSON-friendly) or raise AnswerInvalid."""
    model = model or output_model(task)
    try:
        obj = model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(answer)'}: {e['msg']}" for e in exc.errors()[:5])
        raise AnswerInvalid(f"The answer does not fit the task: {problems}") from None
    clean = obj.model_dump()
    for f in task.fields:  # de-duplicate choice and text lists (repeats carry no meaning), keep order
        if f.type in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST) and clean.get(f.key):
            clean[f.key] = list(dict.fromkeys(clean[f.key]))
    return to_jsonable(clean)


def plausibility_warnings(task: Task, values: dict[str, Any], today: dt.date | None = None, *,
                          quotes: dict[str, str | None] | None = None) -> dict[str, list[str]]:
    """Per-field warnings, keyed by dotted field path (list items as path[i]).

    With ``quotes`` (the evidence quote per top-level field), a number, date or
    option that its own quote does not state is flagged too
    (:func:`core.evidence.value_quote_mismatch`).
    """
    today = today or dt.date.today()
    out: dict[str, list[str]] = {}
    _check(task.fields, values, "", out, today)
    for f in task.fields:
        msg = value_quote_mismatch(f, values.get(f.key), (quotes or {}).get(f.key))
        if msg:
            out.setdefault(f.key, []).append(msg)
    return out


def _check(fields: list[Field], values: dict[str, Any], prefix: str, out: dict[str, list[str]],
           today: dt.date) -> None:
    for f in fields:
        path = prefix + f.key
        v = values.get(f.key) if isinstance(values, dict) else None
        if v is None:
            continue
        msgs: list[str] = []
        if f.type.is_number and isinstance(v, (int, float)):
            unit = f" {f.unit}" if f.unit else ""
            if f.minimum is not None and v < f.minimum:
                msgs.append(f"{v}{unit} is below the plausible minimum of {f.minimum:g}{unit}.")
            if f.maximum is not None and v > f.maximum:
                msgs.append(f"{v}{unit} is above the plausible maximum of {f.maximum:g}{unit}.")
        elif f.type is FieldType.DATE and isinstance(v, str):
            try:
                d = dt.date.fromisoformat(v)
                if d > today:
                    msgs.append(f"{v} is in the future.")
                elif d.year < 1900:
                    msgs.append(f"{v} is before 1900.")
            except ValueError:
                msgs.append(f"{v} is not a valid date.")
        elif f.type is FieldType.GROUP and isinstance(v, dict):
            _check(f.fields, v, path + ".", out, today)
        elif f.type is FieldType.GROUP_LIST and isinstance(v, list):
            for i, item in enumerate(v):
                if isinstance(item, dict):
                    _check(f.fields, item, f"{path}[{i}].", out, today)
        if msgs:
            out.setdefault(path, []).extend(msgs)
