"""Reviews: the reviewer's values, report states and the audit trail.

A reviewer value is stored per report, task and top-level field key,
beside the model value it replaced.  Re-running a task never touches
these rows, so reviewer values are never overwritten; the review shows
where a new model value differs from the accepted one.  Every change is
also appended to ``review_events`` (who, when, old and new value).
"""
from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from typing import Any

_MISSING = object()


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
    state: str          # accepted | flagged
    comment: str | None
    reviewer: str
    at: str
    accepted_values: dict | None = None  # the values as accepted (model's + reviewer's)


def _state(row) -> ReviewState:
    state, comment, reviewer, at, accepted = row
    return ReviewState(state, comment, reviewer, at, json.loads(accepted) if accepted else None)


def effective(result, reviews: dict[str, "ReviewValue"], state: "ReviewState | None") -> dict[str, Any] | None:
    """Effective values from a result, reviewer values and the review state."""
    if state is not None and state.state == "accepted" and state.accepted_values is not None:
        values = dict(state.accepted_values)
    elif result is not None:
        values = dict(result.values)
    elif reviews:
        values = {}
    else:
        return None
    for key, rv in reviews.items():
        values[key] = rv.value
    return values


class ReviewsMixin:
    """Mixed into :class:`core.store.project.Project` (needs _q, _x, _lock)."""

    def _event(self, report_id: str, task_hash: str, field_key: str | None, action: str,
               old: Any, new: Any, reviewer: str, at: str) -> None:
        self._x("INSERT INTO review_events(report_id, task_hash, field_key, action, old_value, new_value,"
                " reviewer, at) VALUES(?,?,?,?,?,?,?,?)",
                (report_id, task_hash, field_key, action, json.dumps(old, ensure_ascii=False),
                 json.dumps(new, ensure_ascii=False), reviewer, at))

    def set_review_value(self, report_id: str, task_hash: str, field_key: str, value: Any,
                         model_value: Any, reviewer: str | None = None) -> None:
        from core.store.project import now

        reviewer = reviewer or current_reviewer()
        at = now()
        with self._lock:
            old = self.review_values(report_id, task_hash).get(field_key)
            self._x("INSERT INTO reviews(report_id, task_hash, field_key, value, model_value, reviewer, reviewed_at)"
                    " VALUES(?,?,?,?,?,?,?) ON CONFLICT(report_id, task_hash, field_key) DO UPDATE SET"
                    " value=excluded.value, model_value=excluded.model_value, reviewer=excluded.reviewer,"
                    " reviewed_at=excluded.reviewed_at",
                    (report_id, task_hash, field_key, json.dumps(value, ensure_ascii=False),
                     json.dumps(model_value, ensure_ascii=False), reviewer, at))
            self._event(report_id, task_hash, field_key, "edit",
                        old.value if old else model_value, value, reviewer, at)

    def revert_review_value(self, report_id: str, task_hash: str, field_key: str,
                            reviewer: str | None = None) -> None:
        from core.store.project import now

        reviewer = reviewer or current_reviewer()
        with self._lock:
            old = self.review_values(report_id, task_hash).get(field_key)
            if old is None:
                return
            self._x("DELETE FROM reviews WHERE report_id=? AND task_hash=? AND field_key=?",
                    (report_id, task_hash, field_key))
            state = self.review_state(report_id, task_hash)
            if state is not None and state.accepted_values is not None:  # reverting means: the model's answer
                res = self.result(report_id, task_hash)
                state.accepted_values[field_key] = res.values.get(field_key) if res is not None else None
                self._x("UPDATE review_states SET accepted_values=? WHERE report_id=? AND task_hash=?",
                        (json.dumps(state.accepted_values, ensure_ascii=False), report_id, task_hash))
            self._event(report_id, task_hash, field_key, "revert", old.value, old.model_value, reviewer, now())

    def review_values(self, report_id: str, task_hash: str) -> dict[str, ReviewValue]:
        rows = self._q("SELECT field_key, value, model_value, reviewer, reviewed_at FROM reviews"
                       " WHERE report_id=? AND task_hash=?", (report_id, task_hash))
        return {r[0]: ReviewValue(r[0], json.loads(r[1]), json.loads(r[2]), r[3], r[4]) for r in rows}

    def all_review_values(self, task_hash: str) -> dict[str, dict[str, ReviewValue]]:
        out: dict[str, dict[str, ReviewValue]] = {}
        for r in self._q("SELECT report_id, field_key, value, model_value, reviewer, reviewed_at FROM reviews"
                         " WHERE task_hash=?", (task_hash,)):
            out.setdefault(r[0], {})[r[1]] = ReviewValue(r[1], json.loads(r[2]), json.loads(r[3]), r[4], r[5])
        return out

    def set_review_state(self, report_id: str, task_hash: str, state: str, comment: str | None = None,
                         reviewer: str | None = None) -> None:
        from core.store.project import now

        reviewer = reviewer or current_reviewer()
        at = now()
        with self._lock:
            snapshot = None
            if state == "accepted":
                self._x("DELETE FROM review_states WHERE report_id=? AND task_hash=?", (report_id, task_hash))
                values = self.effective_values(report_id, task_hash)
                snapshot = json.dumps(values, ensure_ascii=False) if values is not None else None
            self._x("INSERT INTO review_states(report_id, task_hash, state, comment, reviewer, at, accepted_values)"
                    " VALUES(?,?,?,?,?,?,?)"
                    " ON CONFLICT(report_id, task_hash) DO UPDATE SET state=excluded.state,"
                    " comment=excluded.comment, reviewer=excluded.reviewer, at=excluded.at,"
                    " accepted_values=excluded.accepted_values",
                    (report_id, task_hash, state, comment, reviewer, at, snapshot))
            self._event(report_id, task_hash, None, state, None, comment, reviewer, at)

    def clear_review_state(self, report_id: str, task_hash: str, reviewer: str | None = None) -> None:
        from core.store.project import now

        with self._lock:
            self._x("DELETE FROM review_states WHERE report_id=? AND task_hash=?", (report_id, task_hash))
            self._event(report_id, task_hash, None, "reopen", None, None, reviewer or current_reviewer(), now())

    def review_state(self, report_id: str, task_hash: str) -> ReviewState | None:
        rows = self._q("SELECT state, comment, reviewer, at, accepted_values FROM review_states"
                       " WHERE report_id=? AND task_hash=?", (report_id, task_hash))
        return _state(rows[0]) if rows else None

    def all_review_states(self, task_hash: str) -> dict[str, ReviewState]:
        return {r[0]: _state(r[1:]) for r in self._q(
            "SELECT report_id, state, comment, reviewer, at, accepted_values FROM review_states WHERE task_hash=?",
            (task_hash,))}

    def review_events(self, task_hash: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT report_id, task_hash, field_key, action, old_value, new_value, reviewer, at FROM review_events"
        rows = self._q(sql + (" WHERE task_hash=?" if task_hash else "") + " ORDER BY id",
                       (task_hash,) if task_hash else ())
        keys = ("report_id", "task_hash", "field_key", "action", "old_value", "new_value", "reviewer", "at")
        return [dict(zip(keys, r[:4] + (json.loads(r[4]), json.loads(r[5])) + r[6:])) for r in rows]

    def effective_values(self, report_id: str, task_hash: str) -> dict[str, Any] | None:
        """The reviewer's value where one exists, else the model's; None when never run.

        For an accepted report the model's part is what was accepted: a later run
        never changes an accepted report's values (the review shows the difference).
        """
        return effective(self.result(report_id, task_hash), self.review_values(report_id, task_hash),
                         self.review_state(report_id, task_hash))

    def report_statuses(self, task_hash: str | None) -> dict[str, str]:
        """Status per report for the browser: not run, extracted, failed, skipped, reviewed, flagged."""
        out = {}
        for rid, status in self._q("SELECT id, status FROM reports"):
            out[rid] = "skipped" if status == "skipped" else "not run"
        if not task_hash:
            return out
        for rid, res in self.latest_results(task_hash).items():
            if out.get(rid) != "skipped":
                out[rid] = {"ok": "extracted", "failed": "failed", "skipped": "skipped"}[res.status]
        for rid, st in self.all_review_states(task_hash).items():
            out[rid] = "reviewed" if st.state == "accepted" else "flagged"
        return out
