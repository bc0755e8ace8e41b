"""Walk a folder and read every report file in it."""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from . import documents, tabular
from .model import EMPTY_FILE, Report, Unreadable

log = logging.getLogger(__name__)

DOCUMENT_READERS: dict[str, Callable[[Path], str]] = {
    ".txt": documents.read_plain,
    ".md": documents.read_plain,
    ".rtf": documents.read_rtf,
    ".docx": documents.read_docx,
    ".pdf": documents.read_pdf,
    ".html": documents.read_html,
    ".htm": documents.read_html,
}
TABULAR_SUFFIXES = frozenset(tabular.LOADERS)
SUPPORTED_SUFFIXES = frozenset(DOCUMENT_READERS) | TABULAR_SUFFIXES

# Files that are clearly not reports (the app's own files, models, images):
# ignored without a word rather than listed as skipped.
IGNORED_SUFFIXES = frozenset({
    ".gguf", ".abstractor", ".sqlite", ".sqlite3", ".db", ".png", ".jpg", ".jpeg", ".gif",
})
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_HINTS = {
    ".doc": "save it as .docx or PDF",
    ".xls": "save it as .xlsx or CSV",
    ".odt": "save it as .docx or PDF",
    ".pages": "export it as .docx or PDF",
    ".tif": "scanned images cannot be read",
    ".tiff": "scanned images cannot be read",
    ".bmp": "images cannot be read",
}


def is_ignored(name: str) -> bool:
    """True for files and folders that are never shown: hidden, lock or app files."""
    lower = name.lower()
    return (
        name.startswith(".")
        or name.startswith("~$")
        or lower in IGNORED_NAMES
        or lower.endswith(("-wal", "-shm", "-journal"))
        or os.path.splitext(lower)[1] in IGNORED_SUFFIXES
    )


def relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def read_path(path: Path, root: Path) -> list[Report]:
    """Reports in one file: none for ignored files, several for tabular ones.

    Never raises for a bad file: problems become skipped reports.
    """
    path, root = Path(path), Path(root)
    if is_ignored(path.name):
        return []
    return _read_file(path, relative_id(path, root))


def _read_file(path: Path, rel: str) -> list[Report]:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [Report.make_skipped(rel, rel, _os_reason(exc), 0)]
    if suffix not in SUPPORTED_SUFFIXES:
        return [Report.make_skipped(rel, rel, unsupported_reason(suffix), size)]
    if size == 0:
        return [Report.make_skipped(rel, rel, EMPTY_FILE, 0)]
    try:
        if suffix in TABULAR_SUFFIXES:
            return tabular.table_reports(tabular.LOADERS[suffix](path), rel)
        text = DOCUMENT_READERS[suffix](path)
        return [Report.make_ready(rel, rel, text, size)]
    except Unreadable as exc:
        return [Report.make_skipped(rel, rel, exc.reason, size)]
    except OSError as exc:
        return [Report.make_skipped(rel, rel, _os_reason(exc), size)]
    except MemoryError:
        return [Report.make_skipped(rel, rel, "The file is too large to read", size)]
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the folder
        log.warning("Unexpected error reading %s", rel, exc_info=True)
        reason = f"Could not read this file: {type(exc).__name__}: {exc}"
        return [Report.make_skipped(rel, rel, reason, size)]


def unsupported_reason(suffix: str) -> str:
    if not suffix:
        return "The file has no extension, so its type is unknown"
    hint = _HINTS.get(suffix)
    return f"Unsupported file type {suffix}" + (f" ({hint})" if hint else "")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "The file could not be opened: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "The file was removed or renamed while reading"
    return f"The file could not be opened: {exc.strerror or exc}"


def list_files(folder: Path) -> list[tuple[str, Path]]:
    """``(relative posix path, path)`` of all non-ignored files below *folder*,
    sorted by relative path (case-insensitively, folder by folder)."""
    found: list[tuple[tuple[str, ...], Path]] = []

    def on_error(exc: OSError) -> None:
        log.warning("Cannot list folder %s: %s", exc.filename, exc.strerror)

    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error):
        dirnames[:] = [d for d in dirnames if not is_ignored(d)]
        rel_dir = os.path.relpath(dirpath, folder)
        parts = () if rel_dir == "." else tuple(rel_dir.split(os.sep))
        for name in filenames:
            if not is_ignored(name):
                found.append((parts + (name,), Path(dirpath, name)))
    found.sort(key=lambda item: tuple((p.casefold(), p) for p in item[0]))
    return [("/".join(parts), path) for parts, path in found]


def read_folder(folder: str | Path) -> Iterator[Report]:
    """Every report below *folder*, recursively, in a stable order.

    Raises ``NotADirectoryError`` at once if *folder* is not a folder; never
    raises for a bad file inside it.
    """
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"Not a folder: {root}")
    files = list_files(root)

    def generate() -> Iterator[Report]:
        for rel, path in files:
            yield from _read_file(path, rel)

    return generate()
