"""The task library panel: pick, edit, duplicate, import and export tasks."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from core.task import Task
from core.task_import import TaskFileError
from gui.library.entries import BUNDLED, USER, LibraryEntry, copy_name, load_entries
from gui.library.model import TaskLibraryModel

TASK_FILE_FILTER = "Task files (*.json);;All files (*)"


def describe_task(task: Task) -> str:
    """A short HTML summary of a task for the details pane."""
    parts = [f"<h3 style='margin:0'>{html.escape(task.name)}</h3>"]
    if task.description:
        parts.append(f"<p>{html.escape(task.description)}</p>")
    items = []
    for path, f in task.walk():
        depth = path.count(".")
        desc = f" – {html.escape(f.description)}" if f.description else ""
        items.append(f"<li style='margin-left:{depth * 14}px'><b>{html.escape(f.title)}</b> "
                     f"<i>({html.escape(f.type.label.lower())})</i>{desc}</li>")
    if items:
        parts.append("<p style='margin-bottom:2px'>Fields:</p><ul style='margin-top:0'>" + "".join(items) + "</ul>")
    return "".join(parts)


class TaskLibrary(QWidget):
    task_chosen = Signal(object)      # Task: use it for the open project
    edit_requested = Signal(object)   # Task: open it in the task builder

    def __init__(self, parent=None, *, load: bool = True):
        super().__init__(parent)
        self.model = TaskLibraryModel(parent=self)
        self.table = QTableView()
        self.table.setObjectName("taskLibraryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)                          # full task names, over two lines if need be
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda *_: self.choose_current())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setPlaceholderText("Select a task to see its fields.")

        self.active_label = QLabel("No task in use yet: select one and click “Use this task”.")
        self.active_label.setObjectName("activeTask")
        self.active_label.setWordWrap(True)
        self.use_button = QPushButton("Use this task")
        self.use_button.setDefault(True)
        self.use_button.setToolTip("Extract these fields from the reports of the open project")
        self.edit_button = QPushButton("Edit…")
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Make your own copy to change")
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Add a task file (Abstractor or llm_extractinator JSON)")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the task as a file to share")
        self.delete_button = QPushButton("Delete")
        self.use_button.clicked.connect(self.choose_current)
        self.edit_button.clicked.connect(self.edit_current)
        self.duplicate_button.clicked.connect(self._duplicate_clicked)
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.delete_button.clicked.connect(self._delete_clicked)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.import_button)
        top.addStretch(1)
        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        for b in (self.use_button, self.edit_button, self.duplicate_button):
            row1.addWidget(b)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        for b in (self.export_button, self.delete_button):
            row2.addWidget(b)
        row2.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.active_label)
        layout.addWidget(split, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.setMinimumWidth(260)   # with the report list and the Task tab, the window fits 1366 px
        self._update_buttons()
        if load:
            self.reload()

    # ---- contents -------------------------------------------------------------------------
    def reload(self, select: Path | str | None = None) -> None:
        """Re-read templates and user tasks; select the entry with path or name *select*."""
        self.model.set_entries(load_entries())
        if select is not None:
            self.select(select)
        self._on_selection()

    def entries(self) -> list[LibraryEntry]:
        return self.model.entries()

    def select(self, key: Path | str) -> bool:
        for row, e in enumerate(self.model.entries()):
            if (isinstance(key, Path) and e.path == key) or (isinstance(key, str) and e.title == key):
                self.table.selectRow(row)
                return True
        return False

    def current_entry(self) -> LibraryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    # ---- actions (no dialogs: callable from tests and menus) ----------------------------------
    @Slot()
    def choose_current(self) -> None:
        e = self.current_entry()
        if e is not None:
            self.task_chosen.emit(e.task.model_copy(deep=True))

    @Slot()
    def edit_current(self) -> None:
        e = self.current_entry()
        if e is not None:
            self.edit_requested.emit(e.task.model_copy(deep=True))

    def duplicate_current(self) -> LibraryEntry | None:
        from core.templates import save_user_task

        e = self.current_entry()
        if e is None:
            return None
        taken = {x.title for x in self.model.entries()}
        copy = e.task.model_copy(deep=True, update={"name": copy_name(e.task.name, taken)})
        path = save_user_task(copy)
        self.reload(select=path)
        return self.current_entry()

    def import_file(self, path: str | Path) -> LibraryEntry:
        """Add a task file to *My tasks*; raises TaskFileError with a readable message."""
        from core.task_import import load_task_file
        from core.templates import save_user_task

        task = load_task_file(Path(path))
        saved = save_user_task(task)
        self.reload(select=saved)
        return self.current_entry()

    def export_current(self, path: str | Path) -> Path:
        e = self.current_entry()
        if e is None:
            raise ValueError("no task selected")
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".json")
        e.task.save(path)
        return path

    def delete_current(self) -> bool:
        e = self.current_entry()
        if e is None or e.kind != USER or e.path is None:
            return False
        e.path.unlink(missing_ok=True)
        self.reload()
        return True

    # ---- button slots (with dialogs) -----------------------------------------------------------
    @Slot()
    def _duplicate_clicked(self) -> None:
        try:
            self.duplicate_current()
        except OSError as exc:
            QMessageBox.warning(self, "Duplicate task", f"The copy could not be saved: {exc.strerror or exc}.")

    @Slot()
    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a task file", "", TASK_FILE_FILTER)
        if not path:
            return
        try:
            self.import_file(path)
        except TaskFileError as exc:
            QMessageBox.warning(self, "Import task", f"This file cannot be used as a task.\n\n{exc}")
        except OSError as exc:
            QMessageBox.warning(self, "Import task", f"The task could not be saved: {exc.strerror or exc}.")

    @Slot()
    def _export_clicked(self) -> None:
        e = self.current_entry()
        if e is None:
            return
        from core.templates import slugify

        path, _ = QFileDialog.getSaveFileName(self, "Export task", f"{slugify(e.title)}.json", TASK_FILE_FILTER)
        if not path:
            return
        try:
            self.export_current(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export task", f"The task could not be saved: {exc.strerror or exc}.")

    @Slot()
    def _delete_clicked(self) -> None:
        e = self.current_entry()
        if e is None or e.kind != USER:
            return
        answer = QMessageBox.question(self, "Delete task", f"Delete your task “{e.title}”?\n\n"
                                      "Projects that used it keep their own copy.")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_current()

    # ---- state ------------------------------------------------------------------------------------
    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_):
        e = self.current_entry()
        self.details.setHtml(describe_task(e.task) if e is not None else "")
        self._update_buttons()

    @Slot(object)
    def set_active_task(self, task) -> None:
        """Say which task the open project uses (connect the window's task_changed)."""
        self.model.set_active(task.hash() if task is not None else None)
        self.active_label.setText(f"In use: <b>{html.escape(task.name)}</b>" if task is not None else
                                  "No task in use yet: select one and click “Use this task”.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        e = self.current_entry()
        for b in (self.use_button, self.edit_button, self.duplicate_button, self.export_button):
            b.setEnabled(e is not None)
        in_use = e is not None and self.model.is_active(e)
        self.use_button.setText("✓ In use" if in_use else "Use this task")
        self.use_button.setEnabled(e is not None and not in_use)
        self.delete_button.setEnabled(e is not None and e.kind == USER)
        self.delete_button.setToolTip("Bundled templates cannot be deleted" if e is not None and e.kind == BUNDLED
                                      else "Delete this task file")
