"""Excel export: typed cells, drop-down validation, formula-safe text, atomic save.

Sheets: "Results" (one row per report), one sheet per repeating group,
"Corrections" (every value a reviewer changed), "Task" (the field
definitions) and "Run" (model, settings and counts per run).  A hidden
"Lists" sheet holds drop-down options too long for an inline list.

No text ever becomes a formula: strings that start with ``=``, ``+``,
``-``, ``@``, tab or CR are written as plain strings with Excel's
quote-prefix flag, so they also stay text when a user edits the cell.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core import __version__
from core.export.files import atomic_target
from core.export.table import STATUSES, ExportData, ExportTable, build, local_time, text
from core.task import Task

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
MAX_ROWS = 1048576
RESERVED_SHEETS = ("Results", "Corrections", "Task", "Run", "Lists")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


def clean_text(s: str) -> str:
    """Text Excel can store: no XML-illegal characters, no lone surrogates, not too long."""
    if _ILLEGAL.search(s):
        s = _ILLEGAL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "\ufffd", s)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "replace").decode("utf-8")
    if len(s) > MAX_CELL_CHARS:
        s = s[:MAX_CELL_CHARS - 1] + "\u2026"
    return s


class _Writer:
    """Turns Python values into write-only cells of one sheet."""

    def __init__(self, ws):
        self.ws = ws

    def _styled(self, value: Any, **style) -> Cell:
        c = WriteOnlyCell(self.ws, value=value)
        for k, v in style.items():
            setattr(c, k, v)
        return c

    def value(self, v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, str):
            v = clean_text(v)
            if v.startswith(DANGEROUS_START):
                c = WriteOnlyCell(self.ws, value=v)
                c.data_type = "s"   # never a formula, whatever openpyxl guessed
                c.quotePrefix = True
                return c
            return v
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, dt.datetime):
            return self._styled(v.replace(tzinfo=None) if v.tzinfo else v, number_format=DATETIME_FORMAT)
        if isinstance(v, dt.date):
            return self._styled(v, number_format=DATE_FORMAT)
        if isinstance(v, float) and not math.isfinite(v):
            return str(v)
        if isinstance(v, (int, float)):
            return v
        return self.value(text(v))

    def header(self, h: str) -> Cell:
        c = self.value(h)
        if not isinstance(c, Cell):
            c = WriteOnlyCell(self.ws, value=c)
        c.font = _BOLD
        return c

    def row(self, values: list[Any]) -> None:
        self.ws.append([self.value(v) for v in values])


def _widths(headers: list[str], rows: list[list[Any]], sample: int = 500) -> list[float]:
    out = []
    for i, h in enumerate(headers):
        w = len(h) + 2
        for r in rows[:sample]:
            v = r[i] if i < len(r) else None
            if isinstance(v, dt.datetime):
                n = 19
            elif isinstance(v, dt.date):
                n = 10
            elif v is None:
                n = 0
            else:
                n = len(str(v).split("\n", 1)[0])
            w = max(w, n + 2)
        out.append(float(min(max(w, 8), 60)))
    return out


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]], *, freeze: str | None = "A2",
           autofilter: bool = True, lead: list[list[Any]] | None = None, validations=()) -> None:
    ws = wb.create_sheet(title)
    for i, w in enumerate(_widths(headers, rows), 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    lead = lead or []
    if freeze:
        ws.freeze_panes = freeze
    for dv in validations:
        ws.data_validations.append(dv)
    out = _Writer(ws)
    for r in lead:
        out.row(r)
    ws.append([out.header(h) for h in headers])
    for r in rows:
        out.row(r)
    if autofilter and headers:
        first = len(lead) + 1
        ws.auto_filter.ref = f"A{first}:{get_column_letter(len(headers))}{first + max(len(rows), 1)}"


class _Lists:
    """Option lists for drop-downs; long or comma-containing ones go to a hidden sheet."""

    def __init__(self) -> None:
        self.columns: list[tuple[str, ...]] = []

    def formula(self, options: tuple[str, ...]) -> str:
        joined = ",".join(options)
        if len(joined) <= 250 and not any(ch in o for o in options for ch in ',"'):
            return f'"{joined}"'
        if options not in self.columns:
            self.columns.append(options)
        letter = get_column_letter(self.columns.index(options) + 1)
        return f"{quote_sheetname('Lists')}!${letter}$1:${letter}${len(options)}"

    def write(self, wb: Workbook) -> None:
        if not self.columns:
            return
        ws = wb.create_sheet("Lists")
        ws.sheet_state = "hidden"
        out = _Writer(ws)
        for i in range(max(len(c) for c in self.columns)):
            out.row([c[i] if i < len(c) else None for c in self.columns])


def _validations(table: ExportTable, lists: _Lists) -> list[DataValidation]:
    out = []
    for i, col in enumerate(table.columns, 1):
        letter = get_column_letter(i)
        if col.options and col.keys:
            shown = ", ".join(col.options)
            dv = DataValidation(type="list", formula1=lists.formula(col.options), allow_blank=True,
                                showErrorMessage=True, errorTitle="Not an allowed value",
                                error=(f"Choose one of: {shown}" if len(shown) < 200 else
                                       "Choose one of the values in the drop-down list."))
        elif col.kind == "flag":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1", allow_blank=True,
                                showErrorMessage=True, errorTitle="Not an allowed value",
                                error="Enter 1 (selected) or 0 (not selected).")
        else:
            continue
        dv.add(f"{letter}2:{letter}{MAX_ROWS}")
        out.append(dv)
    return out


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name).strip("'").strip() or "Group"
    base = base[:31].rstrip()
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)].rstrip() + suffix
    used.add(title.casefold())
    return title


def _corrections(data: ExportData) -> list[list[Any]]:
    top = {f.key: f for f in data.task.fields}
    order = {f.key: i for i, f in enumerate(data.task.fields)}
    rows = []
    for rec in data.records:
        for key in sorted(rec.reviews, key=lambda k: order.get(k, len(order))):
            rv = rec.reviews[key]
            if rv.value == rv.model_value:
                continue
            f = top.get(key)
            rows.append([rec.id, f.title if f else key, key, text(rv.model_value) if rv.model_value is not None
                         else "(empty)", text(rv.value) if rv.value is not None else "(empty)", rv.reviewer,
                         local_time(rv.reviewed_at)])
    return rows


def _task_rows(task: Task) -> list[list[Any]]:
    rows = []
    for path, f in task.walk():
        opts = "; ".join(f"{o.value}: {o.description}" if o.description else o.value for o in f.options)
        rows.append([path, f.title, f.type.label, f.description or None, opts or None, f.unit,
                     f.minimum, f.maximum, "yes" if f.optional else "no"])
    return rows


def _run_rows(project: Any, task_hash: str) -> list[list[Any]]:
    return [[r.id, r.model_name, r.model_size, r.model_sha256, r.backend,
             json.dumps(r.settings, sort_keys=True, ensure_ascii=False), r.app_version,
             local_time(r.started_at), local_time(r.ended_at), r.state] for r in project.runs(task_hash)]


def _workbook(project: Any, task: Task, data: ExportData) -> Workbook:
    wb = Workbook(write_only=True)
    lists = _Lists()
    used = {s.casefold() for s in RESERVED_SHEETS}
    res = data.results
    _sheet(wb, "Results", res.headers, res.rows, freeze="B2", validations=_validations(res, lists))
    for g in data.groups:
        _sheet(wb, _sheet_title(g.name, used), g.headers, g.rows, freeze="C2", validations=_validations(g, lists))
    _sheet(wb, "Corrections", ["Report", "Field", "Key", "Model value", "Reviewer value", "Reviewer", "Time"],
           _corrections(data))
    lead: list[list[Any]] = [["Task", task.name], ["Task version", data.task_hash], ["Language", task.language],
            ["Description", task.description or None], ["Instructions", task.instructions or None], []]
    _sheet(wb, "Task", ["Path", "Label", "Type", "Description", "Options", "Unit", "Minimum", "Maximum",
                        "May be absent"], _task_rows(task), freeze=None, autofilter=False, lead=lead)
    counts = data.counts()
    reviewed = sum(1 for r in data.records if r.report.accepted)
    tail: list[list[Any]] = [[], ["Status", "Reports"], *[[s.value, counts[s]] for s in STATUSES],
            ["reviewed", reviewed], ["total", len(data.records)], [],
            ["Exported", dt.datetime.now().replace(microsecond=0)], ["Exported by Abstractor", __version__]]
    _sheet(wb, "Run", ["Run", "Model file", "Size (bytes)", "SHA-256", "Backend", "Settings", "App version",
                       "Started", "Ended", "State"], _run_rows(project, data.task_hash) + tail, autofilter=False)
    lists.write(wb)
    return wb


def export_xlsx(project: Any, task: Task, path: str | Path, *, multi_choice: str = "columns") -> Path:
    """Write the Excel workbook for *task* to *path*; raise ExportError if it cannot be written."""
    path = Path(path)
    data = build(project, task, multi_choice=multi_choice)
    with atomic_target(path) as tmp:
        # built inside: a write-only workbook must be saved once its sheets are started
        _workbook(project, task, data).save(tmp)
    return path
