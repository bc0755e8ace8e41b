"""The export dialog's formats and preview: the first few reports as the export will write them.

:class:`FirstReports` gives the export code a view of only the first *n*
reports, so :func:`preview` stays instant on a 10,000-report project;
:class:`PreviewModel` is a thin table model over the headers and rows.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from core.export import columns, group_columns
from core.export.csv_json import extractinator_records, json_records
from core.export.table import build

log = logging.getLogger(__name__)

PREVIEW_ROWS = 5
KNOWN_SUFFIXES = (".xlsx", ".csv", ".json")


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    suffix: str
    options: dict[str, Any] = field(default_factory=dict)
    filter: str = ""

    @property
    def tabular(self) -> bool:
        return self.suffix != ".json"


FORMATS = (
    Format("xlsx", "Excel workbook (.xlsx)", ".xlsx", {}, "Excel workbook (*.xlsx)"),
    Format("csv_semicolon", "CSV separated by ;  (decimal comma, as Excel in Europe expects)", ".csv",
           {"delimiter": ";", "decimal": ","}, "CSV file (*.csv)"),
    Format("csv_comma", "CSV separated by ,  (decimal point)", ".csv", {"delimiter": ",", "decimal": "."},
           "CSV file (*.csv)"),
    Format("json", "JSON (one record per report, with evidence and confidence)", ".json", {"shape": "records"},
           "JSON file (*.json)"),
    Format("dragon", "JSON for llm_extractinator / DRAGON (nlp-predictions-dataset.json)", ".json",
           {"shape": "extractinator"}, "JSON file (*.json)"),
)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}


@dataclass
class Preview:
    headers: list[str]
    rows: list[list[Any]]
    json_text: str
    note: str


class FirstReports:
    """The first *n* reports of a project, with the reading methods the export code uses (for previews)."""

    def __init__(self, project: Any, n: int = PREVIEW_ROWS):
        self.project = project
        self.reports = project.reports_page(0, n)
        self.total = project.report_count()

    def report_count(self) -> int:
        return len(self.reports)

    def reports_page(self, offset: int, limit: int) -> list:
        return self.reports[offset:offset + limit]

    def latest_results(self, task_hash: str) -> dict:
        found = {r.id: self.project.result(r.id, task_hash) for r in self.reports}
        return {k: v for k, v in found.items() if v is not None}

    def all_review_values(self, task_hash: str) -> dict:
        found = {r.id: self.project.review_values(r.id, task_hash) for r in self.reports}
        return {k: v for k, v in found.items() if v}

    def all_review_states(self, task_hash: str) -> dict:
        found = {r.id: self.project.review_state(r.id, task_hash) for r in self.reports}
        return {k: v for k, v in found.items() if v is not None}


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}"
    s = str(v).replace("\n", " ")
    return s if len(s) <= 80 else s[:79] + "…"


class PreviewModel(QAbstractTableModel):
    """The first rows of the Results table: header = the export's column headers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []

    def set_table(self, headers: list[str], rows: list[list[Any]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = list(headers), [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        return cell_text(row[index.column()] if index.column() < len(row) else None)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1) if 0 <= section < len(self.rows) else None


def preview(head: FirstReports, task: Any, fmt: Format, multi_choice: str) -> Preview:
    """What the export of *fmt* will look like, from the first reports only."""
    shown = (f"the first {head.report_count()} of {head.total} reports" if head.total > head.report_count()
             else f"all {head.total} reports")
    headers = columns(task, multi_choice=multi_choice)
    if not fmt.tabular:
        maker = extractinator_records if fmt.options.get("shape") == "extractinator" else json_records
        try:
            text = json.dumps(maker(head, task)[:2], ensure_ascii=False, indent=2, default=str)
        except Exception:  # noqa: BLE001 - a preview is a nicety; the export itself reports problems
            log.exception("export preview (JSON)")
            text = ""
        n = min(2, head.report_count())
        shown_below = "the first two are" if n == 2 else "the first one is" if n else "none are"
        return Preview(headers, [], text, f"One record per report ({head.total} in the project); "
                                          f"{shown_below} shown below.")
    try:
        rows = build(head, task, multi_choice=multi_choice).results.rows
    except Exception:  # noqa: BLE001
        log.exception("export preview (rows)")
        rows = []
    note = f"{len(headers)} columns; preview of {shown}."
    groups = group_columns(task, multi_choice=multi_choice)
    if groups:
        names = ", ".join(f"“{task.field_at(p).title}”" for p in groups)
        where = "its own sheet" if fmt.suffix == ".xlsx" else "its own file beside this one"
        note += f" Each repeating group ({names}) goes to {where}, one row per item."
    if fmt.suffix == ".xlsx":
        note += " The workbook also lists the reviewer's corrections, the task and the runs."
    return Preview(headers, rows, "", note)
