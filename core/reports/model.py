"""The :class:`Report` record and the exception readers use to skip a file."""
from __future__ import annotations

from dataclasses import dataclass

READY = "ready"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Report:
    """One report, ready to be sent to the model, or skipped with a reason.

    ``id`` is stable across runs: the posix path relative to the folder that
    was read (``"ct/p1.txt"``), or ``"<path>#<row id>"`` for a row of a
    tabular source.  ``source`` is the posix relative path of the file.
    ``size`` is the file size in bytes (for tabular rows: the UTF-8 size of
    the row's text).
    """

    id: str
    source: str
    text: str
    status: str
    reason: str | None
    size: int

    @property
    def ready(self) -> bool:
        return self.status == READY

    @classmethod
    def make_ready(cls, id: str, source: str, text: str, size: int) -> "Report":
        return cls(id=id, source=source, text=text, status=READY, reason=None, size=size)

    @classmethod
    def make_skipped(cls, id: str, source: str, reason: str, size: int) -> "Report":
        return cls(id=id, source=source, text="", status=SKIPPED, reason=reason, size=size)


class Unreadable(Exception):
    """Raised by a reader for an expected problem with one file.

    The message is shown to the user as the reason the file was skipped, so
    it must be plain language a clinician understands.
    """

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "The file could not be read"


EMPTY_FILE = "The file is empty"
NO_TEXT = "The file contains no text"


def check_has_text(text: str) -> str:
    """Return *text* unchanged, or raise :class:`Unreadable` if it is blank."""
    if not text.strip():
        raise Unreadable(NO_TEXT)
    return text
