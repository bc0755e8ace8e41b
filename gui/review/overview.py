"""The overview pane: the filter bar above the reports × fields grid."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from core.review import ReviewData, ReviewFilter
from gui.review.overview_model import COL_CONFIDENCE, COL_STATUS, FIELD_ROLE, REPORT_ROLE, OverviewFilter, OverviewModel


MIN_ROWS_SHOWN = 5   # the grid never gets so small that fewer rows show


class OverviewPane(QWidget):
    """Filter bar and grid.  ``cell_opened(report_id, field_key)`` on double-click or Enter."""

    cell_opened = Signal(str, str)
    filters_changed = Signal()
    current_report_moved = Signal(str)   # the grid's current row moved to another report

    def __init__(self, data: ReviewData, parent: QWidget | None = None):
        super().__init__(parent)
        self.review = data
        self.model = OverviewModel(data, self)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.kind = QComboBox(self)
        self.kind.setObjectName("filter_kind")
        for kind in ReviewFilter:
            self.kind.addItem(kind.label, kind.value)
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
        rows = self.table.verticalHeader()   # compact rows: five or more fit on a 700-pixel-high screen
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setResizeContentsPrecision(50)  # size columns from a sample of rows
        self._fitted: tuple[int, bool] | None = None
        self.model.modelReset.connect(lambda: self._fit_columns(only_if_new=True))
        self.table.doubleClicked.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
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
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + MIN_ROWS_SHOWN * rows.defaultSectionSize() + 2 * self.table.frameWidth()
                                    + self.table.horizontalScrollBar().sizeHint().height())
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
        shape = (self.model.columnCount(), self.model.rowCount() > 0,
                 any(e.result is not None for e in self.review.entries.values()))
        if only_if_new and shape == self._fitted:
            return
        self._fitted = shape
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            self.table.setColumnWidth(c, min(max(self.table.columnWidth(c) + 8, 70), 260))
        status_w = self.table.fontMetrics().horizontalAdvance("Reviewed (re-run)") + 16
        if self.model.columnCount() > COL_STATUS:
            self.table.setColumnWidth(COL_STATUS, max(self.table.columnWidth(COL_STATUS), status_w))

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

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # only the reviewer's moves (click, arrow keys): Qt also moves the current row when a
        # filter hides the report, and the form must not jump then
        rid = current.data(REPORT_ROLE) if current.isValid() else None
        if rid and self.table.hasFocus():
            self.current_report_moved.emit(rid)

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
