"""Where log lines go, and what they may contain.

- One log file per user, ``abstractor.log`` in the user log folder (or
  ``$ABSTRACTOR_LOG_DIR``), created readable by the user only (0600).
- Third-party libraries never print to the terminal: their log records
  (pypdf's "EOF marker not found" for a damaged PDF) and Python warnings go
  to the log file.
- Logs never contain report text or extracted values.  Abstractor's own log
  calls name files and counts only; an exception's message (which may quote a
  report) is replaced by its type unless debug logging is switched on
  explicitly (``ABSTRACTOR_DEBUG_LOG=1``), which also keeps llama.cpp's own
  lines.  Switching it on prints a warning, since the log may then hold
  patient data.
"""
from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

DEBUG_ENV = "ABSTRACTOR_DEBUG_LOG"
LOG_DIR_ENV = "ABSTRACTOR_LOG_DIR"
LOG_NAME = "abstractor.log"
DEBUG_WARNING = ("Debug logging is on ({env}=1): the log file {path} may contain report text and "
                 "extracted values. Switch it off when you are done and delete the file.")

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def debug_requested() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(os.environ.get(LOG_DIR_ENV) or user_log_dir("abstractor", appauthor=False))


class PrivateFormatter(logging.Formatter):
    """Keeps where an exception happened, drops what it said (it may quote a report)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_text   # another handler may have cached the full text on the record
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = saved

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        exc_type, _, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return (f"Traceback (most recent call last):\n{frames}{exc_type.__name__}: "
                f"(message hidden; set {DEBUG_ENV}=1 to log it)")


class _Handler(logging.FileHandler):
    """A file handler tagged as ours, so set-up can be repeated without stacking handlers."""


def setup_logging(*, debug: bool | None = None, warn=None) -> Path:
    """Send all logging (and Python warnings) to the user's log file, never to the terminal.

    *warn* is called with :data:`DEBUG_WARNING` when debug logging is on.
    Returns the log file's path."""
    debug = debug_requested() if debug is None else debug
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # user-only from the start
    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(h)
        h.close()
    handler = _Handler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT) if debug else PrivateFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # llama.cpp's own lines (core.engine) echo prompts when verbose: only with debug logging
    logging.getLogger("llama_cpp.native").setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.captureWarnings(True)
    if debug and warn is not None:
        warn(DEBUG_WARNING.format(env=DEBUG_ENV, path=path))
    return path
