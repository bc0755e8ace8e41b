"""The field tree as a Qt item model: a thin adapter over a TaskDraft.

Columns: key, label, type.  The model never changes the draft itself:
edits, ``moveRows`` and drops become undo commands on the shared
``QUndoStack``; the model follows the draft's events and tells views.
Fields with problems get an error icon and the reasons as tooltip.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from core.task import Field
from gui.builder.commands import MoveField, SetFieldAttrs
from gui.builder.draft import Parent, TaskDraft

MIME_TYPE = "application/x-abstractor-field-rows"
COLUMNS = ("Key", "Label", "Type")
KEY_COL, LABEL_COL, TYPE_COL = range(3)

AnyIndex = QModelIndex | QPersistentModelIndex


class FieldTreeModel(QAbstractItemModel):
    def __init__(self, draft: TaskDraft, stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.draft = draft
        self.stack = stack
        self._problems: dict[int, list[str]] = {}
        self._error_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        ev = draft.events
        ev.resetting.connect(self.beginResetModel)
        ev.reset.connect(self._after_reset)
        ev.inserting.connect(lambda p, r: self.beginInsertRows(self.index_of(p), r, r))
        ev.inserted.connect(lambda p, r: self.endInsertRows())
        ev.removing.connect(lambda p, r: self.beginRemoveRows(self.index_of(p), r, r))
        ev.removed.connect(lambda p, r: self.endRemoveRows())
        ev.moving.connect(self._before_move)
        ev.moved.connect(lambda *_: self.endMoveRows())
        ev.field_changed.connect(self._field_changed)
        ev.changed.connect(self.refresh_problems)
        self.refresh_problems()

    # ---- draft <-> index -----------------------------------------------------
    def field(self, index: AnyIndex) -> Field | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, field: Parent, column: int = 0) -> QModelIndex:
        if field is None:
            return QModelIndex()
        return self.createIndex(self.draft.row_of(field), column, field)

    def _before_move(self, src: Parent, row: int, dst: Parent, dst_row: int) -> None:
        ok = self.beginMoveRows(self.index_of(src), row, row, self.index_of(dst), dst_row)
        assert ok, "the draft announced an impossible move"

    def _after_reset(self) -> None:
        self.endResetModel()

    def _field_changed(self, field: Field, names: tuple[str, ...]) -> None:
        if self.draft.contains(field):
            self.dataChanged.emit(self.index_of(field, 0), self.index_of(field, TYPE_COL))

    # ---- problems ------------------------------------------------------------
    def problems_of(self, field: Field) -> list[str]:
        return self._problems.get(id(field), [])

    def refresh_problems(self) -> None:
        _, new = self.draft.problems_by_field()
        changed = {k for k in set(new) | set(self._problems) if new.get(k) != self._problems.get(k)}
        self._problems = new
        for f in self.draft.walk():
            if id(f) in changed:
                idx = self.index_of(f)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])

    # ---- structure -------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self.draft.children(self.field(parent))
        if not (0 <= row < len(children) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: AnyIndex = QModelIndex()):  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        return self.index_of(self.draft.parent_of(index.internalPointer()))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.draft.children(self.field(parent)))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    # ---- data --------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        f = self.field(index)
        if f is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (f.key, f.label, f.type.label)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == KEY_COL and self.problems_of(f):
            return self._error_icon
        if role == Qt.ItemDataRole.ToolTipRole:
            msgs = self.problems_of(f)
            if msgs:
                return "\n".join(msgs)
            return f.description or None
        if role == Qt.ItemDataRole.FontRole and f.type.has_children:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        f = self.field(index)
        if f is None:
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if index.column() in (KEY_COL, LABEL_COL):
            flags |= Qt.ItemFlag.ItemIsEditable
        if f.type.has_children:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        f = self.field(index)
        if f is None or role != Qt.ItemDataRole.EditRole or index.column() not in (KEY_COL, LABEL_COL):
            return False
        name = "key" if index.column() == KEY_COL else "label"
        value = str(value).strip()
        if getattr(f, name) != value:
            self.stack.push(SetFieldAttrs(self.draft, f, {name: value}, text=f"Change {name}"))
        return True

    # ---- moving ------------------------------------------------------------------
    def moveRows(self, source_parent: AnyIndex, source_row: int, count: int,  # noqa: N802
                 destination_parent: AnyIndex, destination_child: int) -> bool:
        """Move one row (Qt's convention: ``destination_child`` counts rows before the move)."""
        if count != 1:
            return False
        src = self.field(source_parent)
        dst = self.field(destination_parent)
        siblings = self.draft.children(src)
        if not 0 <= source_row < len(siblings):
            return False
        return self._push_move(siblings[source_row], dst, destination_child)

    def _push_move(self, field: Field, dst: Parent, qt_row: int) -> bool:
        if dst is not None and (not dst.type.has_children or self.draft.is_ancestor(field, dst)):
            return False
        src, src_row = self.draft.locate(field)
        n = len(self.draft.children(dst))
        qt_row = n if qt_row < 0 else qt_row
        if not 0 <= qt_row <= n:
            return False
        row = qt_row - 1 if src is dst and qt_row > src_row else qt_row
        if src is dst and row == src_row:
            return True
        self.stack.push(MoveField(self.draft, field, dst, row, text=f"Move '{field.title}'"))
        return True

    # ---- drag and drop -------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        rows = []
        for idx in indexes:
            f = self.field(idx)
            if f is not None:
                path = list(self.draft.rows_path(f))
                if path not in rows:
                    rows.append(path)
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(json.dumps(rows).encode()))
        return data

    def _dragged(self, data: QMimeData) -> Field | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            rows = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
            if len(rows) != 1:
                return None
            return self.draft.field_at_rows(rows[0])
        except (ValueError, LookupError, IndexError, TypeError):
            return None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                        parent: AnyIndex) -> bool:
        field = self._dragged(data)
        if field is None or action not in (Qt.DropAction.MoveAction, Qt.DropAction.IgnoreAction):
            return False
        dst = self.field(parent)
        return dst is None or (dst.type.has_children and not self.draft.is_ancestor(field, dst))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        # The move is done here, as one undoable command.  removeRows() is not
        # implemented, so the view's "remove the source after a move" does nothing.
        return self._push_move(self._dragged(data), self.field(parent), row)
