"""Qt table model over a list of :class:`gui.library.entries.LibraryEntry`."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from gui.library.entries import KIND_LABELS, LibraryEntry

COLUMNS = ("Task", "Fields", "Kind")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class TaskLibraryModel(QAbstractTableModel):
    def __init__(self, entries: list[LibraryEntry] | None = None, parent=None):
        super().__init__(parent)
        self._entries: list[LibraryEntry] = list(entries or [])

    def set_entries(self, entries: list[LibraryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[LibraryEntry]:
        return list(self._entries)

    def entry(self, row: int) -> LibraryEntry:
        return self._entries[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        e, col = self._entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (e.title, str(e.field_count()), KIND_LABELS[e.kind])[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.task.description or e.title
        if role == ENTRY_ROLE:
            return e
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None
