"""Editors for groups (a box of sub-fields) and repeating groups (a table)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.task import Field, FieldType
from gui.review.editors import FieldEditor, make_editor
from gui.review.inputs import inner_widget
from core.review.values import display

ROLE = Qt.ItemDataRole.UserRole


class GroupEditor(FieldEditor):
    """A group: its sub-fields in a titled box; the value is one dict."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(field, parent)
        self.box = QGroupBox(field.title, self)
        self.box.setObjectName(f"editor_{field.key}")
        form = QFormLayout(self.box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.children_editors: dict[str, FieldEditor] = {}
        for child in field.fields:
            ed = make_editor(child, self.box)
            ed.edited.connect(self._maybe_emit)
            self.children_editors[child.key] = ed
            label = child.title + (f" ({child.unit})" if child.unit and not child.type.is_number else "")
            form.addRow(label + ":", ed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        first = next(iter(self.children_editors.values()), None)
        if first is not None:
            self.setFocusProxy(first)

    def value(self) -> Any:
        return {k: ed.value() for k, ed in self.children_editors.items()}

    def _put(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for k, ed in self.children_editors.items():
            ed.set_value(value.get(k))

    def flush(self) -> None:
        for ed in self.children_editors.values():
            ed.flush()
        self._maybe_emit()

    def clear_value(self) -> None:
        self.set_value(self._committed)  # keep the baseline, then empty every part
        for ed in self.children_editors.values():
            ed._put(None)
        self._maybe_emit()

    def focus_target(self) -> QWidget:
        first = next(iter(self.children_editors.values()), None)
        return first.focus_target() if first is not None else self


class _CellDelegate(QStyledItemDelegate):
    """Edits a table cell with the same widget the sub-field gets in a form."""

    def __init__(self, fields: list[Field], parent: QWidget):
        super().__init__(parent)
        self.fields = fields
        self.open_editors: list[QWidget] = []

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        w = inner_widget(self.fields[index.column()], parent)
        w.setAutoFillBackground(True)
        self.open_editors.append(w)
        w.destroyed.connect(lambda *_a, w=w: self.open_editors.remove(w) if w in self.open_editors else None)
        return w

    def destroyEditor(self, editor: QWidget, index) -> None:
        if editor in self.open_editors:
            self.open_editors.remove(editor)
        super().destroyEditor(editor, index)

    def commit_open_editors(self) -> None:
        for w in list(self.open_editors):
            self.commitData.emit(w)

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.put(index.data(ROLE))

    def setModelData(self, editor: QWidget, model, index) -> None:
        if isinstance(editor, QAbstractSpinBox):  # take what is typed but not yet confirmed
            editor.interpretText()
        f = self.fields[index.column()]
        v = editor.get()
        model.setData(index, v, ROLE)
        model.setData(index, display(f, v), Qt.ItemDataRole.DisplayRole)


class GroupListEditor(FieldEditor):
    """A repeating group: one table row per item.  Insert adds a row, Delete removes one."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(field, parent)
        self.fields = list(field.fields)
        self.table = QTableWidget(0, len(self.fields), self)
        self.table.setObjectName(f"editor_{field.key}")
        self.table.setAccessibleName(field.title)
        self.table.setHorizontalHeaderLabels([f.title + (f" ({f.unit})" if f.unit else "") for f in self.fields])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setTabKeyNavigation(False)  # Tab goes to the next field; arrows move between cells
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegate(_CellDelegate(self.fields, self.table))
        self.table.itemChanged.connect(self._maybe_emit)
        self.table.installEventFilter(self)
        self.add_button = QPushButton("Add row", self)
        self.add_button.setToolTip("Add a row (Insert key in the table)")
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("Remove row", self)
        self.remove_button.setToolTip("Remove the selected row (Delete key in the table)")
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.setFocusProxy(self.table)
        self._fit()

    # ---- value ---------------------------------------------------------------
    def value(self) -> Any:
        rows = []
        for r in range(self.table.rowCount()):
            rows.append({f.key: (self.table.item(r, c).data(ROLE) if self.table.item(r, c) else None)
                         for c, f in enumerate(self.fields)})
        return rows

    def _put(self, value: Any) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for item in value if isinstance(value, list) else []:
                self._append(item if isinstance(item, dict) else {})
        finally:
            self.table.blockSignals(False)
        self._fit()

    def _append(self, item: dict) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, f in enumerate(self.fields):
            v = item.get(f.key)
            cell = QTableWidgetItem(display(f, v))
            cell.setData(ROLE, v)
            if f.type in (FieldType.GROUP, FieldType.GROUP_LIST):
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setToolTip("Nested groups cannot be edited in a table cell.")
            self.table.setItem(r, c, cell)

    # ---- rows ----------------------------------------------------------------
    def add_row(self) -> None:
        self.table.blockSignals(True)
        self._append({})
        self.table.blockSignals(False)
        self._fit()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self._maybe_emit()

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0 and self.table.rowCount():
            r = self.table.rowCount() - 1
        if r >= 0:
            self.table.removeRow(r)
            self._fit()
            self._maybe_emit()

    def clear_value(self) -> None:
        self._put([])
        self._maybe_emit()

    def _fit(self) -> None:
        h = self.table.horizontalHeader().sizeHint().height()
        row_h = self.table.verticalHeader().defaultSectionSize()
        rows = min(max(self.table.rowCount(), 2), 8)
        self.table.setFixedHeight(h + rows * row_h + 2 * self.table.frameWidth() + 2)
        self.remove_button.setEnabled(self.table.rowCount() > 0)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress and \
                self.table.state() != QAbstractItemView.State.EditingState:
            if event.key() == Qt.Key.Key_Insert:
                self.add_row()
                return True
            if event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.remove_row()
                return True
        return False

    def flush(self) -> None:
        self.table.itemDelegate().commit_open_editors()
        self._maybe_emit()

    def focus_target(self) -> QWidget:
        return self.table
