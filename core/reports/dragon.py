"""Read a DRAGON benchmark test set (``nlp-test-dataset.json``)."""
from __future__ import annotations

import json
from pathlib import Path

from .encoding import decode_bytes
from .model import Report
from .tabular import join_parts, unique_id


def read_dragon_dataset(path: str | Path) -> list[Report]:
    """Reports of a DRAGON ``nlp-test-dataset.json``.

    The file is a list of ``{"uid", "text"}`` or ``{"uid", "text_parts": [...]}``
    objects; parts are joined with a blank line.  The report id is the uid and
    the source is the file name.  Raises ``ValueError`` if the file is not a
    DRAGON data set (a whole data set is chosen deliberately, so a wrong file
    is an error for the user, not a report to skip).
    """
    path = Path(path)
    try:
        data = json.loads(decode_bytes(path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON (error on line {exc.lineno})") from exc
    if not isinstance(data, list):
        raise ValueError(f"{path.name} is not a DRAGON data set: expected a list of cases")
    reports: list[Report] = []
    used: set[str] = set()
    for number, case in enumerate(data, start=1):
        if not isinstance(case, dict) or "uid" not in case:
            raise ValueError(f"{path.name}: case {number} has no 'uid'")
        rid = unique_id(str(case["uid"]), used)
        text = join_parts(case.get("text")) or join_parts(case.get("text_parts"))
        if text.strip():
            reports.append(Report.make_ready(rid, path.name, text, len(text.encode("utf-8"))))
        else:
            reports.append(Report.make_skipped(rid, path.name, "This case has no report text", 0))
    return reports
