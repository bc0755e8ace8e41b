"""The options of a choice field: a Qt table model (value, meaning) and its editor box.

Edits become undo commands; the model follows the draft's
``options_changed`` event, so undo and redo show up at once.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QGroupBox, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout,
    QWidget)

from core.task import Field, Option
from gui.builder.commands import InsertOption, MoveOption, RemoveOption, SetFieldAttrs, SetOptionAttrs
from gui.builder.draft import TaskDraft

COLUMNS = (("value", "Option"), ("description", "Meaning, synonyms (optional)"))
HEADER_TIPS = ("What the model answers, spelled exactly like this, e.g. 'left upper lobe'.",
               "Helps the model choose: what the option means, Dutch terms, abbreviations.")

AnyIndex = QModelIndex | QPersistentModelIndex


class OptionsModel(QAbstractTableModel):
    def __init__(self, draft: TaskDraft, stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.draft = draft
        self.stack = stack
        self._field: Field | None = None
        self._rows = 0
        draft.events.options_changed.connect(self._options_changed)
        draft.events.reset.connect(lambda: self.set_field(None))

    def field(self) -> Field | None:
        return self._field

    def set_field(self, field: Field | None) -> None:
        self.beginResetModel()
        self._field = field
        self._rows = len(field.options) if field is not None else 0
        self.endResetModel()

    def _options_changed(self, field: Field) -> None:
        if field is not self._field:
            return
        n = len(field.options)
        if n != self._rows:
            self.set_field(field)  # rows came or went: simplest correct answer for views
        elif n:
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return HEADER_TIPS[section]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1] if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._field is None or index.row() >= len(self._field.options):
            return None
        option = self._field.options[index.row()]
        name = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(option, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "value" and not option.value.strip():
                return "Type the option the model should answer, e.g. 'left upper lobe'."
            return getattr(option, name) or None  # the whole text, when the cell is too narrow
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._field is None:
            return False
        name = COLUMNS[index.column()][0]
        value = str(value).strip()
        if getattr(self._field.options[index.row()], name) != value:
            what = "option" if name == "value" else "option meaning"
            self.stack.push(SetOptionAttrs(self.draft, self._field, index.row(), {name: value},
                                           text=f"Edit {what}"))
        return True


class OptionsEditor(QGroupBox):
    """The options table with Add / Remove / Move buttons and the "ordered scale" check box."""

    def __init__(self, draft: TaskDraft, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__("Options", parent)
        self.draft, self.stack = draft, stack
        self.model = OptionsModel(draft, stack, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setMinimumHeight(140)
        self.add_button = QPushButton("Add option")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.ordered_check = QCheckBox("Ordered scale (options go from low to high)")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.ordered_check)
        self.add_button.clicked.connect(self.add_option)
        self.remove_button.clicked.connect(self.remove_option)
        self.up_button.clicked.connect(lambda: self.move_option(-1))
        self.down_button.clicked.connect(lambda: self.move_option(+1))
        self.ordered_check.toggled.connect(self._ordered_toggled)

    def set_field(self, field: Field | None) -> None:
        """Show ``field``'s options (None, or a field without options, empties the table)."""
        self.model.set_field(field if field is not None and field.type.has_options else None)
        self.refresh()

    def refresh(self) -> None:
        f = self.model.field()
        self.ordered_check.blockSignals(True)
        self.ordered_check.setChecked(bool(f and f.ordered))
        self.ordered_check.blockSignals(False)

    @Slot()
    def add_option(self) -> None:
        f = self.model.field()
        if f is None:
            return
        row = len(f.options)
        self.stack.push(InsertOption(self.draft, f, row, Option(value="")))
        idx = self.model.index(row, 0)
        self.view.setCurrentIndex(idx)
        self.view.edit(idx)

    @Slot()
    def remove_option(self) -> None:
        f, row = self.model.field(), self.view.currentIndex().row()
        if f is not None and 0 <= row < len(f.options):
            self.stack.push(RemoveOption(self.draft, f, row))
            if f.options:  # keep a row selected, so "Remove" can be pressed again
                self.view.setCurrentIndex(self.model.index(min(row, len(f.options) - 1), 0))

    def move_option(self, step: int) -> None:
        f, idx = self.model.field(), self.view.currentIndex()
        if f is None or not idx.isValid() or not 0 <= idx.row() + step < len(f.options):
            return
        self.stack.push(MoveOption(self.draft, f, idx.row(), idx.row() + step))
        self.view.setCurrentIndex(self.model.index(idx.row() + step, idx.column()))

    def _ordered_toggled(self, on: bool) -> None:
        f = self.model.field()
        if f is not None and f.ordered != on:
            self.stack.push(SetFieldAttrs(self.draft, f, {"ordered": on}, text="Change 'ordered scale'"))
