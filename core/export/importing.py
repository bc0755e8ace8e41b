"""Import a reviewed spreadsheet: the Excel export, corrected and reviewed in Excel, read back.

:func:`import_review` reads the Results sheet of a workbook that
:func:`core.export.export_xlsx` wrote and a registry's staff then edited:

* a changed value becomes the reviewer's value for that field (through
  :func:`core.review.set_value`, the app's own rule), so it shows in the
  review, in the next export and on its Corrections sheet;
* the Review column (not reviewed, accepted, corrected, flagged) and the
  Review comment column set the reviewer's decision;
* every change is written in one transaction, and the audit trail names the
  file it came from ("imported from reviewed.xlsx").

All or nothing: a cell that breaks the task's rules (an option that does
not exist, a number out of range, a report the project does not have, a
changed repeating-group sheet) rejects the whole import with
:class:`ImportRejected`, whose message lists every problem, and nothing
changes.  Columns the export fills in for information (Status, Reason,
Reviewer, Review time, Lowest confidence, Evidence warnings) are not read.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.export.cells import CellProblem, read_cell, same_cell, selected
from core.export.table import Column, ExportData, build, results_columns
from core.export.xlsx import group_sheet_titles
from core.review import ReviewStatus, accept, flag, load_states, reopen, set_value
from core.review.state import ReportState
from core.review.values import same
from core.task import Task

INFO_ONLY = ("source", "status", "reason", "reviewer", "review_time", "confidence", "evidence")


class ImportRejected(Exception):
    """The spreadsheet breaks the task's rules; nothing was imported.  ``problems``: one line each."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} was not imported, and nothing changed. "
                         f"Fix {'this problem' if len(problems) == 1 else f'these {len(problems)} problems'} "
                         f"and import it again:\n{lines}")


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class ImportSummary:
    source: str
    values_changed: int = 0
    corrected: list[str] = field(default_factory=list)   # reports with a value changed
    accepted: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    unchanged: int = 0

    def text(self) -> str:
        parts = [f"{_n(self.values_changed, 'value')} changed in {_n(len(self.corrected), 'report')}",
                 f"{_n(len(self.accepted), 'report')} accepted", f"{len(self.flagged)} flagged"]
        if self.reopened:
            parts.append(f"{len(self.reopened)} back to not reviewed")
        return f"Imported {self.source}: {', '.join(parts)}; {_n(self.unchanged, 'report')} unchanged."


@dataclass
class _Change:
    report_id: str
    values: dict[str, Any]                 # top-level field key -> new value
    review: ReviewStatus | None            # a new decision, None: keep it
    comment: str | None


# ---- reading the workbook -------------------------------------------------------------------

def _rows(ws) -> Iterator[tuple[Any, ...]]:
    yield from ws.iter_rows(values_only=True)


def _task_version(wb) -> str | None:
    if "Task" not in wb.sheetnames:
        return None
    for row in _rows(wb["Task"]):
        if row and row[0] == "Task version":
            return str(row[1]) if len(row) > 1 and row[1] else None
    return None


def _pick_task(project: Any, task: Task | None, version: str | None, source: str) -> Task:
    if version:
        if task is not None and task.hash() != version:
            raise ImportRejected(source, [
                f"It was exported for another version of the task (version {version[:12]}); "
                f"choose that task, or export again and review the new file."])
        try:
            return project.task(version)
        except KeyError:
            raise ImportRejected(source, [f"This project has no task of version {version[:12]}: "
                                          f"the spreadsheet comes from another project."]) from None
    chosen = task or project.current_task()
    if chosen is None:
        raise ImportRejected(source, ["The spreadsheet has no Task sheet and the project has no current task."])
    return chosen


def _layout(task: Task, headers: list[str]) -> tuple[str, list[Column]]:
    """The export layout (multiple choice as one column per option, or joined) the headers fit best."""
    best = max(("columns", "joined"),
               key=lambda mode: sum(c.header in headers for c in results_columns(task, multi_choice=mode)))
    return best, results_columns(task, multi_choice=best)


# ---- planning ---------------------------------------------------------------------------------

def _where(row: int, rid: Any, header: str | None = None) -> str:
    return f"Row {row} ({rid})" + (f", {header}" if header else "")


def _get(value: Any, keys: tuple[str, ...]) -> Any:
    for k in keys:
        value = value.get(k) if isinstance(value, dict) else None
    return value


def _set(value: Any, keys: tuple[str, ...], sub: Any) -> Any:
    """*value* (a top-level field's value) with the part at *keys* (below the field) replaced."""
    if not keys:
        return sub
    out = dict(value) if isinstance(value, dict) else {}
    out[keys[0]] = _set(out.get(keys[0]), keys[1:], sub)
    return out


class _Planner:
    def __init__(self, project: Any, task: Task, mode: str, headers: list[str], source: str):
        self.task, self.source = task, source
        self.data: ExportData = build(project, task, multi_choice=mode)
        self.states: dict[str, ReportState] = load_states(project, task.hash())
        self.exported = {r[0]: r for r in self.data.results.rows}
        self.columns = self.data.results.columns
        self.at = {h: i for i, h in enumerate(headers) if h}
        self.top = {f.key: f for f in task.fields}
        self.problems: list[str] = []

    def cell(self, row: tuple[Any, ...], header: str) -> Any:
        i = self.at.get(header)
        return row[i] if i is not None and i < len(row) else None

    def check_headers(self) -> None:
        for header in ("Report", "Review", "Review comment"):
            if header not in self.at:
                self.problems.append(f"The Results sheet has no '{header}' column: import a sheet that "
                                     f"Abstractor exported (its first row holds the column names).")

    def values(self, n: int, rid: str, row: tuple[Any, ...], st: ReportState) -> dict[str, Any]:
        """Top-level field key -> new value, for the fields whose cells the user changed."""
        exported = self.exported[rid]
        new: dict[str, Any] = {}
        flags: dict[str, dict[str, bool | None]] = {}   # a multiple choice as one column per option
        for i, col in enumerate(self.columns):
            if not col.keys or col.header not in self.at:
                continue
            v = self.cell(row, col.header)
            if same_cell(v, exported[i]):
                continue
            key = col.keys[0]
            try:
                if col.kind == "flag":
                    flags.setdefault(col.path, {})[col.option or ""] = selected(v)
                    continue
                sub = read_cell(col, self.task.field_at(col.path), v)
            except CellProblem as exc:
                self.problems.append(f"{_where(n, rid, col.header)}: {exc}")
                continue
            new[key] = _set(new.get(key, copy.deepcopy(st.value(key))), col.keys[1:], sub)
        for path, chosen in flags.items():
            cols = [c for c in self.columns if c.kind == "flag" and c.path == path]
            key, keys = cols[0].keys[0], cols[0].keys[1:]
            before = new.get(key, copy.deepcopy(st.value(key)))
            now = _get(before, keys)
            cells = {c.option: chosen[c.option] if c.option in chosen else
                     (c.option in now if isinstance(now, list) else None) for c in cols}
            picked = None if all(v is None for v in cells.values()) else [o for o, v in cells.items() if v]
            new[key] = _set(before, keys, picked)
        return {k: v for k, v in new.items() if not same(self.top[k], v, st.value(k))}

    def review(self, n: int, rid: str, row: tuple[Any, ...], st: ReportState,
               changes_values: bool) -> tuple[ReviewStatus | None, str | None]:
        raw = self.cell(row, "Review")
        word = str(raw).strip().casefold() if raw is not None and str(raw).strip() else ReviewStatus.NOT_REVIEWED
        try:
            target = ReviewStatus(word)
        except ValueError:
            self.problems.append(f"{_where(n, rid, 'Review')}: '{raw}' is not a review; choose one of: "
                                 f"{', '.join(ReviewStatus)}")
            return None, None
        c = self.cell(row, "Review comment")
        comment = str(c).strip() or None if c is not None else None
        comment_changed = comment != (st.comment or None)
        current = st.review_status
        decided = {ReviewStatus.ACCEPTED, ReviewStatus.CORRECTED}
        if not st.reviewable and (target is not ReviewStatus.NOT_REVIEWED or changes_values):
            self.problems.append(f"{_where(n, rid)}: the file could not be read ({st.reason}); "
                                 f"it has no values to review")
            return None, None
        if target is ReviewStatus.NOT_REVIEWED:
            if comment_changed and comment:
                self.problems.append(f"{_where(n, rid, 'Review comment')}: a comment belongs to a review; "
                                     f"set Review to accepted, corrected or flagged")
                return None, None
            return (target if current is not ReviewStatus.NOT_REVIEWED else None), None
        if target in decided and st.values is None and not changes_values:
            self.problems.append(f"{_where(n, rid, 'Review')}: the report has not been run and has no values "
                                 f"to accept")
            return None, None
        if target is ReviewStatus.FLAGGED:
            return (target if current is not target or comment_changed else None), comment
        return (target if current not in decided or comment_changed else None), comment

    def plan(self, rows: list[tuple[int, tuple[Any, ...]]]) -> list[_Change]:
        changes, seen = [], set()
        for n, row in rows:
            rid = self.cell(row, "Report")
            if rid is None or not str(rid).strip():
                if any(v is not None and str(v).strip() for v in row):
                    self.problems.append(f"Row {n}: no report name in the Report column")
                continue
            rid = str(rid)
            if rid not in self.states:
                self.problems.append(f"{_where(n, rid)}: this project has no report of that name")
                continue
            if rid in seen:
                self.problems.append(f"{_where(n, rid)}: the report is on the sheet twice")
                continue
            seen.add(rid)
            st = self.states[rid]
            values = self.values(n, rid, row, st)
            review, comment = self.review(n, rid, row, st, bool(values))
            if values or review is not None:
                changes.append(_Change(rid, values, review, comment))
        return changes

    def check_group_sheets(self, wb) -> None:
        for table, title in zip(self.data.groups, group_sheet_titles(self.data.groups)):
            if title not in wb.sheetnames:
                continue
            rows = [r for r in _rows(wb[title])][1:]
            rows = [r for r in rows if any(v is not None for v in r)]
            width = len(table.columns)
            if len(rows) != len(table.rows) or any(
                    not same_cell(r[i] if i < len(r) else None, want[i])
                    for r, want in zip(rows, table.rows) for i in range(width)):
                self.problems.append(f"Sheet '{title}': items of a repeating group cannot be imported from a "
                                     f"spreadsheet; undo the changes there and make them in the app")


# ---- the import -----------------------------------------------------------------------------

def _read(path: Path):
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:  # not a workbook
        raise ImportRejected(path.name, [f"The file cannot be read as an Excel workbook: {exc}"]) from None


def _apply(project: Any, task: Task, changes: list[_Change], reviewer: str | None, summary: ImportSummary) -> None:
    h = task.hash()
    top = {f.key: f for f in task.fields}
    for ch in changes:
        changed = [key for key, value in ch.values.items()
                   if set_value(project, ch.report_id, h, top[key], value, reviewer)]
        summary.values_changed += len(changed)
        if changed:
            summary.corrected.append(ch.report_id)
        if ch.review is ReviewStatus.FLAGGED:
            flag(project, ch.report_id, h, ch.comment, reviewer)
            summary.flagged.append(ch.report_id)
        elif ch.review in (ReviewStatus.ACCEPTED, ReviewStatus.CORRECTED):
            accept(project, ch.report_id, h, reviewer, comment=ch.comment)
            summary.accepted.append(ch.report_id)
        elif ch.review is ReviewStatus.NOT_REVIEWED:
            reopen(project, ch.report_id, h, reviewer)
            summary.reopened.append(ch.report_id)


def import_review(project: Any, path: str | Path, task: Task | None = None,
                  reviewer: str | None = None) -> ImportSummary:
    """Import the reviewed Results sheet at *path* into *project*; all of it, or nothing.

    *task*: the task the review is for (the app's current task); it must be
    the version the sheet was exported for.  Without it, that version is
    taken from the sheet's Task sheet.  Raises :class:`ImportRejected`.
    """
    path = Path(path)
    source = path.name
    wb = _read(path)
    try:
        if "Results" not in wb.sheetnames:
            raise ImportRejected(source, ["The workbook has no Results sheet: import a spreadsheet that "
                                          "Abstractor exported."])
        task = _pick_task(project, task, _task_version(wb), source)
        sheet = list(_rows(wb["Results"]))
        headers = [str(h).strip() if h is not None else "" for h in (sheet[0] if sheet else ())]
        mode, _ = _layout(task, headers)
        with project.lock:   # nothing may change between reading the state and writing the import
            planner = _Planner(project, task, mode, headers, source)
            planner.check_headers()
            changes = [] if planner.problems else planner.plan(list(enumerate(sheet[1:], start=2)))
            planner.check_group_sheets(wb)
            if planner.problems:
                raise ImportRejected(source, planner.problems)
            summary = ImportSummary(source)
            with project.transaction(source=f"imported from {source}"):
                _apply(project, task, changes, reviewer, summary)
            summary.unchanged = len(planner.states) - len(changes)
            return summary
    finally:
        wb.close()
