"""Review state: what a report's values and status are now, and what a reviewer does to them.

One implementation, used by the review, the report browser, the export, the
evaluation dialog and ``abstractor evaluate``:

* :class:`ReportState` (``values``, ``value(key)``, ``model_value(key)``,
  ``accepted_values``, ``status``, ``run_status``, ...), read with
  :func:`load_states` (every report) or :func:`load_state` (one);
  :func:`report_statuses` for the browser.
* the reviewer's actions: :func:`set_value`, :func:`revert`,
  :func:`use_model_value`, :func:`accept`, :func:`flag`, :func:`reopen`,
  :func:`reset`.
* :class:`ReviewData` (one project and task, with change listeners) and the
  review filters (:class:`ReviewFilter`, :func:`matches`).
* the status words as enums: :class:`ReportStatus`, :class:`RunStatus`,
  :class:`ReviewStatus`, :class:`ResultStatus`, :class:`Decision`.
* reading back a reviewed spreadsheet: :mod:`core.export.importing` (the export's layout
  belongs to :mod:`core.export`, which sits above this package).
* showing and comparing values: :mod:`core.review.values`.
"""
from core.review.actions import accept, flag, reopen, reset, revert, set_value, use_model_value
from core.review.session import ReviewData, ReviewFilter, matches
from core.review.state import ReportState, load_state, load_states, model_values_at, report_statuses
from core.review.status import Decision, ReportStatus, ResultStatus, ReviewStatus, RunStatus

__all__ = [
    "Decision", "ReportState", "ReportStatus", "ResultStatus", "ReviewData", "ReviewFilter", "ReviewStatus",
    "RunStatus",
    "accept", "flag", "load_state", "load_states", "matches", "model_values_at", "reopen", "report_statuses",
    "reset", "revert", "set_value", "use_model_value",
]
