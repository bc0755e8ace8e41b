"""What a report's values and status are now: the one place these rules live.

A :class:`ReportState` holds what the project file knows about one report
under one task (the file's status, the newest result, the reviewer's values,
the reviewer's decision) and answers:

* **values**: the reviewer's value where one exists; otherwise, for an
  accepted report, the value as accepted (a later run never changes an
  accepted report; the review shows where the model now says something
  else); otherwise the model's newest value.
* **status**: a :class:`~core.review.status.ReportStatus` for the browser
  and the review, and a :class:`~core.review.status.RunStatus` for the export.

The review, the report browser, the export, the evaluation dialog and
``abstractor evaluate`` all read reports through :func:`load_states` or
:func:`load_state`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.reports.model import READY, SKIPPED
from core.evidence import value_quote_mismatch
from core.review.status import Decision, ReportStatus, ResultStatus, ReviewStatus, RunStatus
from core.store.project import Project, ResultRow
from core.store.reviews import ReviewState, ReviewValue
from core.task import Field


def parse_time(stamp: str | None) -> dt.datetime | None:
    """A stored time stamp as a datetime; None when missing or unreadable."""
    try:
        return dt.datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


@dataclass
class ReportState:
    report_id: str
    task_hash: str = ""
    report_status: str = READY            # ready | skipped (the file could not be read)
    skip_reason: str | None = None
    result: ResultRow | None = None       # the newest result under the task
    reviews: dict[str, ReviewValue] = field(default_factory=dict)
    state: ReviewState | None = None      # the reviewer's decision
    source: str = ""                      # the file the report came from

    # ---- status ---------------------------------------------------------------------
    @property
    def status(self) -> ReportStatus:
        if self.state is not None:
            return ReportStatus.REVIEWED if self.state.state is Decision.ACCEPTED else ReportStatus.FLAGGED
        if self.report_status == SKIPPED:
            return ReportStatus.SKIPPED
        if self.result is None:
            return ReportStatus.NOT_RUN
        return {ResultStatus.OK: ReportStatus.EXTRACTED,
                ResultStatus.FAILED: ReportStatus.FAILED}.get(ResultStatus(self.result.status), ReportStatus.SKIPPED)

    @property
    def run_status(self) -> RunStatus:
        """How the model's reading went (the export's Status column)."""
        if self.report_status == SKIPPED:
            return RunStatus.SKIPPED
        if self.result is None:
            return RunStatus.NOT_RUN
        return RunStatus(self.result.status)

    @property
    def reason(self) -> str | None:
        """Why the file was skipped, or why the model's answer could not be used."""
        if self.report_status == SKIPPED:
            return self.skip_reason
        return self.result.reason if self.result is not None else None

    @property
    def review_status(self) -> ReviewStatus:
        """The decision in the export's words: accepted with a reviewer value is 'corrected'."""
        if self.flagged:
            return ReviewStatus.FLAGGED
        if self.accepted:
            return ReviewStatus.CORRECTED if self.reviews else ReviewStatus.ACCEPTED
        return ReviewStatus.NOT_REVIEWED

    @property
    def comment(self) -> str | None:
        """The reviewer's comment on the decision (a flag's reason)."""
        return self.state.comment if self.state is not None else None

    @property
    def accepted(self) -> bool:
        return self.state is not None and self.state.state is Decision.ACCEPTED

    @property
    def flagged(self) -> bool:
        return self.state is not None and self.state.state is Decision.FLAGGED

    @property
    def failed(self) -> bool:
        return self.result is not None and self.result.status == ResultStatus.FAILED

    @property
    def has_values(self) -> bool:
        """The model produced usable values."""
        return self.result is not None and self.result.status == ResultStatus.OK

    @property
    def reviewable(self) -> bool:
        return self.report_status != SKIPPED

    @property
    def unreviewed(self) -> bool:
        return self.state is None and self.result is not None and self.reviewable

    @property
    def corrected(self) -> bool:
        return bool(self.reviews)

    @property
    def rerun_after_review(self) -> bool:
        """The model was run again after the report was accepted or flagged."""
        if self.state is None or self.result is None:
            return False
        a, b = parse_time(self.result.created_at), parse_time(self.state.at)
        return bool(a and b and a > b)

    # ---- values ---------------------------------------------------------------------
    @property
    def accepted_values(self) -> dict[str, Any] | None:
        """The values as accepted; None unless accepted (or accepted before snapshots were kept)."""
        return self.state.accepted_values if self.accepted and self.state is not None else None

    def model_value(self, key: str) -> Any:
        """The model's newest value."""
        return self.result.values.get(key) if self.result is not None else None

    def value(self, key: str) -> Any:
        """The value now: the reviewer's, else the accepted one, else the model's newest."""
        rv = self.reviews.get(key)
        if rv is not None:
            return rv.value
        accepted = self.accepted_values
        if accepted is not None:
            return accepted.get(key)
        return self.model_value(key)

    @property
    def values(self) -> dict[str, Any] | None:
        """Every top-level field's value now (see :meth:`value`); None when never run nor reviewed."""
        accepted = self.accepted_values
        if accepted is not None:
            out = dict(accepted)
        elif self.result is not None:
            out = dict(self.result.values)
        elif self.reviews:
            out = {}
        else:
            return None
        out.update({key: rv.value for key, rv in self.reviews.items()})
        return out

    @property
    def confidences(self) -> dict[str, float]:
        return dict(self.result.confidence) if self.result is not None else {}

    def confidence(self, key: str) -> float | None:
        return self.result.confidence.get(key) if self.has_values and self.result is not None else None

    def min_confidence(self) -> float | None:
        """The lowest confidence over the fields; 0 for a failed answer, None when not run."""
        if self.result is None:
            return None
        if not self.has_values:
            return 0.0
        vals = [c for c in self.result.confidence.values() if c is not None]
        return min(vals) if vals else None

    def evidence(self, key: str) -> tuple[int, int] | None:
        if self.result is None:
            return None
        span = self.result.evidence.get(key)
        return (int(span[0]), int(span[1])) if span else None

    def warnings(self, key: str) -> list[str]:
        """Plausibility warnings of a field and of its parts (paths 'key.x', 'key[0].y'); '' for the report's."""
        if self.result is None:
            return []
        out: list[str] = []
        for path, msgs in self.result.warnings.items():
            if path == key or (key and (path.startswith(key + ".") or path.startswith(key + "["))):
                out.extend(msgs)
        return out

    def evidence_mismatch(self, field: Field) -> str | None:
        """'The evidence does not show this value': the value now against the model's own quote
        (:func:`core.evidence.value_quote_mismatch`); None for a reviewer's value, which the
        reviewer vouches for."""
        if field.key in self.reviews or not self.has_values or self.result is None:
            return None
        return value_quote_mismatch(field, self.value(field.key), self.result.quotes.get(field.key))

    # ---- who and when ---------------------------------------------------------------
    @property
    def last_reviewer(self) -> tuple[str | None, str | None]:
        """(who, when) of the decision, else of the newest reviewer value; (None, None) if never reviewed."""
        if self.state is not None:
            return self.state.reviewer, self.state.at
        last = max(self.reviews.values(), key=lambda rv: rv.reviewed_at, default=None)
        return (last.reviewer, last.reviewed_at) if last is not None else (None, None)


# ---- reading the project ----------------------------------------------------------------

def load_states(project: Project, task_hash: str | None) -> dict[str, ReportState]:
    """Every report of the project in folder order; without a task only the files' statuses."""
    h = task_hash or ""
    results = project.latest_results(h) if h else {}
    reviews = project.all_review_values(h) if h else {}
    states = project.all_review_states(h) if h else {}
    return {r.id: ReportState(r.id, h, r.status, r.reason, results.get(r.id), reviews.get(r.id, {}),
                              states.get(r.id), r.source)
            for r in project.reports_page(0, max(project.report_count(), 1))}


def load_state(project: Project, report_id: str, task_hash: str | None) -> ReportState:
    """One report (raises KeyError for an unknown id)."""
    h = task_hash or ""
    with project.lock:
        r = project.report(report_id)
        if not h:
            return ReportState(r.id, h, r.status, r.reason, source=r.source)
        return ReportState(r.id, h, r.status, r.reason, project.result(report_id, h),
                           project.review_values(report_id, h), project.review_state(report_id, h), r.source)


def report_statuses(project: Project, task_hash: str | None) -> dict[str, ReportStatus]:
    """The status of every report, in folder order."""
    return {rid: st.status for rid, st in load_states(project, task_hash).items()}


def model_values_at(project: Project, report_id: str, task_hash: str, at: str | None) -> dict[str, Any] | None:
    """The model's values that were newest at time stamp *at* (None when there were none)."""
    when = parse_time(at)
    if when is None:
        return None
    for row in project.result_history(report_id, task_hash):   # newest first
        t = parse_time(row.created_at)
        if t is not None and t <= when:
            return dict(row.values)
    return None
