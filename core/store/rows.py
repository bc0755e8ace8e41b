"""What every part of the project file shares: time stamps, JSON cells and the stored status words.

The status words here are the ones the schema's CHECK constraints allow;
the words the app shows for a report (``extracted``, ``reviewed``, ...)
are derived from them in :mod:`core.review`.
"""
from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Any


class ResultStatus(StrEnum):
    """How one run went for one report (``results.status``)."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


class Decision(StrEnum):
    """The reviewer's decision on a report (``review_states.state``)."""

    ACCEPTED = "accepted"
    FLAGGED = "flagged"


def now() -> str:
    """The time stamp stored with every row: local time with its offset, to the second."""
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def to_json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


def from_json(s: str | None) -> Any:
    return None if s is None else json.loads(s)
