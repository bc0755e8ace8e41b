"""What a reviewer does to a report, as functions over a project.

Each function reads the report's state afresh under the project's lock
(a run may be storing results meanwhile), applies the review rules and
stores the outcome at once, with the reviewer's name and the time.

* :func:`set_value`: a value equal to the one the report has now stores
  nothing; on an accepted report, taking the model's newest value updates
  the accepted values (that is not a correction); anything else is the
  reviewer's value.
* :func:`revert`: drops the reviewer's value; on an accepted report the
  model's newest value takes its place among the accepted values.
* :func:`accept`: stores the values exactly as they are now (what the
  review shows), so accepting again after a re-run keeps them.
* :func:`use_model_value`: an accepted report takes the model's newest
  value for one field.
* :func:`reset`: back to the model's newest values; an acceptance no
  longer holds (a flag stays).
"""
from __future__ import annotations

from typing import Any

from core.review.state import ReportState, load_state
from core.review.values import same
from core.store.project import Project
from core.store.reviews import NO_CHANGE
from core.store.rows import Decision
from core.task import Field


def set_value(project: Project, report_id: str, task_hash: str, field: Field, value: Any,
              reviewer: str | None = None) -> bool:
    """Store a value the reviewer entered; False when it changes nothing."""
    with project.lock:
        st = load_state(project, report_id, task_hash)
        key = field.key
        if same(field, value, st.value(key)):
            return False
        model_value = st.model_value(key)
        if key not in st.reviews and st.accepted_values is not None and same(field, value, model_value):
            project.set_accepted_value(report_id, task_hash, key, model_value, reviewer)
        else:
            project.set_review_value(report_id, task_hash, key, value, model_value, reviewer)
        return True


def revert(project: Project, report_id: str, task_hash: str, key: str, reviewer: str | None = None) -> bool:
    """Back to the model's value for one field; False when there was no reviewer value."""
    with project.lock:
        st = load_state(project, report_id, task_hash)
        if key not in st.reviews:
            return False
        accepted = st.model_value(key) if st.accepted_values is not None else NO_CHANGE
        project.revert_review_value(report_id, task_hash, key, reviewer, accepted_value=accepted)
        return True


def use_model_value(project: Project, report_id: str, task_hash: str, key: str,
                    reviewer: str | None = None) -> bool:
    """An accepted report takes the model's newest value for *key*; False when not accepted."""
    with project.lock:
        st = load_state(project, report_id, task_hash)
        if st.accepted_values is None or key in st.reviews:
            return False
        project.set_accepted_value(report_id, task_hash, key, st.model_value(key), reviewer)
        return True


def accept(project: Project, report_id: str, task_hash: str, reviewer: str | None = None,
           comment: str | None = None) -> None:
    """Accept the report with its values as they are now (a comment is kept beside it)."""
    with project.lock:
        st = load_state(project, report_id, task_hash)
        project.set_review_state(report_id, task_hash, Decision.ACCEPTED, comment or None, reviewer,
                                 accepted_values=st.values or {})


def flag(project: Project, report_id: str, task_hash: str, comment: str | None,
         reviewer: str | None = None) -> None:
    project.set_review_state(report_id, task_hash, Decision.FLAGGED, comment or None, reviewer)


def reopen(project: Project, report_id: str, task_hash: str, reviewer: str | None = None) -> bool:
    """Not reviewed any more; False when it was not accepted or flagged."""
    with project.lock:
        if project.review_state(report_id, task_hash) is None:
            return False
        project.clear_review_state(report_id, task_hash, reviewer)
        return True


def reset(project: Project, report_id: str, task_hash: str, reviewer: str | None = None) -> None:
    """Drop every reviewer value; an acceptance no longer holds (a flag stays)."""
    with project.lock:
        st: ReportState = load_state(project, report_id, task_hash)
        for key in list(st.reviews):
            project.revert_review_value(report_id, task_hash, key, reviewer)
        if st.accepted:
            project.clear_review_state(report_id, task_hash, reviewer)
