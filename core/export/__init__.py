"""Exports of a project's results: Excel, CSV and JSON.

``export(project, task, path, **opts)`` picks the format from the file
suffix.  Every writer saves to a temp file beside the target and moves it
into place in one step; a file that cannot be written raises
:class:`ExportError` with a message for the user.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.export.csv_json import export_csv, export_extractinator_json, export_json
from core.export.files import ExportError
from core.export.table import columns, group_columns
from core.export.xlsx import export_xlsx
from core.task import Task

SUFFIXES = (".xlsx", ".csv", ".json")

__all__ = ["ExportError", "SUFFIXES", "columns", "export", "export_csv", "export_extractinator_json",
           "export_json", "export_xlsx", "group_columns"]


_OPTIONS = {".xlsx": {"multi_choice"}, ".csv": {"multi_choice", "delimiter", "decimal"}, ".json": {"shape"}}


def export(project: Any, task: Task, path: str | Path, **opts: Any) -> list[Path]:
    """Export *task*'s results to *path*; return the files written.

    Options: ``multi_choice`` ("columns" or "joined", Excel and CSV),
    ``delimiter`` and ``decimal`` (CSV), ``shape`` ("records" or
    "extractinator", JSON).  Options of another format are ignored, so a
    caller may pass one set of options for any suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    unknown = set(opts) - set().union(*_OPTIONS.values())
    if unknown:
        raise TypeError(f"unknown export options: {sorted(unknown)}")
    if suffix not in _OPTIONS:
        raise ExportError(f"Cannot export to {path.name}: choose a file ending in .xlsx, .csv or .json.")
    opts = {k: v for k, v in opts.items() if k in _OPTIONS[suffix]}
    if suffix == ".xlsx":
        return [export_xlsx(project, task, path, **opts)]
    if suffix == ".csv":
        return export_csv(project, task, path, **opts)
    shape = opts.get("shape", "records")
    if shape == "records":
        return [export_json(project, task, path)]
    if shape == "extractinator":
        return [export_extractinator_json(project, task, path)]
    raise ValueError(f"unknown JSON shape {shape!r}")
