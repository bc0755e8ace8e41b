"""Tabular sources where each row is one report: CSV, Excel, JSON, JSON Lines.

Every loader returns a :class:`Table`; :func:`table_reports` turns it into
reports.  The id column is the first of :data:`ID_COLUMNS` present (matched
case-insensitively, ignoring spaces, hyphens and underscores at the edges),
else the record number starting at 1.  The text column is the first of
:data:`TEXT_COLUMNS` present, else the column holding the most text.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from .encoding import decode_bytes, normalise_newlines
from .model import Report, Unreadable

ID_COLUMNS = ("id", "uid", "report_id", "reportid", "patient_id", "accession", "case_id")
TEXT_COLUMNS = (
    "text", "report", "report_text", "body", "content", "tekst", "verslag", "text_parts",
)
PART_SEPARATOR = "\n\n"
_DELIMITERS = (";", "\t", ",")  # ties go to the first: commas are common in free text


@dataclass
class Table:
    columns: list[str] = field(default_factory=list)
    # (record number, values) or (record number, reason the record is unusable)
    rows: list[tuple[int, dict[str, object] | str]] = field(default_factory=list)


def column_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def find_columns(columns: list[str], wanted: tuple[str, ...]) -> list[str]:
    """The columns named in *wanted*, in the order of *wanted*."""
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(column_key(name), name)
    return [by_key[key] for key in wanted if key in by_key]


def find_column(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    found = find_columns(columns, wanted)
    return found[0] if found else None


def join_parts(value: object) -> str:
    """Text of one cell: lists (``text_parts``) are joined with a blank line."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalise_newlines(value)
    if isinstance(value, (list, tuple)):
        return PART_SEPARATOR.join(join_parts(v) for v in value if v is not None)
    if isinstance(value, dict):
        return ""
    return format_scalar(value)


def format_scalar(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def unique_id(row_id: str, used: set[str]) -> str:
    """*row_id*, or ``row_id~2``, ``row_id~3``, ... when it was used before."""
    candidate, n = row_id, 1
    while candidate in used:
        n += 1
        candidate = f"{row_id}~{n}"
    used.add(candidate)
    return candidate


def table_reports(table: Table, rel: str) -> list[Report]:
    if not table.rows:
        raise Unreadable("The file has no rows with reports")
    values = [v for _, v in table.rows if isinstance(v, dict)]
    id_col = find_column(table.columns, ID_COLUMNS)
    # All named text columns, best first: a row may use "text" or "text_parts".
    text_cols = find_columns(table.columns, TEXT_COLUMNS)
    if not text_cols:
        longest = _longest_text_column(table.columns, values, exclude=id_col)
        text_cols = [longest] if longest else []
    if values and not text_cols:
        raise Unreadable(
            "No column with report text was found (name it 'text' or 'report')"
        )
    reports: list[Report] = []
    used: set[str] = set()
    for number, row in table.rows:
        raw_id = row.get(id_col) if id_col and isinstance(row, dict) else None
        row_id = format_scalar(raw_id).strip() if raw_id not in (None, "") else ""
        rid = f"{rel}#{unique_id(row_id or str(number), used)}"
        if isinstance(row, str):
            reports.append(Report.make_skipped(rid, rel, row, 0))
            continue
        text = next((t for t in (join_parts(row.get(c)) for c in text_cols) if t.strip()), "")
        if not text.strip():
            reports.append(Report.make_skipped(rid, rel, "This row has no report text", 0))
        else:
            reports.append(Report.make_ready(rid, rel, text, len(text.encode("utf-8"))))
    return reports


def _longest_text_column(columns, rows, exclude) -> str | None:
    best, best_len = None, 0
    for name in columns:
        if name == exclude:
            continue
        total = sum(len(join_parts(r.get(name))) for r in rows if _is_text(r.get(name)))
        if total > best_len:
            best, best_len = name, total
    return best


def _is_text(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    )


def _header(cells: list[object]) -> list[str]:
    names: list[str] = []
    for i, cell in enumerate(cells):
        name = format_scalar(cell).strip() if cell not in (None, "") else f"column {i + 1}"
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base} ({n})"
        names.append(name)
    return names


def _grid_table(grid) -> Table:
    """A table from rows of cells whose first non-empty row is the header."""
    table = Table()
    number = 0
    for cells in grid:
        cells = list(cells)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if not table.columns:
            table.columns = _header(cells)
            continue
        while len(cells) > len(table.columns):
            table.columns.append(f"column {len(table.columns) + 1}")
        number += 1
        table.rows.append((number, dict(zip(table.columns, cells))))
    return table


# --------------------------------------------------------------------- CSV
def sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else "\x1f"  # one column: never split the text


def load_csv(path: Path) -> Table:
    text = decode_bytes(path.read_bytes())
    if csv.field_size_limit() < 64 * 1024 * 1024:
        csv.field_size_limit(64 * 1024 * 1024)  # long reports in one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        return _grid_table(reader)
    except csv.Error as exc:
        raise Unreadable(f"The CSV file is damaged and could not be read ({exc})") from exc


# -------------------------------------------------------------------- XLSX
def load_xlsx(path: Path) -> Table:
    from lxml.etree import XMLSyntaxError
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = "The Excel file is damaged or is not a real .xlsx file"
    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError) as exc:
        raise Unreadable(damaged) from exc
    try:
        if not workbook.worksheets:
            raise Unreadable("The Excel file has no sheets")
        return _grid_table(workbook.worksheets[0].iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, XMLSyntaxError) as exc:
        raise Unreadable(damaged) from exc
    finally:
        workbook.close()


# -------------------------------------------------------------------- JSON
def _records_table(records) -> Table:
    table = Table()
    seen: dict[str, None] = {}
    for number, item in enumerate(records, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if isinstance(item, dict):
            item = {str(k): v for k, v in item.items()}
            seen.update(dict.fromkeys(item))
            table.rows.append((number, item))
        else:
            table.rows.append((number, "This entry is not a report (expected an object with text)"))
    table.columns = list(seen)
    return table


def load_json(path: Path) -> Table:
    try:
        data = json.loads(decode_bytes(path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise Unreadable(f"The file is not valid JSON (error on line {exc.lineno})") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if lists:
            data = lists[0]  # e.g. {"reports": [...]}
        elif find_column(list(map(str, data)), TEXT_COLUMNS):
            data = [data]  # a single report
    if not isinstance(data, list):
        raise Unreadable("The JSON file does not contain a list of reports")
    return _records_table(data)


def load_jsonl(path: Path) -> Table:
    records: list[object] = []
    bad: dict[int, str] = {}
    lines = [ln for ln in decode_bytes(path.read_bytes()).split("\n") if ln.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            records.append(None)
            bad[number] = f"Entry {number} is not valid JSON"
    table = _records_table(records)
    table.rows = [(n, bad.get(n, row)) for n, row in table.rows]
    return table


LOADERS = {".csv": load_csv, ".tsv": load_csv, ".xlsx": load_xlsx, ".json": load_json,
           ".jsonl": load_jsonl, ".ndjson": load_jsonl}
