"""Import gold-standard labels from a spreadsheet or DRAGON ground truth.

``load_gold`` reads ``.csv`` (``;``, ``,`` or tab separated, UTF-8 with or
without BOM), ``.xlsx`` (first or named sheet) or a DRAGON ground-truth
``.json`` file and returns ``{report_id: {field_path: value}}`` where each
value is coerced to its field's type (``None`` when the cell is empty).

Group children are keyed by their dotted path (``"tumour.size"``).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from core.task import Field, FieldType, Task

ID_COLUMN_NAMES = ("report_id", "report id", "reportid", "id", "uid", "report", "document",
                   "file", "filename", "file_name", "file name", "bestand", "bestandsnaam")
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "\u2014", "#n/a"}
_YES = {"yes", "y", "ja", "j", "true", "t", "1", "waar"}
_NO = {"no", "n", "nee", "false", "f", "0", "onwaar"}


class GoldImportError(ValueError):
    """The gold file cannot be used (no id column, duplicate ids, bad cell)."""


# ---------------------------------------------------------------------------
# value coercion
# ---------------------------------------------------------------------------
def _is_missing(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and raw != raw:  # NaN
        return True
    return isinstance(raw, str) and raw.strip().casefold() in MISSING_TOKENS


def parse_number(raw: Any, unit: str | None = None) -> float:
    """Parse ``8.5``, ``"8,5"``, ``" 12 mm"`` (when ``unit`` is ``"mm"``)."""
    if isinstance(raw, bool):
        raise ValueError(f"not a number: {raw!r}")
    if isinstance(raw, (int, float)):
        return float(raw)
    s = str(raw).strip()
    if unit and s.casefold().endswith(unit.casefold()):
        s = s[: -len(unit)].strip()
    s = s.replace("\u2212", "-").replace(" ", "")
    if re.fullmatch(r"[-+]?\d+,\d+", s):
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"not a number: {raw!r}") from None


def parse_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    s = str(raw).strip().casefold()
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise ValueError(f"not yes/no: {raw!r}")


def parse_date(raw: Any) -> str:
    """Return an ISO date string from ISO, dd-mm-yyyy, dd/mm/yyyy or dd.mm.yyyy."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    s = str(raw).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
        if not m:
            raise ValueError(f"not a date: {raw!r}")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {raw!r}") from None


def _match_option(field: Field, raw: Any) -> str:
    s = str(raw).strip()
    values = field.option_values()
    if s in values:
        return s
    for v in values:
        if v.casefold() == s.casefold():
            return v
    raise ValueError(f"{raw!r} is not one of the options {values}")


def _split_list(raw: Any) -> list[str]:
    if isinstance(raw, (list, tuple, set)):
        return [str(x).strip() for x in raw if not _is_missing(x)]
    s = str(raw)
    for sep in ("\n", ";", "|"):
        if sep in s:
            return [p.strip() for p in s.split(sep) if p.strip()]
    return [s.strip()] if s.strip() else []


def coerce_value(field: Field, raw: Any) -> Any:
    """Coerce one gold cell to ``field``'s type; ``None`` for an empty cell.

    Raises ``ValueError`` for a value that does not fit the type.
    """
    t = field.type
    if t == FieldType.CHOICE and raw is not None and not isinstance(raw, (list, dict)):
        try:  # an option may look like a missing token ("NA", "-")
            return _match_option(field, raw)
        except ValueError:
            if not _is_missing(raw):
                raise
    if _is_missing(raw):
        return None
    if t == FieldType.YES_NO:
        return parse_yes_no(raw)
    if t == FieldType.INTEGER:
        x = parse_number(raw, field.unit)
        if not x.is_integer():
            raise ValueError(f"not a whole number: {raw!r}")
        return int(x)
    if t == FieldType.DECIMAL:
        return parse_number(raw, field.unit)
    if t == FieldType.DATE:
        return parse_date(raw)
    if t == FieldType.MULTI_CHOICE:
        parts = _split_list(raw)
        if len(parts) == 1 and "," in parts[0] and parts[0] not in field.option_values():
            parts = [p.strip() for p in parts[0].split(",") if p.strip()]
        return [_match_option(field, p) for p in parts]
    if t == FieldType.TEXT_LIST:
        return _split_list(raw)
    if t.has_children:
        raise ValueError("group fields are imported per child column ('group.child')")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return parse_date(raw)
    return str(raw).strip()


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------
def read_table(path: str | Path, sheet: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """Return (header, rows) of a .csv or .xlsx file; blank rows dropped."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    elif path.suffix.lower() in (".csv", ".tsv", ".txt"):
        text = path.read_bytes().decode("utf-8-sig")
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        delim = max((";", ",", "\t"), key=first.count)
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]
    else:
        raise GoldImportError(f"Unsupported gold file type: {path.suffix}")
    rows = [r for r in rows if any(not _is_missing(c) for c in r)]
    if not rows:
        raise GoldImportError(f"{path.name} is empty")
    header = ["" if c is None else str(c).strip() for c in rows[0]]
    return header, rows[1:]


def _norm_name(s: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", s.strip().casefold()).strip()


def default_mapping(task: Task, columns: list[str]) -> dict[str, str]:
    """Match columns to leaf field paths by path, key or label, case-insensitively."""
    names: dict[str, str] = {}
    for path, f in task.walk():
        if f.type.has_children:
            continue
        for n in (path, f.key, f.label, f.title):
            if n:
                names.setdefault(_norm_name(n), path)
    return {c: names[_norm_name(c)] for c in columns if c and _norm_name(c) in names}


def find_id_column(columns: list[str]) -> str:
    by_norm = {_norm_name(c): c for c in columns if c}
    for name in ID_COLUMN_NAMES:
        if _norm_name(name) in by_norm:
            return by_norm[_norm_name(name)]
    raise GoldImportError("No report id column found; name one of: " + ", ".join(ID_COLUMN_NAMES[:8]))


def load_gold(path: str | Path, task: Task, *, id_column: str | None = None,
              mapping: dict[str, str] | None = None, sheet: str | None = None,
              problems: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Read gold labels; see the module docstring.

    ``mapping`` maps column name -> field path (default: :func:`default_mapping`).
    If ``problems`` is a list, cells that cannot be coerced are recorded there
    and set to ``None``; otherwise the first one raises :class:`GoldImportError`.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        from core.evaluation.dragon_tasks import gold_from_ground_truth

        return gold_from_ground_truth(path)
    header, rows = read_table(path, sheet)
    id_col = id_column or find_id_column(header)
    if id_col not in header:
        raise GoldImportError(f"Column '{id_col}' not found")
    mapping = default_mapping(task, header) if mapping is None else mapping
    fields = {}
    for col, fpath in mapping.items():
        if col not in header:
            raise GoldImportError(f"Column '{col}' not found")
        fields[col] = (header.index(col), fpath, task.field_at(fpath))
    if not fields:
        raise GoldImportError("No column matches a field of the task")
    id_idx = header.index(id_col)
    out: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(rows, start=2):
        raw_id = row[id_idx] if id_idx < len(row) else None
        if _is_missing(raw_id):
            continue
        rid = str(int(raw_id)) if isinstance(raw_id, float) and raw_id.is_integer() else str(raw_id).strip()
        if rid in out:
            raise GoldImportError(f"Report id '{rid}' appears twice (row {line})")
        values: dict[str, Any] = {}
        for col, (idx, fpath, field) in fields.items():
            cell = row[idx] if idx < len(row) else None
            try:
                values[fpath] = coerce_value(field, cell)
            except ValueError as exc:
                msg = f"Row {line}, column '{col}': {exc}"
                if problems is None:
                    raise GoldImportError(msg) from None
                problems.append(msg)
                values[fpath] = None
        out[rid] = values
    return out


def align_gold_ids(gold: dict[str, dict], report_ids: list[str]) -> tuple[dict[str, dict], list[str]]:
    """Re-key gold rows to report ids: exact match, else unique file name, else unique stem.

    Returns (aligned gold, gold ids that matched no report).
    """
    def stem(s: str) -> str:
        return Path(s.replace("\\", "/")).stem.casefold()

    by_name: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for rid in report_ids:
        by_name.setdefault(Path(rid).name.casefold(), []).append(rid)
        by_stem.setdefault(stem(rid), []).append(rid)
    aligned, unmatched, known = {}, [], set(report_ids)
    for gid, vals in gold.items():
        if gid in known:
            aligned[gid] = vals
            continue
        cands = by_name.get(Path(gid.replace("\\", "/")).name.casefold()) or by_stem.get(stem(gid)) or []
        if len(cands) == 1 and cands[0] not in aligned:
            aligned[cands[0]] = vals
        else:
            unmatched.append(gid)
    return aligned, unmatched
