"""One project's reports under one task, for a review (pure Python, no Qt).

:class:`ReviewData` holds a :class:`~core.review.state.ReportState` per
report, writes every reviewer action straight to the project through
:mod:`core.review.actions` (which commits it with the OS user and time) and
tells its listeners: ``on_about_to_reset`` / ``on_reset`` around a reload,
``on_changed(report id)`` after one report changed.  The Qt models of the
review listen there.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from core.review import actions
from core.review.state import ReportState, load_state, load_states, model_values_at
from core.review.status import ReportStatus
from core.review.values import display
from core.store.project import Project
from core.task import Field, Task


class ReviewFilter(StrEnum):
    ALL = "all"
    UNREVIEWED = "unreviewed"
    FAILED = "failed"
    FLAGGED = "flagged"
    CORRECTED = "corrected"
    LOW_CONFIDENCE = "low_confidence"

    @property
    def label(self) -> str:
        return _FILTER_LABELS[self]


_FILTER_LABELS = {
    ReviewFilter.ALL: "All reports",
    ReviewFilter.UNREVIEWED: "Not yet reviewed",
    ReviewFilter.FAILED: "Failed",
    ReviewFilter.FLAGGED: "Flagged",
    ReviewFilter.CORRECTED: "Corrected",
    ReviewFilter.LOW_CONFIDENCE: "Low confidence",
}


class ReviewData:
    """The state of every report of a project under one task."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.task: Task | None = None
        self.task_hash: str = ""
        self.ids: list[str] = []
        self.entries: dict[str, ReportState] = {}
        self.on_about_to_reset: list[Callable[[], None]] = []
        self.on_reset: list[Callable[[], None]] = []
        self.on_changed: list[Callable[[str], None]] = []
        self._reviewed_cache: dict[tuple[str, str, str, str], dict[str, Any] | None] = {}

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
        self.entries = load_states(project, self.task_hash) if project is not None else {}
        self.ids = list(self.entries)
        self._reviewed_cache = {}
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
        self.entries[report_id] = load_state(self.project, report_id, self.task_hash)
        for fn in self.on_changed:
            fn(report_id)

    def entry(self, report_id: str) -> ReportState:
        return self.entries[report_id]

    def report_text(self, report_id: str) -> str:
        return self.project.report(report_id).text if self.project is not None else ""

    # ---- reviewer actions (each one committed at once) ----------------------
    def _act(self, report_id: str, action: Callable[[Project, str, str], Any]) -> None:
        if self.project is not None and self.task is not None:
            action(self.project, report_id, self.task_hash)
            self.refresh(report_id)

    def set_value(self, report_id: str, key: str, value: Any) -> None:
        f = self.field(key) if self.task is not None else None
        if f is not None:
            self._act(report_id, lambda p, r, h: actions.set_value(p, r, h, f, value))

    def revert(self, report_id: str, key: str) -> None:
        self._act(report_id, lambda p, r, h: actions.revert(p, r, h, key))

    def use_model_value(self, report_id: str, key: str) -> None:
        self._act(report_id, lambda p, r, h: actions.use_model_value(p, r, h, key))

    def reset(self, report_id: str) -> None:
        self._act(report_id, actions.reset)

    def accept(self, report_id: str) -> None:
        self._act(report_id, actions.accept)

    def flag(self, report_id: str, comment: str) -> None:
        self._act(report_id, lambda p, r, h: actions.flag(p, r, h, comment))

    def reopen(self, report_id: str) -> None:
        self._act(report_id, actions.reopen)

    def model_values_when_reviewed(self, report_id: str) -> dict[str, Any] | None:
        """The model's values that were newest when the report was accepted or flagged."""
        e = self.entries.get(report_id)
        if self.project is None or e is None or e.state is None:
            return None
        key = (report_id, self.task_hash, e.state.at, e.result.created_at if e.result else "")
        if key not in self._reviewed_cache:
            self._reviewed_cache[key] = model_values_at(self.project, report_id, self.task_hash, e.state.at)
        return self._reviewed_cache[key]


def matches(e: ReportState, kind: ReviewFilter | str, threshold: float, fields: Sequence[Field] = (),
            field_key: str = "", text: str = "") -> bool:
    """Does a report pass the review filters (a kind, a confidence threshold, a text in a field)?"""
    kind = ReviewFilter(kind)
    if kind is ReviewFilter.UNREVIEWED and not e.unreviewed:
        return False
    if kind is ReviewFilter.FAILED and not e.failed:
        return False
    if kind is ReviewFilter.FLAGGED and e.status is not ReportStatus.FLAGGED:
        return False
    if kind is ReviewFilter.CORRECTED and not e.corrected:
        return False
    if kind is ReviewFilter.LOW_CONFIDENCE:
        c = e.min_confidence()
        if c is None or c >= threshold:
            return False
    text = text.strip().casefold()
    if text:
        chosen = [f for f in fields if not field_key or f.key == field_key]
        if not any(text in display(f, e.value(f.key)).casefold() for f in chosen):
            return False
    return True
