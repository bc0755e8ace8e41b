"""The status words of a report, as enums (each value is the word stored or shown).

* :class:`ReportStatus`: where a report stands under a task, as the report
  browser and the review show it (not run, extracted, failed, skipped,
  reviewed, flagged).
* :class:`RunStatus`: how the model's reading of a report went, as the
  export's Status column says it (ok, failed, skipped, not run).
* :class:`~core.store.rows.ResultStatus` and :class:`~core.store.rows.Decision`
  are the words the project file stores; they are re-exported here.
"""
from __future__ import annotations

from enum import StrEnum

from core.store.rows import Decision, ResultStatus

__all__ = ["Decision", "ReportStatus", "ResultStatus", "RunStatus"]


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
