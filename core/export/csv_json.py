"""CSV and JSON exports.

CSV: the Results table as UTF-8 with a byte-order mark (so Excel reads the
accents right); each repeating group goes to a sibling file
``<name>-<group key>.csv``.  Text that a spreadsheet could run as a formula
gets a leading ``'`` (OWASP's advice for CSV injection).

JSON: the record list the command line writes (with each report's review
and comment), or the
``nlp-predictions-dataset.json`` shape llm_extractinator / DRAGON use.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from core.export.files import atomic_target
from core.export.table import ExportTable, build, collect, text
from core.review import RunStatus
from core.task import Task

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(s: str) -> str:
    """Text that a spreadsheet opening the CSV shows as text, never runs as a formula."""
    return "'" + s if s.startswith(DANGEROUS_START) else s


def _csv_value(v: Any, decimal: str) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return safe_text(v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        s = repr(v)
        return s.replace(".", decimal) if decimal != "." else s
    if isinstance(v, int):
        return str(v)
    return safe_text(text(v))


def _write_table(table: ExportTable, path: Path, delimiter: str, decimal: str) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow([safe_text(h) for h in table.headers])
    for row in table.rows:
        w.writerow([_csv_value(v, decimal) for v in row])
    with atomic_target(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(buf.getvalue())


def group_csv_path(path: Path, group_path: str) -> Path:
    return path.with_name(f"{path.stem}-{group_path.replace('.', '_')}{path.suffix}")


def export_csv(project: Any, task: Task, path: str | Path, *, delimiter: str = ";",
               multi_choice: str = "columns", decimal: str = ".") -> list[Path]:
    """Write the Results table to *path* (and one sibling file per repeating group).

    Returns the paths written, Results first.
    """
    if len(delimiter) != 1 or delimiter in "\"'\r\n":
        raise ValueError(f"unusable CSV delimiter {delimiter!r}")
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    if decimal == delimiter:
        raise ValueError("the decimal mark and the delimiter must differ")
    path = Path(path)
    data = build(project, task, multi_choice=multi_choice)
    _write_table(data.results, path, delimiter, decimal)
    written = [path]
    for g in data.groups:
        gp = group_csv_path(path, g.path)
        _write_table(g, gp, delimiter, decimal)
        written.append(gp)
    return written


# ---- JSON -------------------------------------------------------------------------------

def _write_json(obj: Any, path: Path) -> Path:
    payload = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    with atomic_target(path) as tmp:
        tmp.write_text(payload, encoding="utf-8")
    return path


def json_records(project: Any, task: Task) -> list[dict[str, Any]]:
    """The command line's record list: one record per report, in folder order."""
    keys = [f.key for f in task.fields]
    out = []
    for rec in collect(project, task):
        res = rec.result
        fields: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        confidence: dict[str, float] = {}
        if rec.values is not None and rec.status is not RunStatus.SKIPPED:
            fields = {k: rec.values.get(k) for k in keys}
            ev = res.evidence if res is not None else {}
            evidence = {k: (list(ev[k]) if ev.get(k) is not None else None) for k in keys}
            conf = res.confidence if res is not None else {}
            confidence = {k: float(conf[k]) for k in keys if conf.get(k) is not None}
        out.append({"report": rec.id, "source": rec.source, "status": rec.status.value, "reason": rec.reason,
                    "review": rec.report.review_status.value, "comment": rec.report.comment,
                    "fields": fields, "evidence": evidence, "confidence": confidence})
    return out


def export_json(project: Any, task: Task, path: str | Path) -> Path:
    return _write_json(json_records(project, task), Path(path))


def extractinator_records(project: Any, task: Task) -> list[dict[str, Any]]:
    """``[{"uid": report id, <field>: value, ...}]`` for every report (None where there is no value)."""
    keys = [f.key for f in task.fields]
    out = []
    for rec in collect(project, task):
        values = rec.values or {}
        out.append({"uid": rec.id, **{k: values.get(k) for k in keys if k != "uid"}})
    return out


def export_extractinator_json(project: Any, task: Task, path: str | Path) -> Path:
    """Write predictions in llm_extractinator's / DRAGON's ``nlp-predictions-dataset.json`` shape."""
    return _write_json(extractinator_records(project, task), Path(path))
