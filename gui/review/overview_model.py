"""The overview grid's models: reports × fields over :class:`ReviewData`.

:class:`OverviewModel` is a thin table model over the review's entries;
:class:`OverviewFilter` applies the review filters and sorts by
:data:`SORT_ROLE` (numbers as numbers, confidence lowest first).
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from core.review import ReviewData, ReviewFilter, matches
from core.review.values import EMPTY, confidence_text, display
from gui.review.palette import CORRECTED, LOW_CONFIDENCE, tint
from gui.review.presenter import field_warnings

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REPORT_ROLE = Qt.ItemDataRole.UserRole + 2
FIELD_ROLE = Qt.ItemDataRole.UserRole + 3
CONFIDENCE_ROLE = Qt.ItemDataRole.UserRole + 4
MISMATCH_ROLE = Qt.ItemDataRole.UserRole + 5   # why the evidence does not show the value, else None
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
                return e.status.label + (" (re-run)" if e.rerun_after_review else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                if e.state is not None:
                    text = f"{e.status.label} by {e.state.reviewer} on {e.state.at}"
                    return text + (f": {e.state.comment}" if e.state.comment else "")
                if e.failed:
                    return e.result.reason or "The model's answer could not be used."
                return e.skip_reason or e.status.label
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
                if c is None:   # a result without token probabilities (a server that returns none)
                    return "Not run yet" if e.result is None else "Model confidence: not available"
                return f"Lowest model confidence of this report: {round(100 * c)}%"
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
            text = display(f, v)
            return f"⚠ {text}" if e.evidence_mismatch(f) else text
        if role == MISMATCH_ROLE:
            return e.evidence_mismatch(f)
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
                lines.append(f"Model confidence: {confidence_text(c) if c is not None else 'not available'}")
            warnings, mismatch = field_warnings(e, f)
            if mismatch:
                lines.append(f"⚠ Evidence does not show this value. {mismatch}")
            lines.extend(f"⚠ {w}" for w in warnings)
            return "\n".join(lines)
        return None


class OverviewFilter(QSortFilterProxyModel):
    """The review filters: a kind (unreviewed, failed …), a threshold, and a field value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind = ReviewFilter.ALL
        self.threshold = 0.5
        self.field_key = ""
        self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filter(self, kind: ReviewFilter | str | None = None, threshold: float | None = None,
                   field_key: str | None = None, text: str | None = None) -> None:
        self.beginFilterChange()
        if kind is not None:
            self.kind = ReviewFilter(kind)
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
        return matches(e, self.kind, self.threshold, src.review.fields, self.field_key, self.text)

    def report_ids(self) -> list[str]:
        """Report ids in the order shown."""
        return [self.index(r, 0).data(REPORT_ROLE) for r in range(self.rowCount())]
