"""The results table: one row per field, the counts and every metric.

:class:`MetricsModel` is a thin table model over a list of
:class:`core.evaluation.FieldMetrics`.  Rates show as percentages, other
metrics with three decimals, an undefined metric as "–" (with a tooltip
saying why).  ``SORT_ROLE`` gives raw numbers for sorting.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from core.evaluation.wording import METRIC_HELP, count_help, count_name
from core.export.evaluation_sheet import METRICS, TYPE_LABELS, metric_header, metric_keys

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
UNDEFINED = "–"
MUTED = QColor("#777777")

# the counts the table shows, in core's words (the Excel sheet has the same names and explanations)
SHOWN_COUNTS = ("n_scored", "n_gold", "n_pred_missing", "n_pred_when_gold_missing", "n_compared")
COUNTS = tuple((attr, count_name(attr).replace(" ", "\n", 1), count_help(attr)) for attr in SHOWN_COUNTS)
HELP = METRIC_HELP
# two-line headers keep the table narrow enough to show every metric
SHORT = {"normalised_match": "Loose\nmatch", "mae": "Mean\nerror", "within_tolerance": "Within\n5 %",
         "kappa": "Cohen's\nkappa", "exact_match": "Exact\nmatch", "exact_set_match": "Exact\nset match"}
FIXED = 2 + len(COUNTS)   # Field, Type, counts


def format_metric(key: str, value: float | None) -> str:
    if value is None:
        return UNDEFINED
    fmt = METRICS.get(key, ("", "0.000"))[1]
    if fmt.endswith("%"):
        return f"{value * 100:.1f} %"
    return f"{value:.2f}" if fmt == "0.00" else f"{value:.3f}"


class MetricsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.results: list[Any] = []
        self.keys: list[str] = []

    def set_results(self, results: list[Any]) -> None:
        self.beginResetModel()
        self.results = list(results)
        self.keys = metric_keys(self.results)
        self.endResetModel()

    def result(self, row: int) -> Any:
        return self.results[row] if 0 <= row < len(self.results) else None

    def row_of(self, path: str) -> int:
        return next((i for i, r in enumerate(self.results) if r.path == path), -1)

    def column_of(self, name: str) -> int:
        """Column of a metric key or a count attribute; -1 if not shown."""
        counts = [c[0] for c in COUNTS]
        if name in counts:
            return 2 + counts.index(name)
        return FIXED + self.keys.index(name) if name in self.keys else -1

    # ---- shape ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.results)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else FIXED + len(self.keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if section < 2:
            head, tip = ("Field", "The task's field (and its path)") if section == 0 else ("Type", "The field type")
        elif section < FIXED:
            _, head, tip = COUNTS[section - 2]
        else:
            key = self.keys[section - FIXED]
            head, tip = SHORT.get(key, metric_header(key)), HELP.get(key, metric_header(key))
        if role == Qt.ItemDataRole.DisplayRole:
            return head
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.results)) \
                or not (0 <= index.column() < self.columnCount()):
            return None
        fm, col = self.results[index.row()], index.column()
        value = self._value(fm, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return fm.label
            if col == 1:
                return TYPE_LABELS.get(fm.type, fm.type)
            if col < FIXED:
                return str(value)
            key = self.keys[col - FIXED]
            text = format_metric(key, value)
            return f"{text} {fm.unit}" if key == "mae" and value is not None and fm.unit else text
        if role == SORT_ROLE:
            if col >= FIXED and value is None:
                return -1.0
            return value if col >= 2 else str(self._value(fm, col)).casefold()
        if role == PATH_ROLE:
            return fm.path
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                kind = TYPE_LABELS.get(fm.type, fm.type).lower()
                return f"{fm.label} ({fm.path}; {kind})" + (f"\n{fm.note}" if fm.note else "")
            if col >= FIXED and value is None:
                return fm.note or "Not defined here (no reports to compare, or only one kind of gold label)."
            if col >= FIXED and self.keys[col - FIXED] == "mae":
                unit = f" {fm.unit}" if fm.unit else " (the field has no unit)"
                return f"Mean error{unit}, over the {fm.n_compared} reports where both give a number."
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col >= FIXED and value is None:
            return MUTED
        return None

    def _value(self, fm: Any, col: int) -> Any:
        if col == 0:
            return fm.label
        if col == 1:
            return fm.type
        if col < FIXED:
            return getattr(fm, COUNTS[col - 2][0])
        return fm.metrics.get(self.keys[col - FIXED])
