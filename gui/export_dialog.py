"""File › Export: choose a format and layout, see the columns, pick the file, export.

The preview reads only the first few reports (:mod:`gui.export_preview`),
so it stays instant on a 10,000-report project.  Problems writing the file (it is
open in Excel, a folder has that name, the disk is full) are shown in the
dialog as :class:`core.export.ExportError` words them.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QButtonGroup, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QRadioButton, QSplitter, QStackedWidget, QTableView,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from openpyxl.utils import get_column_letter

from core.export import ExportError, export
from gui.dialogs.model_dialog import ERROR_STYLE
from gui.export_preview import FORMAT_BY_KEY, FORMATS, KNOWN_SUFFIXES, FirstReports, Format, PreviewModel, preview
from gui.path_row import path_row

log = logging.getLogger(__name__)

class ExportDialog(QDialog):
    """Emits ``exported(list of Path)`` after a successful export, then closes."""

    exported = Signal(list)

    def __init__(self, project: Any, task: Any, start_path: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self.task = project, task
        self.written: list[Path] = []
        self.setWindowTitle("Export results")
        self.format_combo = QComboBox()
        for f in FORMATS:
            self.format_combo.addItem(f.label, f.key)
        self.one_per_option = QRadioButton("One column per option (1 = chosen, 0 = not chosen)")
        self.joined = QRadioButton("One column with the chosen options, separated by “; ”")
        self.one_per_option.setChecked(True)
        self.layout_group = QButtonGroup(self)
        for b in (self.one_per_option, self.joined):
            self.layout_group.addButton(b)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Where to save the export")
        self.path_edit.setClearButtonEnabled(True)
        chooser = path_row(self.path_edit, self.choose_path)
        self.path_note = QLabel()
        self.path_note.setEnabled(False)
        self.path_note.setWordWrap(True)

        self.preview_model = PreviewModel(self)
        self.preview_table = QTableView()
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.preview_table.verticalHeader().setDefaultSectionSize(22)
        self.column_list = QTreeWidget()
        self.column_list.setHeaderLabels(["", "Columns"])
        self.column_list.setRootIsDecorated(False)
        self.column_list.setColumnWidth(0, 36)
        self.column_list.setToolTip("The columns of the Results table, with their spreadsheet letters. "
                                    "Click one to see it in the preview.")
        self.column_list.currentItemChanged.connect(
            lambda item, _old: item is not None and self._show_column(self.column_list.indexOfTopLevelItem(item)))
        self.preview_json = QPlainTextEdit()
        self.preview_json.setReadOnly(True)
        self.preview_json.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.preview_table)
        self.preview_stack.addWidget(self.preview_json)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)

        self.message = QLabel()
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Format:", self.format_combo)
        form.addRow("Multiple choice:", self.one_per_option)
        form.addRow("", self.joined)
        form.addRow("Save to:", chooser)
        form.addRow("", self.path_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        self.preview_splitter = QSplitter()
        self.preview_splitter.addWidget(self.column_list)
        self.preview_splitter.addWidget(self.preview_stack)
        self.preview_splitter.setStretchFactor(1, 1)
        self.preview_splitter.setSizes([230, 630])
        self.preview_splitter.setChildrenCollapsible(False)
        layout.addWidget(self.preview_splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 540)

        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.layout_group.buttonToggled.connect(lambda _b, on: on and self.refresh_preview())
        self.path_edit.textChanged.connect(self._path_changed)
        self.set_path(start_path or "")
        self._format_changed()

    # ---- state -----------------------------------------------------------------------------
    def format(self) -> Format:
        return FORMAT_BY_KEY[self.format_combo.currentData()]

    def set_format(self, key: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(key))

    def multi_choice(self) -> str:
        return "joined" if self.joined.isChecked() else "columns"

    def set_multi_choice(self, mode: str) -> None:
        (self.joined if mode == "joined" else self.one_per_option).setChecked(True)

    def path(self) -> Path | None:
        """The target with the format's suffix (replacing another export suffix, else added)."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        p, suffix = Path(text).expanduser(), self.format().suffix
        if p.suffix.lower() == suffix:
            return p
        return p.with_suffix(suffix) if p.suffix.lower() in KNOWN_SUFFIXES else p.with_name(p.name + suffix)

    @Slot(str)
    def set_path(self, path: str | Path) -> None:
        if self.path_edit.text() == str(path):
            self._path_changed()   # same name, but the disk may have changed
        self.path_edit.setText(str(path))

    def preview_headers(self) -> list[str]:
        return list(self.preview_model.headers)

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    # ---- reacting ------------------------------------------------------------------------------
    def _format_changed(self) -> None:
        fmt = self.format()
        for b in (self.one_per_option, self.joined):
            b.setEnabled(fmt.tabular)
        p = self.path()
        if p is not None and p != Path(self.path_edit.text().strip()):
            self.set_path(p)
        self.refresh_preview()
        self._path_changed()

    def _path_changed(self) -> None:
        self.message.hide()
        p = self.path()
        note = ""
        if p is None:
            note = "Choose where to save the export."
        elif p.is_dir():
            note = f"There is a folder called “{p.name}”; choose another name."
        elif p.exists():
            note = f"“{p.name}” already exists and will be replaced."
        elif not p.parent.is_dir():
            note = f"The folder {p.parent} does not exist."
        self.path_note.setText(note)
        self.path_note.setVisible(bool(note))
        self.export_button.setEnabled(p is not None)

    @Slot()
    def refresh_preview(self) -> None:
        fmt = self.format()
        p = preview(FirstReports(self.project), self.task, fmt, self.multi_choice())
        self.preview_model.set_table(p.headers, p.rows)
        self.column_list.clear()
        if fmt.tabular:
            self.preview_table.resizeColumnsToContents()
            for c in range(len(p.headers)):
                self.preview_table.setColumnWidth(c, min(self.preview_table.columnWidth(c), 260))
            self.column_list.addTopLevelItems([QTreeWidgetItem([get_column_letter(i), h])
                                               for i, h in enumerate(p.headers, 1)])
            self.preview_stack.setCurrentWidget(self.preview_table)
        else:
            self.preview_json.setPlainText(p.json_text)
            self.preview_stack.setCurrentWidget(self.preview_json)
        self.column_list.setVisible(fmt.tabular)
        self.preview_label.setText(p.note)

    def _show_column(self, column: int) -> None:
        if column >= 0 and self.preview_model.rowCount():
            self.preview_table.scrollTo(self.preview_model.index(0, column),
                                        QAbstractItemView.ScrollHint.PositionAtCenter)
            self.preview_table.selectColumn(column)

    @Slot()
    def choose_path(self) -> None:
        fmt = self.format()
        start = str(self.path() or "")
        path, _ = QFileDialog.getSaveFileName(self, "Export results", start, f"{fmt.filter};;All files (*)")
        if path:
            self.set_path(path)
            self.set_path(self.path())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    @Slot()
    def export_now(self) -> list[Path] | None:
        """Write the export; on success emit ``exported`` and close, else show why in the dialog."""
        path = self.path()
        if path is None:
            self.show_message("Choose where to save the export first.")
            return None
        fmt = self.format()
        opts = dict(fmt.options)
        if fmt.tabular:
            opts["multi_choice"] = self.multi_choice()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export(self.project, self.task, path, **opts)
        except ExportError as exc:
            self.show_message(str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - never a traceback for the user
            log.exception("export failed")
            self.show_message(f"The export failed: {exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.written = list(written)
        self.exported.emit(self.written)
        self.accept()
        return self.written
