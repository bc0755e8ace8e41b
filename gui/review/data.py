"""What the review shows, as plain Python: one :class:`Entry` per report.

:class:`ReviewData` reads a project's reports, current results, reviewer
values and review states for one task, and writes every reviewer action
straight to the project (which commits it with the OS user and time).
Qt item models and widgets listen through ``on_reset`` / ``on_changed``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.store.project import Project, ResultRow
from core.store.reviews import ReviewState, ReviewValue
from core.task import Field, Task
from gui.review.values import same

FILTERS = {
    "all": "All reports",
    "unreviewed": "Not yet reviewed",
    "failed": "Failed",
    "flagged": "Flagged",
    "corrected": "Corrected",
    "low_confidence": "Low confidence",
}


def _time(s: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(s) if s else None
    except ValueError:
        return None


@dataclass
class Entry:
    report_id: str
    report_status: str = "ready"          # ready | skipped (the file could not be read)
    skip_reason: str | None = None
    result: ResultRow | None = None
    reviews: dict[str, ReviewValue] = field(default_factory=dict)
    state: ReviewState | None = None

    @property
    def status(self) -> str:
        """not run | extracted | failed | skipped | reviewed | flagged."""
        if self.state is not None:
            return "reviewed" if self.state.state == "accepted" else "flagged"
        if self.report_status == "skipped":
            return "skipped"
        if self.result is None:
            return "not run"
        return {"ok": "extracted", "failed": "failed"}.get(self.result.status, "skipped")

    @property
    def failed(self) -> bool:
        return self.result is not None and self.result.status == "failed"

    @property
    def reviewable(self) -> bool:
        return self.report_status != "skipped"

    @property
    def unreviewed(self) -> bool:
        return self.state is None and self.result is not None and self.reviewable

    @property
    def corrected(self) -> bool:
        return bool(self.reviews)

    def model_value(self, key: str) -> Any:
        return self.result.values.get(key) if self.result is not None else None

    def value(self, key: str) -> Any:
        rv = self.reviews.get(key)
        return rv.value if rv is not None else self.model_value(key)

    def confidence(self, key: str) -> float | None:
        if self.result is None or self.result.status != "ok":
            return None
        return self.result.confidence.get(key)

    def min_confidence(self) -> float | None:
        if self.result is None:
            return None
        if self.result.status != "ok":
            return 0.0
        vals = [c for c in self.result.confidence.values() if c is not None]
        return min(vals) if vals else None

    def evidence(self, key: str) -> tuple[int, int] | None:
        if self.result is None:
            return None
        span = self.result.evidence.get(key)
        return (int(span[0]), int(span[1])) if span else None

    def warnings(self, key: str) -> list[str]:
        """Plausibility warnings of a field and of its parts (paths 'key.x', 'key[0].y')."""
        if self.result is None:
            return []
        out: list[str] = []
        for path, msgs in self.result.warnings.items():
            if path == key or path.startswith(key + ".") or path.startswith(key + "["):
                out.extend(msgs)
        return out

    @property
    def rerun_after_review(self) -> bool:
        """The model was run again after the report was accepted or flagged."""
        if self.state is None or self.result is None:
            return False
        a, b = _time(self.result.created_at), _time(self.state.at)
        return bool(a and b and a > b)


class ReviewData:
    """Entries for every report of a project under one task."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.task: Task | None = None
        self.task_hash: str = ""
        self.ids: list[str] = []
        self.entries: dict[str, Entry] = {}
        self.on_about_to_reset: list[Callable[[], None]] = []
        self.on_reset: list[Callable[[], None]] = []
        self.on_changed: list[Callable[[str], None]] = []
        self._reviewed_cache: dict[tuple, dict[str, Any] | None] = {}

    # ---- loading ------------------------------------------------------------
    @property
    def fields(self) -> list[Field]:
        return list(self.task.fields) if self.task is not None else []

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def load(self, project: Project | None, task: Task | None) -> None:
        for fn in self.on_about_to_reset:
            fn()
        self.project, self.task = project, task
        self.task_hash = task.hash() if task is not None else ""
        self.ids, self.entries = [], {}
        self._reviewed_cache = {}
        if project is not None:
            rows = project.reports_page(0, 1 << 30)
            results = project.latest_results(self.task_hash) if task else {}
            reviews = project.all_review_values(self.task_hash) if task else {}
            states = project.all_review_states(self.task_hash) if task else {}
            for r in rows:
                self.ids.append(r.id)
                self.entries[r.id] = Entry(r.id, r.status, r.reason, results.get(r.id), reviews.get(r.id, {}),
                                           states.get(r.id))
        for fn in self.on_reset:
            fn()

    def reload(self) -> None:
        self.load(self.project, self.task)

    def refresh(self, report_id: str) -> None:
        """Re-read one report (after a new result or a review action)."""
        if self.project is None:
            return
        if report_id not in self.entries:
            self.reload()
            return
        e = self.entries[report_id]
        if self.task is not None:
            e.result = self.project.result(report_id, self.task_hash)
            e.reviews = self.project.review_values(report_id, self.task_hash)
            e.state = self.project.review_state(report_id, self.task_hash)
        for fn in self.on_changed:
            fn(report_id)

    def entry(self, report_id: str) -> Entry:
        return self.entries[report_id]

    def report_text(self, report_id: str) -> str:
        return self.project.report(report_id).text if self.project is not None else ""

    # ---- reviewer actions (each one committed at once) ----------------------
    def _ready(self) -> bool:
        return self.project is not None and self.task is not None

    def set_value(self, report_id: str, key: str, value: Any) -> None:
        if not self._ready():
            return
        e = self.entries[report_id]
        model_value = e.model_value(key)
        if key not in e.reviews and same(self.field(key), value, model_value):
            return  # unchanged from the model: nothing to store
        if key in e.reviews and same(self.field(key), value, e.reviews[key].value):
            return
        self.project.set_review_value(report_id, self.task_hash, key, value, model_value)
        self.refresh(report_id)

    def revert(self, report_id: str, key: str) -> None:
        if self._ready() and key in self.entries[report_id].reviews:
            self.project.revert_review_value(report_id, self.task_hash, key)
            self.refresh(report_id)

    def reset(self, report_id: str) -> None:
        """Back to the model's values; an acceptance no longer holds (a flag stays)."""
        if not self._ready():
            return
        e = self.entries[report_id]
        for key in list(e.reviews):
            self.project.revert_review_value(report_id, self.task_hash, key)
        if e.state is not None and e.state.state == "accepted":
            self.project.clear_review_state(report_id, self.task_hash)
        self.refresh(report_id)

    def accept(self, report_id: str) -> None:
        if self._ready():
            self.project.set_review_state(report_id, self.task_hash, "accepted")
            self.refresh(report_id)

    def flag(self, report_id: str, comment: str) -> None:
        if self._ready():
            self.project.set_review_state(report_id, self.task_hash, "flagged", comment or None)
            self.refresh(report_id)

    def reopen(self, report_id: str) -> None:
        if self._ready() and self.entries[report_id].state is not None:
            self.project.clear_review_state(report_id, self.task_hash)
            self.refresh(report_id)

    def model_values_when_reviewed(self, report_id: str) -> dict[str, Any] | None:
        """The model's values that were current when the report was accepted or flagged."""
        e = self.entries.get(report_id)
        if not self._ready() or e is None or e.state is None:
            return None
        key = (report_id, self.task_hash, e.state.at, e.result.created_at if e.result else "")
        if key not in self._reviewed_cache:
            self._reviewed_cache[key] = self._values_at(report_id, _time(e.state.at))
        return self._reviewed_cache[key]

    def _values_at(self, report_id: str, at: dt.datetime | None) -> dict[str, Any] | None:
        history = getattr(self.project, "result_history", None)  # (newest first) where the store has it
        if history is not None:
            rows = history(report_id, self.task_hash)
        else:
            rows = [r for run in reversed(self.project.runs(self.task_hash))
                    if (r := self.project.run_results(run.id).get(report_id)) is not None]
        best: ResultRow | None = None
        for r in rows:
            t = _time(r.created_at)
            if t is not None and at is not None and t <= at and (best is None or t > _time(best.created_at)):
                best = r
        return dict(best.values) if best is not None else None


def matches(e: Entry, kind: str, threshold: float, field_key: str = "", text: str = "",
            data: ReviewData | None = None) -> bool:
    """Does an entry pass the review filters?"""
    if kind == "unreviewed" and not e.unreviewed:
        return False
    if kind == "failed" and not e.failed:
        return False
    if kind == "flagged" and e.status != "flagged":
        return False
    if kind == "corrected" and not e.corrected:
        return False
    if kind == "low_confidence":
        c = e.min_confidence()
        if c is None or c >= threshold:
            return False
    text = text.strip().casefold()
    if text:
        from gui.review.values import display

        fields = data.fields if data is not None else []
        chosen = [f for f in fields if not field_key or f.key == field_key]
        if not any(text in display(f, e.value(f.key)).casefold() for f in chosen):
            return False
    return True
