"""The project file: one SQLite database (WAL mode) per project.

It holds the reports, task snapshots (by hash), runs, per-report results
and reviews.  Every result and every review edit is committed the moment
it exists, so a run killed at any point loses nothing already stored.

One :class:`Project` may be shared between threads (the GUI reads while the
run worker writes): every statement runs under one lock.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store.migrations import migrate
from core.store.reviews import ReviewsMixin
from core.task import Task

PROJECT_SUFFIX = ".abstractor"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def _j(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


def _uj(s: str | None) -> Any:
    return None if s is None else json.loads(s)


@dataclass
class ReportRow:
    id: str
    source: str
    text: str
    size: int
    status: str       # ready | skipped
    reason: str | None
    seq: int


@dataclass
class ResultRow:
    run_id: int
    report_id: str
    task_hash: str
    status: str       # ok | failed | skipped
    reason: str | None
    values: dict
    raw_output: str | None
    quotes: dict
    evidence: dict
    confidence: dict
    warnings: dict
    prompt_tokens: int
    cached_tokens: int
    output_tokens: int
    timings: dict
    created_at: str


@dataclass
class RunRow:
    id: int
    task_hash: str
    model_path: str
    model_name: str
    model_size: int
    model_sha256: str
    backend: str
    settings: dict
    app_version: str
    started_at: str
    ended_at: str | None
    state: str


class Project(ReviewsMixin):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self.conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        with self._lock:
            migrate(self.conn)

    # ---- plumbing -------------------------------------------------------------
    def _q(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, args).fetchall()

    def _x(self, sql: str, args: tuple | list = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.execute(sql, args)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- meta -----------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        self._x("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value)))

    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._q("SELECT value FROM meta WHERE key=?", (key,))
        return json.loads(rows[0][0]) if rows else default

    # ---- reports ----------------------------------------------------------------
    def add_reports(self, reports: Iterable[Any]) -> tuple[int, int]:
        """Add or refresh reports (objects with id, source, text, size, status, reason).

        Returns (added, changed).  A report whose text changed keeps its id;
        its old results stay in history but are no longer current (see results).
        """
        added = changed = 0
        with self._lock:
            existing = dict(self.conn.execute("SELECT id, text_hash FROM reports"))
            seq = (self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM reports").fetchone()[0])
            stamp = now()
            self.conn.execute("BEGIN")
            try:
                for r in reports:
                    h = hashlib.sha256(r.text.encode("utf-8")).hexdigest()[:16]
                    old = existing.get(r.id)
                    if old is None:
                        seq += 1
                        self.conn.execute(
                            "INSERT INTO reports(id, source, text, text_hash, size, status, reason, seq, added_at)"
                            " VALUES(?,?,?,?,?,?,?,?,?)",
                            (r.id, r.source, r.text, h, r.size, r.status, r.reason, seq, stamp))
                        added += 1
                    elif old != h:
                        self.conn.execute(
                            "UPDATE reports SET source=?, text=?, text_hash=?, size=?, status=?, reason=? WHERE id=?",
                            (r.source, r.text, h, r.size, r.status, r.reason, r.id))
                        changed += 1
                    existing[r.id] = h
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        return added, changed

    def report_count(self) -> int:
        return self._q("SELECT COUNT(*) FROM reports")[0][0]

    def report_ids(self) -> list[str]:
        return [r[0] for r in self._q("SELECT id FROM reports ORDER BY seq")]

    def report(self, report_id: str) -> ReportRow:
        rows = self._q("SELECT id, source, text, size, status, reason, seq FROM reports WHERE id=?", (report_id,))
        if not rows:
            raise KeyError(report_id)
        return ReportRow(*rows[0])

    def reports_page(self, offset: int, limit: int) -> list[ReportRow]:
        """Reports in folder order without their text (fast, for lazy tables)."""
        rows = self._q("SELECT id, source, '', size, status, reason, seq FROM reports ORDER BY seq LIMIT ? OFFSET ?",
                       (limit, offset))
        return [ReportRow(*r) for r in rows]

    # ---- tasks ---------------------------------------------------------------------
    def save_task(self, task: Task) -> str:
        h = task.hash()
        self._x("INSERT OR IGNORE INTO tasks(hash, name, json, created_at) VALUES(?,?,?,?)",
                (h, task.name, task.canonical_json(), now()))
        return h

    def task(self, task_hash: str) -> Task:
        rows = self._q("SELECT json FROM tasks WHERE hash=?", (task_hash,))
        if not rows:
            raise KeyError(task_hash)
        return Task.model_validate_json(rows[0][0])

    def set_current_task(self, task: Task) -> str:
        h = self.save_task(task)
        self.set_meta("current_task", h)
        return h

    def current_task(self) -> Task | None:
        h = self.get_meta("current_task")
        return self.task(h) if h else None

    # ---- runs ----------------------------------------------------------------------
    def start_run(self, task: Task, *, model_path: str, model_name: str, model_size: int,
                  model_sha256: str, backend: str, settings: dict, app_version: str) -> int:
        h = self.save_task(task)
        cur = self._x(
            "INSERT INTO runs(task_hash, model_path, model_name, model_size, model_sha256, backend, settings,"
            " app_version, started_at) VALUES(?,?,?,?,?,?,?,?,?)",
            (h, model_path, model_name, model_size, model_sha256, backend, _j(settings), app_version, now()))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, state: str) -> None:
        self._x("UPDATE runs SET ended_at=?, state=? WHERE id=?", (now(), state, run_id))

    def run(self, run_id: int) -> RunRow:
        rows = self._q("SELECT * FROM runs WHERE id=?", (run_id,))
        if not rows:
            raise KeyError(run_id)
        r = list(rows[0])
        r[7] = _uj(r[7])
        return RunRow(*r)

    def runs(self, task_hash: str | None = None) -> list[RunRow]:
        sql, args = "SELECT id FROM runs", ()
        if task_hash:
            sql, args = sql + " WHERE task_hash=?", (task_hash,)
        return [self.run(r[0]) for r in self._q(sql + " ORDER BY id", args)]

    # ---- results ---------------------------------------------------------------------
    def save_result(self, run_id: int, task_hash: str, report_id: str, ex: Any) -> None:
        """Store one report's result (an Extraction, or anything with the same fields)."""
        self._x(
            'INSERT OR REPLACE INTO results(run_id, report_id, task_hash, status, reason, "values", raw_output, quotes,'
            " evidence, confidence, warnings, prompt_tokens, cached_tokens, output_tokens, timings, created_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, report_id, task_hash, ex.status, ex.reason, _j(ex.values), ex.raw_output, _j(ex.quotes),
             _j(ex.evidence), _j(ex.confidence), _j(ex.warnings), ex.prompt_tokens, ex.cached_tokens,
             ex.output_tokens, _j(ex.timings.as_dict() if hasattr(ex.timings, "as_dict") else ex.timings), now()))

    _RESULT_COLS = ('run_id, report_id, task_hash, status, reason, "values", raw_output, quotes, evidence,'
                    " confidence, warnings, prompt_tokens, cached_tokens, output_tokens, timings, created_at")

    @staticmethod
    def _result(row: tuple) -> ResultRow:
        r = list(row)
        for i in (5, 7, 8, 9, 10, 14):
            r[i] = _uj(r[i]) or {}
        return ResultRow(*r)

    def latest_results(self, task_hash: str) -> dict[str, ResultRow]:
        """The current result per report for a task: the newest one stored."""
        rows = self._q(
            f"SELECT {self._RESULT_COLS} FROM results WHERE rowid IN ("
            " SELECT MAX(rowid) FROM results WHERE task_hash=? GROUP BY report_id)", (task_hash,))
        return {row[1]: self._result(row) for row in rows}

    def result(self, report_id: str, task_hash: str) -> ResultRow | None:
        rows = self._q(f"SELECT {self._RESULT_COLS} FROM results WHERE report_id=? AND task_hash=?"
                       " ORDER BY rowid DESC LIMIT 1", (report_id, task_hash))
        return self._result(rows[0]) if rows else None

    def run_results(self, run_id: int) -> dict[str, ResultRow]:
        rows = self._q(f"SELECT {self._RESULT_COLS} FROM results WHERE run_id=?", (run_id,))
        return {row[1]: self._result(row) for row in rows}

    def reports_to_run(self, task_hash: str, which: str = "not_run",
                       selection: Iterable[str] | None = None) -> list[str]:
        """Report ids to process: 'all', 'not_run', 'failed' or 'selection' (skipped files never)."""
        ready = [r[0] for r in self._q("SELECT id FROM reports WHERE status='ready' ORDER BY seq")]
        if which == "all":
            return ready
        if which == "selection":
            wanted = set(selection or ())
            return [r for r in ready if r in wanted]
        latest = self.latest_results(task_hash)
        if which == "not_run":
            return [r for r in ready if r not in latest]
        if which == "failed":
            return [r for r in ready if r in latest and latest[r].status == "failed"]
        raise ValueError(f"unknown selection {which!r}")
