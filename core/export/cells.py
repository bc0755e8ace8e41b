"""What a cell of an exported Results sheet, edited in Excel, says about a field's value.

The reverse of :func:`core.export.table.cell`: a typed cell (a number, a
date, "yes"/"no", an option, "a; b" for a list, 1/0 for one option of a
multiple choice) becomes the value the project stores, or a
:class:`CellProblem` that says, in the user's words, which rule of the task
the cell breaks: an option that does not exist, a number out of the field's
range or not a whole number, a date that is not a date.

:func:`same_cell` tells whether a cell still holds what the export wrote, so
only the cells a user changed are read (and a value the export could only
show approximately, such as a long text cut short, is never changed by
accident).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.export.table import LIST_SEPARATOR, Column
from core.export.xlsx import clean_text
from core.review.values import number_text
from core.task import Field, FieldType

_YES = {"yes", "y", "true", "ja", "j", "1"}
_NO = {"no", "n", "false", "nee", "0"}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class CellProblem(ValueError):
    """A cell breaks a rule of the task; the message says which, for the user."""


def _plain(v: Any) -> Any:
    """A cell value as comparable: '' is empty, a date is a date, text as the export writes it."""
    if isinstance(v, str):
        v = clean_text(v)
        return v if v.strip() else None
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time(0) else v.replace(tzinfo=None, microsecond=0)
    return v


def same_cell(sheet: Any, exported: Any) -> bool:
    """Does the cell still hold what the export wrote there?"""
    a, b = _plain(sheet), _plain(exported)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def _text(v: Any) -> str:
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def _number(f: Field, v: Any) -> int | float:
    if isinstance(v, bool):
        raise CellProblem(f"'{_text(v)}' is not a number")
    if isinstance(v, str):
        s = v.strip().replace(",", ".") if v.count(",") == 1 and "." not in v else v.strip()
        try:
            v = float(s)
        except ValueError:
            raise CellProblem(f"'{v}' is not a number") from None
    if not isinstance(v, (int, float)):
        raise CellProblem(f"'{_text(v)}' is not a number")
    if f.type is FieldType.INTEGER:
        if float(v) != int(v):
            raise CellProblem(f"{number_text(v)} is not a whole number")
        v = int(v)
    else:
        v = float(v)
    allowed = [float(a) for a in f.allowed_values()] if f.options else []
    if allowed and float(v) not in allowed:
        raise CellProblem(f"{number_text(v)} is not one of the allowed values "
                          f"({', '.join(number_text(a) for a in allowed)})")
    low, high = f.minimum, f.maximum
    if (low is not None and v < low) or (high is not None and v > high):
        unit = f" {f.unit}" if f.unit else ""
        if low is not None and high is not None:
            span = f"between {number_text(low)} and {number_text(high)}"
        elif low is not None:
            span = f"at least {number_text(low)}"
        else:
            span = f"at most {number_text(high or 0)}"
        raise CellProblem(f"{number_text(v)} is out of range: the value must be {span}{unit}")
    return v


def _date(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = _text(v)
    try:
        return dt.date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    m = _DMY.match(s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            pass
    raise CellProblem(f"'{s}' is not a date (write it as 2024-03-31 or 31-03-2024)")


def _option(f: Field, v: Any) -> str:
    s = _text(v)
    options = f.option_values()
    if s in options:
        return s
    folded = {o.casefold(): o for o in options}
    if s.casefold() in folded:
        return folded[s.casefold()]
    raise CellProblem(f"'{s}' is not an option; choose one of: {', '.join(options)}")


def _yes_no(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = _text(v).casefold()
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise CellProblem(f"'{_text(v)}' is not yes or no")


def _items(v: Any) -> list[str]:
    return [p.strip() for p in _text(v).split(LIST_SEPARATOR.strip()) if p.strip()]


def selected(v: Any) -> bool | None:
    """One option's column of a multiple choice: 1 (chosen), 0 (not chosen) or empty."""
    if _plain(v) is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip() in ("0", "1"):
        return v.strip() == "1"
    raise CellProblem(f"'{_text(v)}' must be 1 (chosen) or 0 (not chosen)")


def read_cell(col: Column, f: Field, v: Any) -> Any:
    """The value a changed cell gives the field *f* of column *col* (None for an empty cell)."""
    if col.kind == "count":
        raise CellProblem("the number of items is counted from the items; change the items in the app")
    if col.kind == "json":
        raise CellProblem("a repeating group inside a group cannot be changed in a spreadsheet; use the app")
    if _plain(v) is None:
        return None
    t = f.type
    if t.is_number:
        return _number(f, v)
    if t is FieldType.DATE:
        return _date(v)
    if t is FieldType.YES_NO:
        return _yes_no(v)
    if t is FieldType.CHOICE:
        return _option(f, v)
    if t is FieldType.MULTI_CHOICE:
        return list(dict.fromkeys(_option(f, item) for item in _items(v)))
    if t is FieldType.TEXT_LIST:
        return _items(v)
    return _text(v)
