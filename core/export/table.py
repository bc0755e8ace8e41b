"""The export table every format shares: one row per report, typed cells.

:func:`build` reads a project once and returns the "Results" table (one row
per report, in folder order, including skipped and not-run reports) and one
table per repeating group (one row per item).  Cells hold plain Python
values: ``str``, ``int``, ``float``, ``datetime.date``, ``datetime.datetime``
(naive, local time) or ``None``.  A field's value is the report's value now,
as :mod:`core.review` decides it (the reviewer's, else the accepted one,
else the model's newest).

Besides the values, each Results row says how the model's reading went
(Status, Reason), the reviewer's decision (Review: not reviewed, accepted,
corrected, flagged; Review comment; Reviewer; Review time), the lowest confidence
over the report's fields (one column per report rather than one per field,
so a registry's sheet stays printable; the review shows each field's), and
the values their own evidence quote does not show (Evidence warnings).

:func:`columns` gives the Results headers without a project (GUI preview).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from core.review import ReportState, ReviewStatus, RunStatus, load_states
from core.task import Field, FieldType, Task

MULTI_CHOICE_MODES = ("columns", "joined")
LIST_SEPARATOR = "; "
STATUSES = tuple(RunStatus)
REVIEW_WORDS = tuple(ReviewStatus)

# (kind, header) of the report columns that start the Results table
REPORT_COLUMNS = (("report", "Report"), ("source", "Source file"), ("status", "Status"), ("reason", "Reason"),
                  ("review", "Review"), ("comment", "Review comment"), ("reviewer", "Reviewer"),
                  ("review_time", "Review time"), ("confidence", "Lowest confidence"),
                  ("evidence", "Evidence warnings"))


@dataclass(frozen=True)
class Column:
    header: str
    kind: str                      # a REPORT_COLUMNS kind, "item", or a value kind (see _cell)
    path: str = ""                 # dotted field path ("" for report columns)
    keys: tuple[str, ...] = ()     # where the value sits, relative to the row's value dict
    option: str | None = None      # for "flag" columns: the option this column stands for
    options: tuple[str, ...] = ()  # allowed values (choice and yes/no columns)


@dataclass
class ExportTable:
    name: str                      # "Results", or the repeating group's label
    path: str                      # "" for Results, else the group_list field path
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass
class ReportRecord:
    """Everything the exports need about one report: its review state, in the export's words."""

    report: ReportState

    @property
    def id(self) -> str:
        return self.report.report_id

    @property
    def source(self) -> str:
        return self.report.source

    @property
    def status(self) -> RunStatus:
        return self.report.run_status

    @property
    def reason(self) -> str | None:
        return self.report.reason

    @property
    def values(self) -> dict[str, Any] | None:
        """The values now (see :mod:`core.review`); None when never run nor reviewed."""
        return self.report.values

    @property
    def result(self) -> Any:
        """The newest ResultRow, or None."""
        return self.report.result

    @property
    def reviews(self) -> dict[str, Any]:
        """Field key -> ReviewValue."""
        return self.report.reviews

    @property
    def state(self) -> Any:
        """The reviewer's decision (ReviewState), or None."""
        return self.report.state


@dataclass
class ExportData:
    task: Task
    task_hash: str
    records: list[ReportRecord]
    results: ExportTable
    groups: list[ExportTable]

    def counts(self) -> dict[RunStatus, int]:
        out = dict.fromkeys(RunStatus, 0)
        for r in self.records:
            out[r.status] += 1
        return out


def check_multi_choice(mode: str) -> None:
    if mode not in MULTI_CHOICE_MODES:
        raise ValueError(f"multi_choice must be one of {MULTI_CHOICE_MODES}, not {mode!r}")


# ---- columns --------------------------------------------------------------------

def field_header(f: Field) -> str:
    return f"{f.title} ({f.unit})" if f.unit else f.title


def _field_columns(fields: list[Field], keys: tuple[str, ...], path: str, head: str, multi_choice: str,
                   in_item: bool, groups: list[tuple[str, tuple[str, ...], Field]]) -> list[Column]:
    cols: list[Column] = []
    for f in fields:
        k, p, h = keys + (f.key,), path + f.key, head + field_header(f)
        t = f.type
        if t is FieldType.GROUP:
            cols += _field_columns(f.fields, k, p + ".", head + f.title + ".", multi_choice, in_item, groups)
        elif t is FieldType.GROUP_LIST:
            if in_item:  # a repeating group inside a repeating group: one JSON cell
                cols.append(Column(h, "json", p, k))
            else:
                cols.append(Column(f"{head}{f.title} (number)", "count", p, k))
                groups.append((p, k, f))
        elif t is FieldType.MULTI_CHOICE and multi_choice == "columns":
            cols += [Column(f"{h}: {o}", "flag", p, k, option=o) for o in f.option_values()]
        elif t in (FieldType.MULTI_CHOICE, FieldType.TEXT_LIST):
            cols.append(Column(h, "joined", p, k))
        elif t is FieldType.YES_NO:
            cols.append(Column(h, "yes_no", p, k, options=("yes", "no")))
        elif t is FieldType.CHOICE:
            cols.append(Column(h, "choice", p, k, options=tuple(f.option_values())))
        else:
            cols.append(Column(h, t.value, p, k))
    return cols


def _unique(cols: list[Column]) -> list[Column]:
    seen: set[str] = set()
    out = []
    for c in cols:
        header, n = c.header, 1
        while header.casefold() in seen:
            n += 1
            header = f"{c.header} [{c.path or n}]" if n == 2 and c.path else f"{c.header} ({n})"
        seen.add(header.casefold())
        out.append(c if header == c.header else Column(header, c.kind, c.path, c.keys, c.option, c.options))
    return out


def _layout(task: Task, multi_choice: str) -> tuple[list[Column], list[tuple[str, list[Column], Field]]]:
    check_multi_choice(multi_choice)
    specs: list[tuple[str, tuple[str, ...], Field]] = []
    cols = [Column(h, kind, options=REVIEW_WORDS if kind == "review" else ()) for kind, h in REPORT_COLUMNS]
    cols += _field_columns(task.fields, (), "", "", multi_choice, False, specs)
    group_tables = []
    for path, _keys, f in specs:
        gcols = [Column("Report", "report"), Column("Item", "item")]
        gcols += _field_columns(f.fields, (), path + ".", "", multi_choice, True, [])
        group_tables.append((path, _unique(gcols), f))
    return _unique(cols), group_tables


def results_columns(task: Task, *, multi_choice: str = "columns") -> list[Column]:
    """The Results table's columns (what each holds), as :func:`build` lays them out."""
    return _layout(task, multi_choice)[0]


def columns(task: Task, *, multi_choice: str = "columns") -> list[str]:
    """Headers of the Results table, for a preview."""
    return [c.header for c in _layout(task, multi_choice)[0]]


def group_columns(task: Task, *, multi_choice: str = "columns") -> dict[str, list[str]]:
    """Headers of each repeating group's table, keyed by the group's field path."""
    return {path: [c.header for c in cols] for path, cols, _ in _layout(task, multi_choice)[1]}


# ---- cells ------------------------------------------------------------------------

def text(value: Any) -> str:
    """A value as display text (used for joined cells and the Corrections sheet)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return LIST_SEPARATOR.join(text(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_YES = {"yes", "y", "true", "ja", "oui", "si", "1"}
_NO = {"no", "n", "false", "nee", "nein", "non", "0"}


def _number(value: Any, integer: bool) -> Any:
    if isinstance(value, bool):
        return text(value)
    if isinstance(value, (int, float)):
        if integer and isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, str):
        s = value.strip()
        try:
            return int(s)
        except ValueError:
            pass
        try:
            return float(s)
        except ValueError:
            return value
    return text(value)


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    return text(value)


def cell(col: Column, value: Any) -> Any:
    """Convert one raw value to the typed cell of *col* (None stays None)."""
    kind = col.kind
    if kind == "flag":
        if value is None:
            return None
        return int(col.option in value) if isinstance(value, list) else int(value == col.option)
    if value is None:
        return None
    if kind == "count":
        return len(value) if isinstance(value, list) else None
    if kind == "joined":
        return text(value)
    if kind == "yes_no":
        if isinstance(value, str):
            low = value.strip().lower()
            return "yes" if low in _YES else "no" if low in _NO else value
        return text(value)
    if kind in ("integer", "decimal"):
        return _number(value, kind == "integer")
    if kind == "date":
        return _date(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else text(value)


def _get(values: Any, keys: tuple[str, ...]) -> Any:
    for k in keys:
        if not isinstance(values, dict):
            return None
        values = values.get(k)
    return values


def local_time(stamp: str | None) -> dt.datetime | None:
    """A stored ISO time stamp as a naive local datetime (spreadsheets have no time zones)."""
    if not stamp:
        return None
    try:
        t = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return t.astimezone().replace(tzinfo=None) if t.tzinfo else t


# ---- reading the project -------------------------------------------------------------

def collect(project: Any, task: Task) -> list[ReportRecord]:
    """One record per report, in folder order."""
    return [ReportRecord(st) for st in load_states(project, task.hash()).values()]


def evidence_warnings(task: Task, st: ReportState) -> str | None:
    """The values their own quote does not show, as one cell: 'Diameter: The value 12 mm is not ...'."""
    found = [f"{f.title}: {msg}" for f in task.fields if (msg := st.evidence_mismatch(f))]
    return "; ".join(found) or None


def _report_cell(kind: str, rec: ReportRecord, task: Task) -> Any:
    st = rec.report
    if kind == "report":
        return rec.id
    if kind == "source":
        return rec.source
    if kind == "status":
        return rec.status.value
    if kind == "reason":
        return rec.reason
    if kind == "review":
        return st.review_status.value
    if kind == "comment":
        return st.comment
    if kind == "confidence":
        return st.min_confidence() if st.has_values else None
    if kind == "evidence":
        return evidence_warnings(task, st)
    who, when = st.last_reviewer
    return who if kind == "reviewer" else local_time(when)


def build(project: Any, task: Task, *, multi_choice: str = "columns") -> ExportData:
    cols, group_layout = _layout(task, multi_choice)
    records = collect(project, task)
    results = ExportTable("Results", "", cols)
    groups = [ExportTable(f.title, path, gcols) for path, gcols, f in group_layout]
    group_keys = [tuple(path.split(".")) for path, _, _ in group_layout]
    for rec in records:
        values = rec.values or {}
        results.rows.append([_report_cell(c.kind, rec, task) if not c.keys else cell(c, _get(values, c.keys))
                             for c in cols])
        for table, keys in zip(groups, group_keys):
            items = _get(values, keys)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items, 1):
                table.rows.append([rec.id if c.kind == "report" else i if c.kind == "item"
                                   else cell(c, _get(item, c.keys)) for c in table.columns])
    return ExportData(task, task.hash(), records, results, groups)
