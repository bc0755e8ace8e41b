"""One way to write a file so that a crash never leaves a half-written one.

The data goes to a temp file beside the target (same folder, so the same
file system), is flushed and fsync'd, and is then moved over the target in
one ``os.replace``; the folder is fsync'd too, so the rename itself survives
a power cut.  A process killed at any moment leaves either the old target or
the new one, never a mix (at worst a stray ``.~name.….tmp`` file beside it).

New files are readable by the user only (0600 on POSIX) unless a caller asks
for another mode: exports and caches hold patient data or paths to it.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER_ONLY = 0o600


class ReplaceError(OSError):
    """The finished temp file could not be moved over the target (open elsewhere, no permission)."""


def fsync_path(path: str | Path) -> None:
    """fsync a file or (on POSIX) a folder by path."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if Path(path).is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:  # Windows cannot open folders; its rename is durable on NTFS anyway
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems (and Windows folders) do not support it
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | Path, *, mode: int = USER_ONLY) -> Iterator[Path]:
    """Yield a temp path beside *path*; when the block ends without error, make it *path*.

    Write the temp file completely inside the block (any library that takes a
    file name will do).  On an error the temp file is removed, the target is
    untouched and the error propagates.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".~{path.stem}.", suffix=path.suffix + ".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if mode != USER_ONLY:  # mkstemp already created it 0600
            os.chmod(tmp, mode)
        fsync_path(tmp)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise ReplaceError(exc.errno, exc.strerror, str(path)) from exc
        fsync_path(path.parent)
    finally:
        try:
            tmp.unlink()
        except OSError:  # already moved into place
            pass


def write_atomic(path: str | Path, data: str | bytes, *, mode: int = USER_ONLY, encoding: str = "utf-8") -> None:
    """Write *data* to *path* through :func:`atomic_path`."""
    with atomic_path(path, mode=mode) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding)
        else:
            tmp.write_bytes(data)
