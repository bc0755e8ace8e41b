"""Opening report folders and project files.

Where the project file lives
----------------------------
A folder ``.../Reports/CT 2024`` gets the project file
``.../Reports/CT 2024.abstractor`` *beside* it (not inside it):

* the report folder is never written to (it is often an export from the
  hospital system, read-only, or shared with colleagues);
* copying or deleting the folder never takes the reviews with it by accident;
* opening the same folder again finds the same project, so the task, runs,
  results and reviews come back.

When the folder's parent cannot be written to (a read-only share, a drive's
root), the project goes to ``<user data dir>/projects/<name>-<hash>.abstractor``
instead.  *New project…* lets the user pick any location.  The project
remembers its folder in the meta key ``source_folder``; opening the project
re-reads that folder in the background (new and changed files are picked
up) when it is still there.

Reading runs in a :class:`FolderLoader` on its own QThread and stores
reports in batches of 500 (or every 0.25 s), so the first rows show at once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.store.project import PROJECT_SUFFIX, Project

log = logging.getLogger(__name__)

BATCH = 500
FLUSH_S = 0.25
SOURCE_FOLDER_KEY = "source_folder"


class WorkspaceError(Exception):
    """A folder or project that cannot be opened; the message is for the user."""


def fallback_project_path(folder: Path) -> Path:
    from core.templates import slugify, user_data_root

    digest = hashlib.sha1(str(folder).encode("utf-8")).hexdigest()[:8]
    return user_data_root() / "projects" / f"{slugify(folder.name or 'reports')}-{digest}{PROJECT_SUFFIX}"


def project_path_for(folder: str | Path) -> Path:
    """The project file for a report folder (see the module docstring)."""
    folder = Path(folder).resolve()
    beside = folder.parent / (folder.name + PROJECT_SUFFIX)
    fallback = fallback_project_path(folder)
    if folder.name and beside.is_file():
        return beside
    if fallback.is_file():
        return fallback
    if folder.name and can_write(folder.parent):
        return beside
    return fallback


def can_write(directory: Path) -> bool:
    """Whether a project file may be created in *directory*."""
    return os.access(directory, os.W_OK)


def where_stored(folder: Path, path: Path, *, new: bool) -> str:
    """The plain note on where a folder's project (task, results, reviews) is kept."""
    if path == fallback_project_path(folder):
        return (f"The folder's location cannot be written to (a read-only share?), so the project with the task, "
                f"results and reviews is {'now ' if new else ''}stored in your data folder: {path}")
    if new:
        return f"New project: the task, results and reviews are stored in {path} (the report folder is not changed)."
    return f"Project: {path}"


def demo_project_path() -> Path:
    """``<user data dir>/demo/demo.abstractor`` (never inside the app's own files)."""
    from core.templates import user_data_root

    return user_data_root() / "demo" / f"demo{PROJECT_SUFFIX}"


def open_project_file(path: str | Path) -> Project:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return Project(path)
    except sqlite3.DatabaseError:
        raise WorkspaceError(f"“{path.name}” is not an Abstractor project file, or it is damaged.") from None
    except (OSError, sqlite3.OperationalError) as exc:
        raise WorkspaceError(f"Cannot open the project “{path.name}”: {exc}.") from None
    except ValueError as exc:  # e.g. a project written by a newer Abstractor
        raise WorkspaceError(f"Cannot open the project “{path.name}”: {exc}") from None


class FolderLoader(QObject):
    """Reads a folder and stores its reports; lives in its own thread."""

    progress = Signal(int)        # reports stored so far in this load
    finished = Signal(int, int)   # added, changed
    failed = Signal(str)

    def __init__(self, project: Project, folder: Path):
        super().__init__()
        self.project = project
        self.folder = folder
        self.stop = False

    @Slot()
    def run(self) -> None:
        from core.reports import read_folder

        added = changed = stored = 0
        try:
            reports = read_folder(self.folder)
            batch, last = [], time.monotonic()
            for report in reports:
                if self.stop:
                    break
                batch.append(report)
                if len(batch) >= BATCH or time.monotonic() - last > FLUSH_S:
                    a, c = self.project.add_reports(batch)
                    added, changed, stored = added + a, changed + c, stored + len(batch)
                    batch, last = [], time.monotonic()
                    self.progress.emit(stored)
            if batch and not self.stop:
                a, c = self.project.add_reports(batch)
                added, changed, stored = added + a, changed + c, stored + len(batch)
                self.progress.emit(stored)
        except (OSError, sqlite3.Error) as exc:
            self.failed.emit(f"Could not read the folder {self.folder}: {exc}")
            return
        self.finished.emit(added, changed)


class Workspace(QObject):
    """The open project and the background reading of its folder."""

    opened = Signal(object)            # Project
    closing = Signal()
    reports_added = Signal(int)        # reports stored so far by the current load
    loading_finished = Signal(int, int)  # added, changed
    message = Signal(str)              # plain-language notes for the status bar
    error = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.folder: Path | None = None
        self._thread: QThread | None = None
        self._loader: FolderLoader | None = None

    # ---- opening ---------------------------------------------------------------------
    def open_folder(self, folder: str | Path, project_path: str | Path | None = None) -> Project:
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise WorkspaceError(f"“{folder}” is not a folder.")
        path = Path(project_path or project_path_for(folder))
        new = not path.is_file()
        project = open_project_file(path)
        project.set_meta(SOURCE_FOLDER_KEY, str(folder))
        self._set_project(project, folder)
        self.message.emit(where_stored(folder, path, new=new))   # never created without a word
        return project

    def open_project(self, path: str | Path) -> Project:
        path = Path(path).resolve()
        if not path.is_file():
            raise WorkspaceError(f"The project file “{path}” does not exist.")
        project = open_project_file(path)
        source = project.get_meta(SOURCE_FOLDER_KEY)
        folder = Path(source) if source else None
        if folder is not None and not folder.is_dir():
            self._set_project(project, None)
            self.message.emit(f"The report folder {folder} is not available; showing the reports stored in "
                              "the project.")
            return project
        self._set_project(project, folder)
        return project

    def _set_project(self, project: Project, folder: Path | None) -> None:
        self.close()
        self.project, self.folder = project, folder
        self.opened.emit(project)
        if folder is not None:
            self._start_loading(folder)

    # ---- background reading ---------------------------------------------------------
    def is_loading(self) -> bool:
        return self._thread is not None

    def _start_loading(self, folder: Path) -> None:
        thread = QThread()
        thread.setObjectName("abstractor-folder-reader")
        loader = FolderLoader(self.project, folder)
        loader.moveToThread(thread)
        thread.started.connect(loader.run)
        loader.progress.connect(self._on_progress)
        loader.finished.connect(self._on_finished)
        loader.failed.connect(self._on_failed)
        self._thread, self._loader = thread, loader
        thread.start()

    @Slot(int)
    def _on_progress(self, stored: int) -> None:
        if self.sender() is self._loader:
            self.reports_added.emit(stored)

    @Slot(int, int)
    def _on_finished(self, added: int, changed: int) -> None:
        if self.sender() is self._loader:
            self._stop_loading()
            self.loading_finished.emit(added, changed)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self.sender() is self._loader:
            self._stop_loading()
            self.error.emit(message)

    def _stop_loading(self) -> None:
        thread, loader = self._thread, self._loader
        self._thread = self._loader = None
        if thread is None:
            return
        loader.stop = True
        thread.quit()
        thread.wait()
        # both are dropped here, in the UI thread, now that the thread has ended

    # ---- closing ---------------------------------------------------------------------
    def close(self) -> None:
        """Stop reading and close the project (safe to call twice)."""
        self._stop_loading()
        if self.project is not None:
            self.closing.emit()
            self.project.close()
            self.project = self.folder = None
