"""What the form shows for one report: per-field states and a notice.

The values come from :class:`core.review.ReportState`; this module only
decides how the form says them.
"""
from __future__ import annotations

from typing import Any

from core.evidence import value_quote_mismatch
from core.review import ReportState, ReviewData
from core.task import Field
from core.review.values import same
from gui.review.field_row import _UNSET, FieldState


def _reviewed_values(data: ReviewData, e: ReportState) -> dict[str, Any] | None:
    """After a re-run: the values accepted, else the model's values when the report was reviewed."""
    if not e.rerun_after_review:
        return None
    if e.accepted_values is not None:
        return e.accepted_values
    return data.model_values_when_reviewed(e.report_id)


def field_warnings(e: ReportState, f: Field) -> tuple[list[str], str | None]:
    """(plausibility warnings, evidence mismatch) of one field as the review shows them.

    The mismatch is judged on the value now (:meth:`ReportState.evidence_mismatch`: gone once
    a reviewer vouches for a value, present for results stored before the check existed); the
    copy the engine stored among the warnings is left out so it is not said twice.
    """
    stored = (value_quote_mismatch(f, e.model_value(f.key), e.result.quotes.get(f.key))
              if e.result is not None else None)
    return [w for w in e.warnings(f.key) if w != stored], e.evidence_mismatch(f)


def field_states(data: ReviewData, e: ReportState) -> dict[str, FieldState]:
    ok = e.has_values
    with_evidence = ok and data.task is not None and data.task.options.evidence
    reviewed = _reviewed_values(data, e)
    out = {}
    for f in data.fields:
        rv = e.reviews.get(f.key)
        warnings, mismatch = field_warnings(e, f)
        out[f.key] = FieldState(
            value=e.value(f.key), model_value=e.model_value(f.key), has_result=ok, corrected=rv is not None,
            corrected_from=rv.model_value if rv else None, confidence=e.confidence(f.key),
            evidence=(e.evidence(f.key) is not None) if with_evidence else None, warnings=warnings, mismatch=mismatch,
            reviewed_value=reviewed.get(f.key) if reviewed is not None else _UNSET,
            accepted=e.accepted_values is not None)
    return out


def notice(e: ReportState, data: ReviewData | None = None) -> tuple[str | None, str]:
    """(text, level) of the note above the form; level is info, warning or error."""
    if not e.reviewable:
        return f"This file could not be read: {e.skip_reason or 'unknown reason'}.", "error"
    if e.result is None:
        return "The model has not read this report yet. You can fill in the values by hand.", "info"
    if e.failed:
        return (f"The model could not read this report. {e.result.reason or ''} "
                "Fill in the values by hand, or run 'Failed reports only' again.", "error")
    if e.rerun_after_review:
        what = e.state.state.value if e.state is not None else "reviewed"
        before = data.model_values_when_reviewed(e.report_id) if data is not None else None
        if before is not None and data is not None and all(
                same(f, before.get(f.key), e.model_value(f.key)) for f in data.fields):
            return f"The model read this report again after it was {what}; its values did not change.", "info"
        if e.accepted_values is not None:
            return ("The model read this report again after it was accepted. The values you accepted stay; "
                    "fields where it now says something else are marked.", "warning")
        return (f"The model read this report again after it was {what}. Fields where it now says "
                "something else are marked; accept again to confirm.", "warning")
    general = e.warnings("")
    if general:
        return " ".join(general), "warning"
    return None, "info"
