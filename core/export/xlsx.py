"""Excel export: typed cells, drop-down validation, formula-safe text, atomic save.

Sheets: "Results" (one row per report, with the reviewer's decision and
comment: :mod:`core.export.importing` reads it back after an edit in
Excel), one sheet per repeating group, "Corrections" (every value a
reviewer changed, model and reviewer value as typed cells), "Task" (the
field definitions) and "Run" (model, where it ran and counts per run, and the settings as
readable rows: :mod:`core.export.run_sheet`).  A hidden "Lists" sheet holds
drop-down options too long for an inline list.

Every sheet prints landscape, fitted to the page width, with its header row
repeated on each page; long texts on the Task sheet wrap.

No text ever becomes a formula: strings that start with ``=``, ``+``,
``-``, ``@``, tab or CR are written as plain strings with Excel's
quote-prefix flag, so they also stay text when a user edits the cell.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core import __version__
from core.export.files import atomic_target
from core.export.run_sheet import settings_rows
from core.export.table import STATUSES, Column, ExportData, ExportTable, build, cell, local_time, text
from core.review.values import display
from core.task import Field, FieldType, Task

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0%"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
MAX_ROWS = 1048576
RESERVED_SHEETS = ("Results", "Corrections", "Task", "Run", "Lists")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


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

    def __init__(self, ws, formats: dict[int, str] | None = None, wrap: set[int] | None = None):
        self.ws = ws
        self.formats = formats or {}    # column index (0-based) -> number format
        self.wrap = wrap or set()       # column indexes whose text wraps

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

    def _cell(self, i: int, v: Any) -> Any:
        c = self.value(v)
        if c is None or (i not in self.formats and i not in self.wrap):
            return c
        if not isinstance(c, Cell):
            c = WriteOnlyCell(self.ws, value=c)
        if i in self.formats and isinstance(v, (int, float)):
            c.number_format = self.formats[i]
        if i in self.wrap:
            c.alignment = _WRAP
        return c

    def row(self, values: list[Any]) -> None:
        self.ws.append([self._cell(i, v) for i, v in enumerate(values)])


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


def _print_setup(ws, header_row: int) -> None:
    """Landscape, as wide as the page (as many pages down as needed), the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]], *, freeze: str | None = "A2",
           autofilter: bool = True, lead: list[list[Any]] | None = None, validations=(),
           formats: dict[int, str] | None = None, wrap: set[int] | None = None) -> None:
    ws = wb.create_sheet(title)
    for i, w in enumerate(_widths(headers, rows), 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    lead = lead or []
    if freeze:
        ws.freeze_panes = freeze
    for dv in validations:
        ws.data_validations.append(dv)
    _print_setup(ws, len(lead) + 1)
    out = _Writer(ws, formats, wrap)
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
        if col.options:
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


_TYPED = {FieldType.INTEGER: "integer", FieldType.DECIMAL: "decimal", FieldType.DATE: "date",
          FieldType.YES_NO: "yes_no", FieldType.CHOICE: "choice", FieldType.TEXT: "text",
          FieldType.MULTI_CHOICE: "joined", FieldType.TEXT_LIST: "joined"}


def typed(f: Field | None, value: Any) -> Any:
    """One top-level field's value as a typed cell (a number, a date, yes/no, text); None stays empty."""
    if value is None:
        return None
    if f is None:
        return text(value)
    kind = _TYPED.get(f.type)
    if kind is None:  # a group or repeating group: its parts in words
        return display(f, value)
    return cell(Column(f.title, kind, f.key, (f.key,)), value)


def group_sheet_titles(groups: list[ExportTable]) -> list[str]:
    """The sheet title of each repeating group's table: unique, at most 31 characters, no reserved name."""
    used = {s.casefold() for s in RESERVED_SHEETS}
    return [_sheet_title(g.name, used) for g in groups]


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
            rows.append([rec.id, f.title if f else key, key, typed(f, rv.model_value), typed(f, rv.value),
                         rv.reviewer, local_time(rv.reviewed_at)])
    return rows


def _task_rows(task: Task) -> list[list[Any]]:
    rows = []
    for path, f in task.walk():
        opts = "; ".join(f"{o.value}: {o.description}" if o.description else o.value for o in f.options)
        rows.append([path, f.title, f.type.label, f.description or None, opts or None, f.unit,
                     f.minimum, f.maximum, "yes" if f.optional else "no"])
    return rows


RUN_HEADERS = ["Run", "Model file", "Size (bytes)", "SHA-256", "Backend", "App version", "Started", "Ended",
               "State", "Runs on", "Endpoint"]


def _run_rows(project: Any, task_hash: str) -> list[list[Any]]:
    """One row per run; a server run (core.remote) says which host and endpoint did the work."""
    rows: list[list[Any]] = []
    for r in project.runs(task_hash):
        server = r.backend == "server" and isinstance(r.settings, dict)
        rows.append([r.id, r.model_name, r.model_size or None, r.model_sha256 or None, r.backend, r.app_version,
                     local_time(r.started_at), local_time(r.ended_at), r.state,
                     f"server {r.settings.get('host')}" if server else "this computer",
                     r.settings.get("endpoint") if server else None])
    return rows


def _workbook(project: Any, task: Task, data: ExportData) -> Workbook:
    wb = Workbook(write_only=True)
    lists = _Lists()
    res = data.results
    percent = {i: PERCENT_FORMAT for i, c in enumerate(res.columns) if c.kind == "confidence"}
    _sheet(wb, "Results", res.headers, res.rows, freeze="B2", validations=_validations(res, lists), formats=percent)
    for g, title in zip(data.groups, group_sheet_titles(data.groups)):
        _sheet(wb, title, g.headers, g.rows, freeze="C2", validations=_validations(g, lists))
    _sheet(wb, "Corrections", ["Report", "Field", "Key", "Model value", "Reviewer value", "Reviewer", "Time"],
           _corrections(data))
    lead: list[list[Any]] = [["Task", task.name], ["Task version", data.task_hash], ["Language", task.language],
            ["Description", task.description or None], ["Instructions", task.instructions or None], []]
    _sheet(wb, "Task", ["Path", "Label", "Type", "Description", "Options", "Unit", "Minimum", "Maximum",
                        "May be absent"], _task_rows(task), freeze=None, autofilter=False, lead=lead,
           wrap={1, 3, 4})
    counts = data.counts()
    reviewed = sum(1 for r in data.records if r.report.accepted)
    runs = project.runs(data.task_hash)
    settings = settings_rows(runs, task)
    tail: list[list[Any]] = [*([[], *settings] if settings else []),
            [], ["Status", "Reports"], *[[s.value, counts[s]] for s in STATUSES],
            ["reviewed", reviewed], ["flagged", sum(1 for r in data.records if r.report.flagged)],
            ["total", len(data.records)], [],
            ["Exported", dt.datetime.now().replace(microsecond=0)], ["Exported by Abstractor", __version__]]
    _sheet(wb, "Run", RUN_HEADERS, _run_rows(project, data.task_hash) + tail, autofilter=False)
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
