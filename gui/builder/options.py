"""The options of one choice field as a Qt table model (value, meaning).

Edits become undo commands; the model follows the draft's
``options_changed`` event, so undo and redo show up at once.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack

from core.task import Field
from gui.builder.commands import SetOptionAttrs
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
        if role == Qt.ItemDataRole.ToolTipRole and name == "value" and not option.value.strip():
            return "Type the option the model should answer, e.g. 'left upper lobe'."
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
