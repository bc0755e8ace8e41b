"""The project file: one SQLite database (WAL mode) per project.

It holds the reports, task snapshots (by hash), runs, per-report results
and reviews.  Every result and every review edit is committed the moment
it exists, so a run killed at any point loses nothing already stored.

One :class:`Project` may be shared between threads (the GUI reads while the
run worker writes): every statement runs under one lock.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store.migrations import migrate
from core.store.reviews import ReviewsMixin
from core.store.rows import ResultStatus, from_json, now, to_json
from core.task import Task

PROJECT_SUFFIX = ".abstractor"


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
    status: str       # a ResultStatus: ok | failed | skipped
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
class TaskVersion:
    """One version of a task stored in the project, with what the project holds under it."""

    hash: str
    name: str
    created_at: str
    results: int      # reports with a result (ok or failed) under this version
    decided: int      # reports accepted or flagged under this version
    corrected: int    # reports with a reviewer value under this version

    @property
    def empty(self) -> bool:
        """Nothing was run or reviewed under this version."""
        return not (self.results or self.decided or self.corrected)


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
        self.lock = threading.RLock()  # hold it to make several calls one step for other threads (re-entrant)
        # Created user-only (0600); SQLite gives the -wal and -shm files the database file's mode.
        os.close(os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o600))
        self.conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row  # every read goes by column name
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")  # a commit (result, review edit) survives a power cut
        self.conn.execute("PRAGMA foreign_keys=ON")
        with self.lock:
            migrate(self.conn)

    # ---- plumbing -------------------------------------------------------------
    def _q(self, sql: str, args: tuple | list = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def _x(self, sql: str, args: tuple | list = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, args)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, source: str | None = None) -> Iterator[None]:
        """Several changes as one: all are stored, or (on an exception) none.

        Re-entrant: a transaction opened inside another one joins it.

        Review events written meanwhile name *source* (say, "imported from
        reviewed.xlsx").  Other threads wait for the lock meanwhile.
        """
        with self.lock:
            if self.conn.in_transaction:  # inside an outer transaction: part of it, under its source
                yield
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._event_source = source
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._event_source = None

    # ---- meta -----------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        self._x("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value)))

    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._q("SELECT value FROM meta WHERE key=?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    # ---- reports ----------------------------------------------------------------
    def add_reports(self, reports: Iterable[Any]) -> tuple[int, int]:
        """Add or refresh reports (objects with id, source, text, size, status, reason).

        Returns (added, changed).  A report whose text changed keeps its id;
        its old results stay in history but are no longer current (see results).
        """
        added = changed = 0
        with self.lock:
            existing = {r["id"]: r["text_hash"] for r in self.conn.execute("SELECT id, text_hash FROM reports")}
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) AS seq FROM reports").fetchone()["seq"]
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

    def report_count(self, status: str | None = None) -> int:
        """Reports in the project; with *status* ('ready' or 'skipped') only those."""
        if status is None:
            return self._q("SELECT COUNT(*) AS n FROM reports")[0]["n"]
        return self._q("SELECT COUNT(*) AS n FROM reports WHERE status=?", (status,))[0]["n"]

    def report_ids(self) -> list[str]:
        return [r["id"] for r in self._q("SELECT id FROM reports ORDER BY seq")]

    def report_ids_containing(self, words: str) -> set[str]:
        """Reports whose text, name or source file contains *words* (case-insensitive for
        letters a–z; other letters as written), searched in the database, not in memory."""
        w = words.strip()
        if not w:
            return set(self.report_ids())
        rows = self._q("SELECT id FROM reports WHERE instr(lower(text), lower(?)) > 0 "
                       "OR instr(lower(id), lower(?)) > 0 OR instr(lower(source), lower(?)) > 0", (w, w, w))
        return {r["id"] for r in rows}

    @staticmethod
    def _report(row: sqlite3.Row) -> ReportRow:
        return ReportRow(id=row["id"], source=row["source"], text=row["text"], size=row["size"],
                         status=row["status"], reason=row["reason"], seq=row["seq"])

    def report(self, report_id: str) -> ReportRow:
        rows = self._q("SELECT id, source, text, size, status, reason, seq FROM reports WHERE id=?", (report_id,))
        if not rows:
            raise KeyError(report_id)
        return self._report(rows[0])

    def reports_page(self, offset: int, limit: int) -> list[ReportRow]:
        """Reports in folder order without their text (fast, for lazy tables)."""
        rows = self._q("SELECT id, source, '' AS text, size, status, reason, seq FROM reports ORDER BY seq"
                       " LIMIT ? OFFSET ?", (limit, offset))
        return [self._report(r) for r in rows]

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
        return Task.model_validate_json(rows[0]["json"])

    def set_current_task(self, task: Task) -> str:
        h = self.save_task(task)
        self.set_meta("current_task", h)
        return h

    def current_task(self) -> Task | None:
        h = self.get_meta("current_task")
        return self.task(h) if h else None

    def task_versions(self) -> list[TaskVersion]:
        """Every task version stored in the project, oldest first, with its results and reviews.

        Changing a task gives it a new hash; the results and reviews of the
        previous version stay stored under the previous hash (nothing is
        deleted), and making that version current again shows them.
        """
        rows = self._q(
            "SELECT t.hash AS hash, t.name AS name, t.created_at AS created_at,"
            " (SELECT COUNT(DISTINCT report_id) FROM results r WHERE r.task_hash=t.hash) AS results,"
            " (SELECT COUNT(*) FROM review_states s WHERE s.task_hash=t.hash) AS decided,"
            " (SELECT COUNT(DISTINCT report_id) FROM reviews v WHERE v.task_hash=t.hash) AS corrected"
            " FROM tasks t ORDER BY t.created_at, t.rowid")
        return [TaskVersion(hash=r["hash"], name=r["name"], created_at=r["created_at"], results=r["results"],
                            decided=r["decided"], corrected=r["corrected"]) for r in rows]

    def task_version(self, task_hash: str) -> TaskVersion:
        """One stored version (KeyError when the project does not hold it)."""
        for v in self.task_versions():
            if v.hash == task_hash:
                return v
        raise KeyError(task_hash)

    # ---- runs ----------------------------------------------------------------------
    def start_run(self, task: Task, *, model_path: str, model_name: str, model_size: int,
                  model_sha256: str, backend: str, settings: dict, app_version: str) -> int:
        h = self.save_task(task)
        cur = self._x(
            "INSERT INTO runs(task_hash, model_path, model_name, model_size, model_sha256, backend, settings,"
            " app_version, started_at) VALUES(?,?,?,?,?,?,?,?,?)",
            (h, model_path, model_name, model_size, model_sha256, backend, to_json(settings), app_version, now()))
        assert cur.lastrowid is not None  # an INSERT into a table with an integer key
        return cur.lastrowid

    def finish_run(self, run_id: int, state: str) -> None:
        self._x("UPDATE runs SET ended_at=?, state=? WHERE id=?", (now(), state, run_id))

    _RUN_COLS = ("id, task_hash, model_path, model_name, model_size, model_sha256, backend, settings, app_version,"
                 " started_at, ended_at, state")

    @staticmethod
    def _run(row: sqlite3.Row) -> RunRow:
        return RunRow(id=row["id"], task_hash=row["task_hash"], model_path=row["model_path"],
                      model_name=row["model_name"], model_size=row["model_size"], model_sha256=row["model_sha256"],
                      backend=row["backend"], settings=from_json(row["settings"]), app_version=row["app_version"],
                      started_at=row["started_at"], ended_at=row["ended_at"], state=row["state"])

    def run(self, run_id: int) -> RunRow:
        rows = self._q(f"SELECT {self._RUN_COLS} FROM runs WHERE id=?", (run_id,))
        if not rows:
            raise KeyError(run_id)
        return self._run(rows[0])

    def runs(self, task_hash: str | None = None) -> list[RunRow]:
        where, args = (" WHERE task_hash=?", [task_hash]) if task_hash else ("", [])
        return [self._run(r) for r in self._q(f"SELECT {self._RUN_COLS} FROM runs{where} ORDER BY id", args)]

    # ---- results ---------------------------------------------------------------------
    def save_result(self, run_id: int, task_hash: str, report_id: str, ex: Any) -> None:
        """Store one report's result (an Extraction, or anything with the same fields)."""
        self._x(
            'INSERT OR REPLACE INTO results(run_id, report_id, task_hash, status, reason, "values", raw_output, quotes,'
            " evidence, confidence, warnings, prompt_tokens, cached_tokens, output_tokens, timings, created_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, report_id, task_hash, ex.status, ex.reason, to_json(ex.values), ex.raw_output,
             to_json(ex.quotes), to_json(ex.evidence), to_json(ex.confidence), to_json(ex.warnings),
             ex.prompt_tokens, ex.cached_tokens, ex.output_tokens,
             to_json(ex.timings if isinstance(ex.timings, dict) else ex.timings.as_dict()), now()))

    _RESULT_COLS = ('run_id, report_id, task_hash, status, reason, "values", raw_output, quotes, evidence,'
                    " confidence, warnings, prompt_tokens, cached_tokens, output_tokens, timings, created_at")

    @staticmethod
    def _result(row: sqlite3.Row) -> ResultRow:
        def obj(name: str) -> dict:
            return from_json(row[name]) or {}

        return ResultRow(run_id=row["run_id"], report_id=row["report_id"], task_hash=row["task_hash"],
                         status=row["status"], reason=row["reason"], values=obj("values"),
                         raw_output=row["raw_output"], quotes=obj("quotes"), evidence=obj("evidence"),
                         confidence=obj("confidence"), warnings=obj("warnings"), prompt_tokens=row["prompt_tokens"],
                         cached_tokens=row["cached_tokens"], output_tokens=row["output_tokens"],
                         timings=obj("timings"), created_at=row["created_at"])

    def latest_results(self, task_hash: str) -> dict[str, ResultRow]:
        """The current result per report for a task: the newest one stored."""
        rows = self._q(
            f"SELECT {self._RESULT_COLS} FROM results WHERE rowid IN ("
            " SELECT MAX(rowid) FROM results WHERE task_hash=? GROUP BY report_id)", (task_hash,))
        return {row["report_id"]: self._result(row) for row in rows}

    def result(self, report_id: str, task_hash: str) -> ResultRow | None:
        rows = self._q(f"SELECT {self._RESULT_COLS} FROM results WHERE report_id=? AND task_hash=?"
                       " ORDER BY rowid DESC LIMIT 1", (report_id, task_hash))
        return self._result(rows[0]) if rows else None

    def run_results(self, run_id: int) -> dict[str, ResultRow]:
        rows = self._q(f"SELECT {self._RESULT_COLS} FROM results WHERE run_id=?", (run_id,))
        return {row["report_id"]: self._result(row) for row in rows}

    def result_history(self, report_id: str, task_hash: str) -> list[ResultRow]:
        """Every stored result of a report under a task, newest first."""
        rows = self._q(f"SELECT {self._RESULT_COLS} FROM results WHERE report_id=? AND task_hash=?"
                       " ORDER BY rowid DESC", (report_id, task_hash))
        return [self._result(r) for r in rows]

    def reports_to_run(self, task_hash: str, which: str = "not_run",
                       selection: Iterable[str] | None = None) -> list[str]:
        """Report ids to process: 'all', 'not_run', 'failed' or 'selection' (skipped files never)."""
        ready = [r["id"] for r in self._q("SELECT id FROM reports WHERE status='ready' ORDER BY seq")]
        if which == "all":
            return ready
        if which == "selection":
            wanted = set(selection or ())
            return [r for r in ready if r in wanted]
        latest = self.latest_results(task_hash)
        if which == "not_run":
            return [r for r in ready if r not in latest]
        if which == "failed":
            return [r for r in ready if r in latest and latest[r].status == ResultStatus.FAILED]
        raise ValueError(f"unknown selection {which!r}")
