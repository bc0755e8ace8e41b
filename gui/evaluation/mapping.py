"""Step 1 of the evaluation: pick the gold file, say which column holds the report id
and which column holds which field.

The page only shows and edits a :class:`core.evaluation.project.GoldColumns`;
reading the file is the dialog's job (``file_selected(path)``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHeaderView,
                               QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.evaluation.project import GoldColumns
from gui.path_row import path_row

GOLD_FILTER = "Gold labels (*.csv *.xlsx *.json);;Spreadsheets (*.csv *.xlsx);;DRAGON ground truth (*.json)"
NOT_USED = "(not used)"
INTRO = ("Gold labels are the correct answers, for example from a registry or a second reader. Use a spreadsheet "
         "(.csv or .xlsx) with one row per report: one column with the report's file name or id, and one column per "
         "field you labelled. A DRAGON ground-truth .json file works too.")


class MappingPage(QWidget):
    file_selected = Signal(str)
    changed = Signal()

    def __init__(self, fields: list[tuple[str, str]], start_dir: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = fields            # (path, label) a column can be matched to
        self.start_dir = start_dir
        self.gold: GoldColumns | None = None
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Choose the file with the gold labels")
        self.path_edit.editingFinished.connect(self._path_edited)
        row = path_row(self.path_edit, self.choose_file)
        self.id_combo = QComboBox()
        self.id_combo.setToolTip("The column that says which report a row belongs to (file name or report id).")
        self.id_combo.currentIndexChanged.connect(self._id_changed)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column in the gold file", "Examples", "Field of the task"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(2, 260)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Gold labels:", row)
        form.addRow("Report id column:", self.id_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.show_columns(None)

    # ---- state ------------------------------------------------------------------------------
    def path(self) -> str:
        return self.path_edit.text().strip()

    def id_column(self) -> str | None:
        return self.id_combo.currentData()

    def set_id_column(self, column: str) -> None:
        self.id_combo.setCurrentIndex(self.id_combo.findData(column))

    def combo(self, column: str) -> QComboBox | None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == column:
                return self.table.cellWidget(r, 2)
        return None

    def set_field(self, column: str, path: str | None) -> None:
        box = self.combo(column)
        if box is not None:
            box.setCurrentIndex(max(box.findData(path), 0))

    def mapping(self) -> dict[str, str]:
        out = {}
        for r in range(self.table.rowCount()):
            col = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            box = self.table.cellWidget(r, 2)
            path = box.currentData() if box is not None else None
            if path and col != self.id_column():
                out[col] = path
        return out

    def problem(self) -> str | None:
        """Why the evaluation cannot start yet, in plain words; None when it can."""
        if self.gold is None:
            return "Choose the file with the gold labels."
        if self.gold.is_dragon:
            return None
        if not self.id_column():
            return "Choose the column that holds the report's file name or id."
        mapped = list(self.mapping().values())
        if not mapped:
            return "Match at least one column to a field of the task."
        twice = sorted({p for p in mapped if mapped.count(p) > 1})
        if twice:
            labels = dict(self.fields)
            return "Each field can come from one column only: " + ", ".join(labels.get(p, p) for p in twice) + "."
        return None

    # ---- showing -------------------------------------------------------------------------------
    def show_columns(self, gold: GoldColumns | None) -> None:
        self.gold = gold
        self.table.setRowCount(0)
        self.id_combo.blockSignals(True)
        self.id_combo.clear()
        self.id_combo.addItem("(choose a column)", None)
        dragon = gold is not None and gold.is_dragon
        for col in gold.columns if gold else []:
            self.id_combo.addItem(col or "(no name)", col)
            self._add_row(col, gold.examples.get(col, []), gold.mapping.get(col))
        if gold is not None and gold.id_column:
            self.id_combo.setCurrentIndex(self.id_combo.findData(gold.id_column))
        self.id_combo.blockSignals(False)
        self.id_combo.setEnabled(gold is not None and not dragon)
        self.table.setVisible(not dragon)
        self._update_rows()
        self._update_summary()

    def _add_row(self, column: str, examples: list[str], path: str | None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        item = QTableWidgetItem(column or "(no name)")
        item.setData(Qt.ItemDataRole.UserRole, column)
        self.table.setItem(r, 0, item)
        ex = QTableWidgetItem(", ".join(examples) if examples else "(empty)")
        ex.setForeground(self.palette().placeholderText())
        self.table.setItem(r, 1, ex)
        self.table.setCellWidget(r, 2, self._combo(path))

    def _combo(self, path: str | None) -> QComboBox:
        box = QComboBox()
        box.addItem(NOT_USED, None)
        for fpath, label in self.fields:
            box.addItem(label, fpath)
            box.setItemData(box.count() - 1, fpath, Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(box.findData(path), 0))
        box.currentIndexChanged.connect(self._update_summary)
        return box

    def _update_rows(self) -> None:
        """The id column is not a field: words instead of a field choice."""
        for r in range(self.table.rowCount()):
            is_id = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == self.id_column()
            if is_id and self.table.cellWidget(r, 2) is not None:
                self.table.cellWidget(r, 2).hide()     # deleted later; not shown meanwhile
                self.table.removeCellWidget(r, 2)
                item = QTableWidgetItem("the report id")
                item.setForeground(self.palette().placeholderText())
                self.table.setItem(r, 2, item)
            elif not is_id and self.table.cellWidget(r, 2) is None:
                self.table.setItem(r, 2, QTableWidgetItem(""))
                self.table.setCellWidget(r, 2, self._combo(None))

    @Slot()
    def _update_summary(self) -> None:
        gold = self.gold
        if gold is None:
            text = ""
        elif gold.is_dragon:
            text = ("DRAGON ground truth: each label is matched to the task's fields by the DRAGON task, and "
                    "each case (uid) to a report.")
        else:
            n = len(self.mapping())
            text = (f"{gold.rows} rows. {n} of {len(gold.columns) - bool(self.id_column())} columns matched to "
                    "fields; the others are not used.")
        problem = self.problem() if gold is not None else None
        self.summary.setText(text + (f"  {problem}" if problem else ""))
        self.changed.emit()

    def _id_changed(self) -> None:
        self._update_rows()
        self._update_summary()

    # ---- choosing the file ------------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the gold labels", self.path() or self.start_dir,
                                              GOLD_FILTER)
        if path:
            self.path_edit.setText(path)
            self.file_selected.emit(path)

    def _path_edited(self) -> None:
        if self.path() and (self.gold is None or str(self.gold.path) != self.path()):
            self.file_selected.emit(self.path())
