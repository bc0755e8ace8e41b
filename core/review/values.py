"""Showing and comparing field values in plain words (the review, its filters and its form)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from core.task import Field, FieldType

EMPTY = "—"


def number_text(v: float | int, decimals: int = 6) -> str:
    """12.0 -> '12', 8.50 -> '8.5'."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    s = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def display(field: Field, value: Any, *, unit: bool = True) -> str:
    """A value as a clinician reads it: 'Yes', '8.5 mm', 'solid', '—'."""
    if value is None:
        return EMPTY
    t = field.type
    if t is FieldType.YES_NO:
        return "Yes" if value else "No"
    if t.is_number and isinstance(value, (int, float)):
        s = number_text(value)
        return f"{s} {field.unit}" if unit and field.unit else s
    if t is FieldType.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return value
    if t in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST) and isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else EMPTY
    if t is FieldType.GROUP and isinstance(value, dict):
        parts = [f"{c.title}: {display(c, value.get(c.key))}" for c in field.fields
                 if value.get(c.key) is not None]
        return "; ".join(parts) if parts else EMPTY
    if t is FieldType.GROUP_LIST and isinstance(value, list):
        if not value:
            return EMPTY
        rows = [display(Field(key="item", type=FieldType.GROUP, fields=field.fields), item) for item in value]
        return " | ".join(rows)
    return str(value)


def empty_value(field: Field) -> Any:
    """The 'nothing' value a cleared editor gives."""
    return None


def normalise(field: Field, value: Any) -> Any:
    """Make equal values compare equal (12 vs 12.0, list order of multiple choice kept)."""
    if value is None:
        return None
    t = field.type
    if isinstance(value, list) and not value:
        return None  # an empty list says the same as "nothing"
    if t is FieldType.DECIMAL and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if t is FieldType.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if t is FieldType.TEXT and isinstance(value, str) and not value.strip():
        return None
    if t is FieldType.GROUP and isinstance(value, dict):
        out = {c.key: normalise(c, value.get(c.key)) for c in field.fields}
        return out if any(v is not None for v in out.values()) else None
    if t is FieldType.GROUP_LIST and isinstance(value, list):
        row = Field(key="item", type=FieldType.GROUP, fields=field.fields)
        return [normalise(row, v) for v in value]
    return value


def same(field: Field, a: Any, b: Any) -> bool:
    return normalise(field, a) == normalise(field, b)


def confidence_text(c: float | None) -> str:
    return "no confidence (not run)" if c is None else f"{round(100 * c)}%"
