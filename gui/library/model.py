"""Qt table model over a list of :class:`gui.library.entries.LibraryEntry`."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from gui.library.entries import KIND_LABELS, LibraryEntry

COLUMNS = ("Task", "Fields", "Kind")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class TaskLibraryModel(QAbstractTableModel):
    def __init__(self, entries: list[LibraryEntry] | None = None, parent=None):
        super().__init__(parent)
        self._entries: list[LibraryEntry] = list(entries or [])
        self.active_hash: str | None = None     # the task in use in the open project

    def is_active(self, e: LibraryEntry) -> bool:
        return self.active_hash is not None and e.task.hash() == self.active_hash

    def set_active(self, task_hash: str | None) -> None:
        self.active_hash = task_hash
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, len(COLUMNS) - 1))

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
            title = f"{e.title}  ✓ in use" if col == 0 and self.is_active(e) else e.title
            return (title, str(e.field_count()), KIND_LABELS[e.kind])[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.title + (f"\n{e.task.description}" if e.task.description else "")
        if role == Qt.ItemDataRole.FontRole and self.is_active(e):
            font = QFont()
            font.setBold(True)
            return font
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
