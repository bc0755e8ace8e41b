"""File › Import reviewed spreadsheet: read back an Excel export that was corrected and reviewed in Excel.

The dialog picks the workbook, runs :func:`core.export.importing.import_review`
for the window's project and task, and shows what happened: the summary
(values changed, reports accepted or flagged), or, when the sheet breaks
the task's rules, every problem, with the reassurance that nothing changed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from core.export.importing import ImportRejected, ImportSummary, import_review
from gui.path_row import path_row

INTRO = ("Choose an Excel file that Abstractor exported and that was reviewed in Excel. Changed values become "
         "reviewer corrections (the audit trail names the file); the Review column (not reviewed, accepted, "
         "corrected, flagged) and the Review comment set each report's review. If any cell breaks the task's "
         "rules, nothing is imported and the problems are listed.")


class ImportDialog(QDialog):
    """Emits ``imported(ImportSummary)`` after an import that changed the project."""

    imported = Signal(object)

    def __init__(self, project: Any, task: Any, start_dir: str | Path = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self.task, self.start_dir = project, task, str(start_dir)
        self.summary: ImportSummary | None = None
        self.setWindowTitle("Import reviewed spreadsheet")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("The reviewed Excel file (.xlsx)")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._path_changed)
        row = path_row(self.path_edit, self.choose_file)
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("What the import changed, or why it was refused, appears here.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.ApplyRole)
        self.import_button.clicked.connect(self.import_now)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.result, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self._path_changed()

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def _path_changed(self) -> None:
        self.import_button.setEnabled(bool(self.path_edit.text().strip()))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import reviewed spreadsheet", self.start_dir,
                                              "Excel workbooks (*.xlsx)")
        if path:
            self.set_path(path)

    def result_text(self) -> str:
        return self.result.toPlainText()

    def import_now(self) -> ImportSummary | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.is_file():
            self.result.setPlainText(f"There is no file {path}.")
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = import_review(self.project, path, task=self.task)
        except ImportRejected as exc:
            self.result.setPlainText(str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.summary = summary
        self.result.setPlainText(summary.text())
        self.imported.emit(summary)
        return summary


def open_import_dialog(window: Any, start_dir: str) -> ImportDialog | None:
    """The File menu's action: the dialog for the window's project and task; the review and the
    report list re-read the project after an import."""
    if window.project is None or window.task is None:
        window.inform("Import reviewed spreadsheet", "Open a project and choose a task first.")
        return None
    dlg = ImportDialog(window.project, window.task, start_dir, window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def imported(summary: ImportSummary) -> None:
        window.review.refresh()
        window.browser.model.refresh_statuses()
        window.status.showMessage(summary.text(), 15000)

    dlg.imported.connect(imported)
    dlg.open()
    return dlg
