"""The overview grid: reports × fields, filterable, sortable by confidence.

:class:`OverviewModel` is a thin table model over :class:`ReviewData`;
:class:`OverviewFilter` applies the review filters; :class:`OverviewPane`
holds the filter bar and the table.
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from gui.review.data import FILTERS, ReviewData, matches
from gui.review.palette import CORRECTED, LOW_CONFIDENCE, tint
from gui.review.values import EMPTY, confidence_text, display

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REPORT_ROLE = Qt.ItemDataRole.UserRole + 2
FIELD_ROLE = Qt.ItemDataRole.UserRole + 3
CONFIDENCE_ROLE = Qt.ItemDataRole.UserRole + 4
COL_REPORT, COL_STATUS, COL_CONFIDENCE = 0, 1, 2
FIXED_COLUMNS = 3
_NONE_TEXT = "\uffff"
_NONE_NUMBER = 1e300


class OverviewModel(QAbstractTableModel):
    def __init__(self, data: ReviewData, parent=None):
        super().__init__(parent)
        self.review = data
        self.threshold = 0.5
        self._row_of: dict[str, int] = {}
        data.on_about_to_reset.append(self.beginResetModel)
        data.on_reset.append(self._after_reset)
        data.on_changed.append(self._changed)
        self._after_reset(emit=False)

    def _after_reset(self, emit: bool = True) -> None:
        self._row_of = {rid: i for i, rid in enumerate(self.review.ids)}
        if emit:
            self.endResetModel()

    def _changed(self, report_id: str) -> None:
        r = self._row_of.get(report_id)
        if r is not None:
            self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))

    def set_threshold(self, threshold: float) -> None:
        self.threshold = threshold
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    # ---- shape ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.review.ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self.review.fields)

    def row_of(self, report_id: str) -> int:
        return self._row_of.get(report_id, -1)

    def field_key(self, column: int) -> str:
        return self.review.fields[column - FIXED_COLUMNS].key if column >= FIXED_COLUMNS else ""

    def column_of(self, key: str) -> int:
        for i, f in enumerate(self.review.fields):
            if f.key == key:
                return FIXED_COLUMNS + i
        return -1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < FIXED_COLUMNS:
                return ("Report", "Status", "Confidence")[section]
            return self.review.fields[section - FIXED_COLUMNS].title
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_CONFIDENCE:
                return "The model's lowest confidence over the report's fields (sort to see the least certain first)"
            if section >= FIXED_COLUMNS:
                f = self.review.fields[section - FIXED_COLUMNS]
                return f.description or f.title
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # ---- data ---------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                or not (0 <= index.column() < self.columnCount()):
            return None
        rid = self.review.ids[index.row()]
        e = self.review.entries[rid]
        col = index.column()
        if role == REPORT_ROLE:
            return rid
        if role == FIELD_ROLE:
            return self.field_key(col)
        if col == COL_REPORT:
            if role == Qt.ItemDataRole.DisplayRole:
                return rid
            if role == SORT_ROLE:
                return index.row()
            if role == Qt.ItemDataRole.ToolTipRole:
                return e.skip_reason or rid
            return None
        if col == COL_STATUS:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return e.status.capitalize() + (" (re-run)" if e.rerun_after_review else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                if e.state is not None:
                    text = f"{e.status.capitalize()} by {e.state.reviewer} on {e.state.at}"
                    return text + (f": {e.state.comment}" if e.state.comment else "")
                if e.failed:
                    return e.result.reason or "The model's answer could not be used."
                return e.skip_reason or e.status.capitalize()
            if role == Qt.ItemDataRole.BackgroundRole and e.failed:
                return tint(LOW_CONFIDENCE, 0.25)
            return None
        if col == COL_CONFIDENCE:
            c = e.min_confidence()
            if role == Qt.ItemDataRole.DisplayRole:
                return EMPTY if c is None or e.failed else f"{round(100 * c)}%"
            if role == Qt.ItemDataRole.ToolTipRole:
                if e.failed:
                    return "The model's answer could not be used (counts as least certain)"
                return "Not run yet" if c is None else f"Lowest model confidence of this report: {round(100 * c)}%"
            if role == SORT_ROLE:
                return 2.0 if c is None else float(c)
            if role == CONFIDENCE_ROLE:
                return c
            if role == Qt.ItemDataRole.BackgroundRole and c is not None and c < self.threshold:
                return tint(LOW_CONFIDENCE, 0.25)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        return self._field_data(e, self.review.fields[col - FIXED_COLUMNS], role)

    def _field_data(self, e, f, role: int) -> Any:
        v = e.value(f.key)
        c = e.confidence(f.key)
        corrected = f.key in e.reviews
        if role == Qt.ItemDataRole.DisplayRole:
            return display(f, v)
        if role == SORT_ROLE:
            if f.type.is_number:
                return float(v) if isinstance(v, (int, float)) and math.isfinite(v) else _NONE_NUMBER
            return _NONE_TEXT if v is None else display(f, v).casefold()
        if role == CONFIDENCE_ROLE:
            return c
        if role == Qt.ItemDataRole.BackgroundRole and not corrected and c is not None and c < self.threshold:
            return tint(LOW_CONFIDENCE, 0.25)
        if role == Qt.ItemDataRole.ForegroundRole and corrected:
            return CORRECTED
        if role == Qt.ItemDataRole.FontRole and corrected:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and f.type.is_number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{f.title}: {display(f, v)}"]
            if corrected:
                lines.append(f"Corrected by {e.reviews[f.key].reviewer} (model said "
                             f"{display(f, e.reviews[f.key].model_value)})")
            if e.result is not None:
                lines.append(f"Model confidence: {confidence_text(c)}")
            lines.extend(f"⚠ {w}" for w in e.warnings(f.key))
            return "\n".join(lines)
        return None


class OverviewFilter(QSortFilterProxyModel):
    """The review filters: a kind (unreviewed, failed …), a threshold, and a field value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = "all"
        self.threshold = 0.5
        self.field_key = ""
        self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filter(self, kind: str | None = None, threshold: float | None = None, field_key: str | None = None,
                   text: str | None = None) -> None:
        self.beginFilterChange()
        if kind is not None:
            self.kind = kind
        if threshold is not None:
            self.threshold = threshold
        if field_key is not None:
            self.field_key = field_key
        if text is not None:
            self.text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        src = self.sourceModel()
        if src is None or source_row >= len(src.review.ids):
            return False
        e = src.review.entries[src.review.ids[source_row]]
        return matches(e, self.kind, self.threshold, self.field_key, self.text, src.review)

    def report_ids(self) -> list[str]:
        """Report ids in the order shown."""
        return [self.index(r, 0).data(REPORT_ROLE) for r in range(self.rowCount())]


class OverviewPane(QWidget):
    """Filter bar and grid.  ``cell_opened(report_id, field_key)`` on double-click or Enter."""

    cell_opened = Signal(str, str)
    filters_changed = Signal()

    def __init__(self, data: ReviewData, parent: QWidget | None = None):
        super().__init__(parent)
        self.review = data
        self.model = OverviewModel(data, self)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.kind = QComboBox(self)
        self.kind.setObjectName("filter_kind")
        for key, label in FILTERS.items():
            self.kind.addItem(label, key)
        self.threshold = QSpinBox(self)
        self.threshold.setObjectName("filter_threshold")
        self.threshold.setRange(0, 100)
        self.threshold.setSuffix(" %")
        self.threshold.setValue(50)
        self.threshold.setToolTip("Fields below this model confidence count as low confidence")
        self.field = QComboBox(self)
        self.field.setObjectName("filter_field")
        self.text = QLineEdit(self)
        self.text.setObjectName("filter_text")
        self.text.setPlaceholderText("value contains…")
        self.text.setClearButtonEnabled(True)
        self.least_certain = QPushButton("Least certain first", self)
        self.least_certain.setToolTip("Sort by the model's confidence, lowest first")
        self.least_certain.clicked.connect(self.sort_least_certain)
        self.count = QLabel(self)
        self.table = QTableView(self)
        self.table.setObjectName("overview_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setResizeContentsPrecision(50)  # size columns from a sample of rows
        self._fitted: tuple[int, bool] | None = None
        self.model.modelReset.connect(lambda: self._fit_columns(only_if_new=True))
        self.table.doubleClicked.connect(self._activated)
        self.table.installEventFilter(self)
        show = QLabel("&Show:", self)
        show.setBuddy(self.kind)
        below = QLabel("below", self)
        fld = QLabel("F&ield:", self)
        fld.setBuddy(self.field)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (show, self.kind, below, self.threshold, fld, self.field, self.text, self.least_certain):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.kind.currentIndexChanged.connect(self._apply)
        self.threshold.valueChanged.connect(self._apply)
        self.field.currentIndexChanged.connect(self._apply)
        self.text.textChanged.connect(self._apply)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.fields_changed()

    def fields_changed(self) -> None:
        """Call after the task changed: refill the field choice, size the columns."""
        self.field.blockSignals(True)
        current = self.field.currentData()
        self.field.clear()
        self.field.addItem("Any field", "")
        for f in self.review.fields:
            self.field.addItem(f.title, f.key)
        i = self.field.findData(current)
        self.field.setCurrentIndex(max(i, 0))
        self.field.blockSignals(False)
        self._apply()
        self._fit_columns()

    def _fit_columns(self, only_if_new: bool = False) -> None:
        """Size columns to their contents; after a reload only when the shape is new
        (so widths the reviewer set by hand stay)."""
        shape = (self.model.columnCount(), self.model.rowCount() > 0)
        if only_if_new and shape == self._fitted:
            return
        self._fitted = shape
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            self.table.setColumnWidth(c, min(max(self.table.columnWidth(c) + 8, 70), 260))

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def sort_least_certain(self) -> None:
        self.table.sortByColumn(COL_CONFIDENCE, Qt.SortOrder.AscendingOrder)

    def threshold_value(self) -> float:
        return self.threshold.value() / 100.0

    def _apply(self) -> None:
        t = self.threshold_value()
        self.model.set_threshold(t)
        self.proxy.set_filter(self.kind.currentData(), t, self.field.currentData() or "", self.text.text())
        self._update_count()
        self.filters_changed.emit()

    def _update_count(self, *_args) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} reports")

    def select_report(self, report_id: str) -> None:
        r = self.model.row_of(report_id)
        if r < 0:
            return
        idx = self.proxy.mapFromSource(self.model.index(r, 0))
        if idx.isValid():
            cur = self.table.currentIndex()
            col = cur.column() if cur.isValid() else 0
            self.table.setCurrentIndex(self.proxy.index(idx.row(), col))
            self.table.scrollTo(idx)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            self._activated(self.table.currentIndex())
            return True
        return super().eventFilter(obj, event)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.cell_opened.emit(index.data(REPORT_ROLE), index.data(FIELD_ROLE) or "")
