"""The "Evaluation" sheet: agreement with gold labels, one row per field.

:func:`add_evaluation_sheet` adds the sheet to any openpyxl workbook (normal
or write-only); :func:`export_evaluation_xlsx` writes a workbook of its own
(Evaluation, Confusion matrices, Disagreements) with the same atomic save as
the other exports.  Counts and metrics are number cells (rates with a
percent format), an undefined metric is an empty cell.  Under the table the sheet
states the counting rule and what each count ("Scored": what every rate is out
of) and metric means, in the evaluation dialog's words.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.evaluation.wording import COUNTING_RULES, COUNTS as WORDING_COUNTS, METRIC_HELP, sentences
from core.export.files import atomic_target
from core.export.xlsx import DANGEROUS_START, clean_text

# metric key -> (header, number format); the order is the column order
METRICS: dict[str, tuple[str, str]] = {
    "accuracy": ("Accuracy", "0.0%"),
    "sensitivity": ("Sensitivity", "0.0%"),
    "specificity": ("Specificity", "0.0%"),
    "kappa": ("Cohen's kappa", "0.000"),
    "auc": ("AUC", "0.000"),
    "within_tolerance": ("Within tolerance", "0.0%"),
    "mae": ("Mean absolute error", "0.00"),
    "rsmape": ("R-SMAPE", "0.000"),
    "exact_match": ("Exact match", "0.0%"),
    "normalised_match": ("Match ignoring case and punctuation", "0.0%"),
    "precision": ("Precision", "0.0%"),
    "recall": ("Recall", "0.0%"),
    "f1": ("F1", "0.000"),
    "exact_set_match": ("Exact set match", "0.0%"),
}

# FieldMetrics attribute -> header, in the evaluation dialog's words (core.evaluation.wording)
COUNTS: dict[str, str] = {attr: name for attr, (name, _help) in WORDING_COUNTS.items()}

TYPE_LABELS = {"text": "Text", "integer": "Whole number", "decimal": "Decimal number", "yes_no": "Yes/no",
               "date": "Date", "choice": "Single choice", "multi_choice": "Multiple choice",
               "text_list": "List of text", "group": "Group", "group_list": "Repeating group"}

_BOLD = Font(bold=True)


def metric_keys(results: list[Any]) -> list[str]:
    """The metrics any of *results* has, known ones first in :data:`METRICS` order."""
    present: list[str] = []
    for fm in results:
        present += [k for k in fm.metrics if k not in present]
    return [k for k in METRICS if k in present] + [k for k in present if k not in METRICS]


def metric_header(key: str) -> str:
    return METRICS[key][0] if key in METRICS else key.replace("_", " ").capitalize()


def headers(results: list[Any]) -> list[str]:
    return (["Field", "Label", "Type", *COUNTS.values()] + [metric_header(k) for k in metric_keys(results)]
            + ["Note"])


def _cell(ws, value: Any, fmt: str = "", bold: bool = False) -> Cell:
    """One cell for ``ws.append`` (works in normal and write-only workbooks); text never becomes a formula."""
    if isinstance(value, str):
        value = clean_text(value) or None
    elif isinstance(value, bool) or (isinstance(value, float) and value != value):
        value = None
    c = Cell(ws, row=1, column=1, value=value)   # append() places it
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        c.data_type, c.quotePrefix = "s", True
    if fmt and value is not None and not isinstance(value, str):
        c.number_format = fmt
    if bold:
        c.font = _BOLD
    return c


def _row(ws, values: list[Any], formats: list[str] | None = None, bold: bool = False) -> None:
    formats = formats or []
    ws.append([_cell(ws, v, formats[i] if i < len(formats) else "", bold) for i, v in enumerate(values)])


def _fmt(key: str) -> str:
    return METRICS.get(key, ("", "0.000"))[1]


def add_evaluation_sheet(workbook: Workbook, results: list[Any], title: str = "Evaluation") -> Any:
    """Add the per-field evaluation sheet to *workbook* (normal or write-only) and return it."""
    ws = workbook.create_sheet(title)
    keys = metric_keys(results)
    head = headers(results)
    widths = [max(len(h) + 2, 10) for h in head]
    widths[0] = max([widths[0]] + [len(fm.path) + 2 for fm in results])
    widths[1] = max([widths[1]] + [len(fm.label) + 2 for fm in results])
    widths[-1] = 50
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(w, 60)
    ws.freeze_panes = "B2"
    _row(ws, head, bold=True)
    formats = [""] * 3 + ["0"] * len(COUNTS) + [_fmt(k) for k in keys] + [""]
    for fm in results:
        _row(ws, [fm.path, fm.label, TYPE_LABELS.get(fm.type, fm.type), *(getattr(fm, k) for k in COUNTS),
                  *(fm.metrics.get(k) for k in keys), fm.note], formats)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(len(results), 1) + 1}"
    _explain(ws, keys)
    return ws


def _explain(ws, keys: list[str]) -> None:
    """Under the table: the counting rule and what each count and metric means (the dialog's words)."""
    ws.append([])
    _row(ws, ["Counting rule"], bold=True)
    for sentence in sentences(COUNTING_RULES):
        _row(ws, [sentence])
    ws.append([])
    _row(ws, ["Column", "What it means"], bold=True)
    for name, help_text in WORDING_COUNTS.values():
        _row(ws, [name, help_text])
    for key in keys:
        if key in METRIC_HELP:
            _row(ws, [metric_header(key), METRIC_HELP[key]])


def _confusion_sheet(wb: Workbook, results: list[Any]) -> None:
    ws = wb.create_sheet("Confusion matrices")
    ws.column_dimensions["A"].width = 28
    shown = False
    for fm in results:
        if not fm.confusion:
            continue
        labels, matrix = fm.confusion["labels"], fm.confusion["matrix"]
        _row(ws, [f"{fm.label} ({fm.path})", "rows: gold label, columns: Abstractor's answer"], bold=True)
        _row(ws, ["Gold \\ answer", *labels], bold=True)
        for lab, counts in zip(labels, matrix):
            _row(ws, [lab, *counts])
        ws.append([])
        shown = True
    if not shown:
        _row(ws, ["No yes/no or single-choice field was compared."])


def _disagreements_sheet(wb: Workbook, results: list[Any]) -> None:
    ws = wb.create_sheet("Disagreements")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    _row(ws, ["Field", "Report"], bold=True)
    for fm in results:
        for rid in fm.disagreements:
            _row(ws, [fm.path, rid])


def export_evaluation_xlsx(path: str | Path, task: Any, results: list[Any]) -> Path:
    """Write the evaluation of *task* to an Excel workbook; raise ExportError if it cannot be written."""
    path = Path(path)
    with atomic_target(path) as tmp:
        # built inside: a write-only workbook must be saved once its sheets are started
        wb = Workbook(write_only=True)
        add_evaluation_sheet(wb, results)
        _confusion_sheet(wb, results)
        _disagreements_sheet(wb, results)
        about = wb.create_sheet("About")
        about.column_dimensions["A"].width = 16
        for row in (["Task", getattr(task, "name", None)],
                    ["Task version", task.hash() if hasattr(task, "hash") else None],
                    ["Evaluated", dt.datetime.now().replace(microsecond=0)],
                    [],
                    ["Rates (accuracy, sensitivity, ...) are fractions shown as percentages."],
                    ["An empty metric cell means the metric is not defined (no compared reports, "
                     "or only one class in the gold labels)."]):
            _row(about, row, ["", "yyyy-mm-dd hh:mm:ss"] if row and row[0] == "Evaluated" else None)
        wb.save(tmp)
    return path
