"""Reviews as stored: the reviewer's values, report decisions and the audit trail.

A reviewer value is stored per report, task and top-level field key,
beside the model value it replaced.  Re-running a task never touches
these rows, so reviewer values are never overwritten.  An accepted report
keeps a snapshot of the values as accepted (``accepted_values``).  Every
change is also appended to ``review_events`` (who, when, old and new value,
and, for changes made inside ``Project.transaction(source=...)``, where they
came from: the spreadsheet a review was imported from).

This module only stores and reads; what a report's values and status are
*now* is decided in one place, :mod:`core.review`, which also computes the
snapshot an acceptance stores.
"""
from __future__ import annotations

import getpass
import json
import sqlite3
import threading
from contextlib import AbstractContextManager
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.store.rows import Decision, now

NO_CHANGE: Any = object()  # revert_review_value: leave the accepted snapshot as it is


def current_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "unknown"


@dataclass
class ReviewValue:
    field_key: str
    value: Any
    model_value: Any
    reviewer: str
    reviewed_at: str


@dataclass
class ReviewState:
    state: Decision
    comment: str | None
    reviewer: str
    at: str
    accepted_values: dict | None = None  # the values as accepted (model's + reviewer's); None for a flag


def _state(row: sqlite3.Row) -> ReviewState:
    accepted = row["accepted_values"]
    return ReviewState(Decision(row["state"]), row["comment"], row["reviewer"], row["at"],
                       json.loads(accepted) if accepted else None)


def _value(row: sqlite3.Row) -> ReviewValue:
    return ReviewValue(row["field_key"], json.loads(row["value"]), json.loads(row["model_value"]),
                       row["reviewer"], row["reviewed_at"])


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


class ReviewsMixin:
    """Mixed into :class:`core.store.project.Project` (which provides these)."""

    lock: threading.RLock
    _q: Callable[..., list[sqlite3.Row]]
    _x: Callable[..., sqlite3.Cursor]
    transaction: Callable[..., AbstractContextManager[None]]
    _event_source: str | None = None   # set by Project.transaction(source=...) while it runs

    def _event(self, report_id: str, task_hash: str, field_key: str | None, action: str,
               old: Any, new: Any, reviewer: str, at: str) -> None:
        self._x("INSERT INTO review_events(report_id, task_hash, field_key, action, old_value, new_value,"
                " reviewer, at, source) VALUES(?,?,?,?,?,?,?,?,?)",
                (report_id, task_hash, field_key, action, _dump(old), _dump(new), reviewer, at,
                 self._event_source))

    # ---- reviewer values ------------------------------------------------------------
    def set_review_value(self, report_id: str, task_hash: str, field_key: str, value: Any,
                         model_value: Any, reviewer: str | None = None) -> None:
        reviewer = reviewer or current_reviewer()
        at = now()
        with self.transaction():  # the change and its audit event: both or neither
            old = self.review_values(report_id, task_hash).get(field_key)
            self._x("INSERT INTO reviews(report_id, task_hash, field_key, value, model_value, reviewer, reviewed_at)"
                    " VALUES(?,?,?,?,?,?,?) ON CONFLICT(report_id, task_hash, field_key) DO UPDATE SET"
                    " value=excluded.value, model_value=excluded.model_value, reviewer=excluded.reviewer,"
                    " reviewed_at=excluded.reviewed_at",
                    (report_id, task_hash, field_key, _dump(value), _dump(model_value), reviewer, at))
            self._event(report_id, task_hash, field_key, "edit",
                        old.value if old else model_value, value, reviewer, at)

    def revert_review_value(self, report_id: str, task_hash: str, field_key: str, reviewer: str | None = None,
                            *, accepted_value: Any = NO_CHANGE) -> None:
        """Drop the reviewer's value; with *accepted_value*, also put it in the accepted snapshot."""
        reviewer = reviewer or current_reviewer()
        with self.transaction():
            old = self.review_values(report_id, task_hash).get(field_key)
            if old is None:
                return
            self._x("DELETE FROM reviews WHERE report_id=? AND task_hash=? AND field_key=?",
                    (report_id, task_hash, field_key))
            if accepted_value is not NO_CHANGE:
                self._set_snapshot_value(report_id, task_hash, field_key, accepted_value)
            self._event(report_id, task_hash, field_key, "revert", old.value, old.model_value, reviewer, now())

    def set_accepted_value(self, report_id: str, task_hash: str, field_key: str, value: Any,
                           reviewer: str | None = None) -> None:
        """Change one value of an accepted report's snapshot (the reviewer took the model's new value)."""
        with self.transaction():
            state = self.review_state(report_id, task_hash)
            if state is None or state.accepted_values is None:
                raise ValueError(f"{report_id} is not accepted: there are no accepted values to change")
            old = state.accepted_values.get(field_key)
            self._set_snapshot_value(report_id, task_hash, field_key, value)
            self._event(report_id, task_hash, field_key, "take", old, value, reviewer or current_reviewer(), now())

    def _set_snapshot_value(self, report_id: str, task_hash: str, field_key: str, value: Any) -> None:
        state = self.review_state(report_id, task_hash)
        if state is None or state.accepted_values is None:
            return
        state.accepted_values[field_key] = value
        self._x("UPDATE review_states SET accepted_values=? WHERE report_id=? AND task_hash=?",
                (_dump(state.accepted_values), report_id, task_hash))

    def review_values(self, report_id: str, task_hash: str) -> dict[str, ReviewValue]:
        rows = self._q("SELECT field_key, value, model_value, reviewer, reviewed_at FROM reviews"
                       " WHERE report_id=? AND task_hash=?", (report_id, task_hash))
        return {r["field_key"]: _value(r) for r in rows}

    def all_review_values(self, task_hash: str) -> dict[str, dict[str, ReviewValue]]:
        out: dict[str, dict[str, ReviewValue]] = {}
        for r in self._q("SELECT report_id, field_key, value, model_value, reviewer, reviewed_at FROM reviews"
                         " WHERE task_hash=?", (task_hash,)):
            out.setdefault(r["report_id"], {})[r["field_key"]] = _value(r)
        return out

    # ---- decisions ------------------------------------------------------------------
    def set_review_state(self, report_id: str, task_hash: str, state: Decision | str, comment: str | None = None,
                         reviewer: str | None = None, *, accepted_values: dict[str, Any] | None = None) -> None:
        """Store a decision.  An acceptance must carry the values accepted (see :func:`core.review.accept`)."""
        state = Decision(state)
        if state is Decision.ACCEPTED and accepted_values is None:
            raise ValueError("an acceptance stores the values accepted; use core.review.accept")
        if state is Decision.FLAGGED and accepted_values is not None:
            raise ValueError("a flag keeps no accepted values")
        reviewer = reviewer or current_reviewer()
        at = now()
        snapshot = _dump(accepted_values) if accepted_values is not None else None
        with self.transaction():
            self._x("INSERT INTO review_states(report_id, task_hash, state, comment, reviewer, at, accepted_values)"
                    " VALUES(?,?,?,?,?,?,?)"
                    " ON CONFLICT(report_id, task_hash) DO UPDATE SET state=excluded.state,"
                    " comment=excluded.comment, reviewer=excluded.reviewer, at=excluded.at,"
                    " accepted_values=excluded.accepted_values",
                    (report_id, task_hash, state.value, comment, reviewer, at, snapshot))
            self._event(report_id, task_hash, None, state.value, None, comment, reviewer, at)

    def clear_review_state(self, report_id: str, task_hash: str, reviewer: str | None = None) -> None:
        with self.transaction():
            self._x("DELETE FROM review_states WHERE report_id=? AND task_hash=?", (report_id, task_hash))
            self._event(report_id, task_hash, None, "reopen", None, None, reviewer or current_reviewer(), now())

    def review_state(self, report_id: str, task_hash: str) -> ReviewState | None:
        rows = self._q("SELECT state, comment, reviewer, at, accepted_values FROM review_states"
                       " WHERE report_id=? AND task_hash=?", (report_id, task_hash))
        return _state(rows[0]) if rows else None

    def all_review_states(self, task_hash: str) -> dict[str, ReviewState]:
        return {r["report_id"]: _state(r) for r in self._q(
            "SELECT report_id, state, comment, reviewer, at, accepted_values FROM review_states WHERE task_hash=?",
            (task_hash,))}

    def review_events(self, task_hash: str | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT report_id, task_hash, field_key, action, old_value, new_value, reviewer, at, source"
               " FROM review_events")
        rows = self._q(sql + (" WHERE task_hash=?" if task_hash else "") + " ORDER BY id",
                       (task_hash,) if task_hash else ())
        return [{**dict(r), "old_value": json.loads(r["old_value"]), "new_value": json.loads(r["new_value"])}
                for r in rows]
