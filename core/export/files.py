"""Writing export files safely: a temp file beside the target, fsync'd, then one atomic replace.

Any problem writing the file becomes an :class:`ExportError` whose message
is shown to the user as it is (no traceback).
"""
from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.atomic import ReplaceError, atomic_path


class ExportError(Exception):
    """An export could not be written; the message is meant for the user."""


def _message(path: Path, exc: OSError, *, replacing: bool) -> str:
    name = path.name
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"Cannot write {name}: there is a folder with that name in {path.parent}. Choose another name."
    if exc.errno == errno.ENOSPC:
        return f"Cannot write {name}: the disk is full. Free some space and try again."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY):
        if replacing:
            return (f"Cannot write {name}: the file is open in another program (Excel?). "
                    "Close it and try again.")
        return f"Cannot write {name}: you do not have permission to write in {path.parent}."
    if exc.errno == errno.ENOENT:
        return f"Cannot write {name}: the folder {path.parent} does not exist."
    return f"Cannot write {name}: {exc.strerror or exc}."


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success move it over *path*
    (:func:`core.atomic.atomic_path`: fsync'd, one atomic replace, user-only).

    On any failure the temp file is removed and the target is left untouched.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(_message(path, IsADirectoryError(errno.EISDIR, "Is a directory"), replacing=True))
    try:
        with atomic_path(path) as tmp:
            yield tmp
    except ReplaceError as exc:
        raise ExportError(_message(path, exc, replacing=True)) from exc
    except OSError as exc:
        raise ExportError(_message(path, exc, replacing=False)) from exc
