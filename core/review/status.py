"""The status words of a report, as enums (each value is the word stored or shown).

* :class:`ReportStatus`: where a report stands under a task, as the report
  browser and the review show it (not run, extracted, failed, skipped,
  reviewed, flagged).
* :class:`RunStatus`: how the model's reading of a report went, as the
  export's Status column says it (ok, failed, skipped, not run).
* :class:`ReviewStatus`: the reviewer's decision, as the export's Review
  column says it and a spreadsheet import reads it back (not reviewed,
  accepted, corrected, flagged).
* :class:`~core.store.rows.ResultStatus` and :class:`~core.store.rows.Decision`
  are the words the project file stores; they are re-exported here.
"""
from __future__ import annotations

from enum import StrEnum

from core.store.rows import Decision, ResultStatus

__all__ = ["Decision", "ReportStatus", "ResultStatus", "ReviewStatus", "RunStatus"]


class ReportStatus(StrEnum):
    NOT_RUN = "not run"
    EXTRACTED = "extracted"
    FAILED = "failed"
    SKIPPED = "skipped"      # the file could not be read, or the model skipped it
    REVIEWED = "reviewed"    # accepted by a reviewer
    FLAGGED = "flagged"

    @property
    def label(self) -> str:
        """The word with a capital, for a table cell: 'Not run'."""
        return self.value.capitalize()


class RunStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_RUN = "not run"


class ReviewStatus(StrEnum):
    """The reviewer's decision on a report, in the export's Review column.

    ``corrected`` is an acceptance with at least one reviewer value; a flag
    stays ``flagged`` whatever values were changed; values edited without a
    decision are ``not reviewed`` (the Corrections sheet still lists them).
    """

    NOT_REVIEWED = "not reviewed"
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    FLAGGED = "flagged"
