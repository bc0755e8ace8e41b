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

from core.export.evaluation_sheet import METRICS, TYPE_LABELS, metric_header, metric_keys

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
UNDEFINED = "–"
MUTED = QColor("#777777")

# (FieldMetrics attribute, header, tooltip)
COUNTS = (
    ("n_scored", "Scored",
     "Reports whose gold label or answer has a value: every rate is out of these (both empty: left out)."),
    ("n_gold", "Gold\nlabels", "Reports with a gold label for this field."),
    ("n_pred_missing", "Answer\nmissing",
     "Reports with a gold label but no answer (also failed or not-run reports): wrong in every metric."),
    ("n_pred_when_gold_missing", "Invented",
     "Reports whose gold label is empty but the model gave a value: wrong in every metric."),
    ("n_compared", "Compared", "Reports where both the gold label and the answer have a value."),
)
HELP = {
    "accuracy": "Share of scored reports where the answer equals the gold label (missing or invented: wrong).",
    "sensitivity": "Of the reports whose gold label is yes, the share answered yes (a missing answer is wrong).",
    "specificity": "Of the reports whose gold label is no, the share answered no (a missing answer is wrong).",
    "kappa": "Agreement beyond chance (Cohen's kappa): 1 is perfect, 0 is no better than chance. "
             "A missing or invented answer counts as the category “(empty)”.",
    "auc": "How well the model's confidence separates yes from no (area under the ROC curve); "
           "a missing answer scores 0.5, no information.",
    "within_tolerance": "Share of scored reports whose number is within 5 % of the gold value "
                        "(missing or invented: wrong).",
    "mae": "Mean absolute difference from the gold value, in the field's unit, over the reports where both "
           "give a number (there is no distance to a missing number; those are counted as wrong elsewhere).",
    "rsmape": "How close the numbers are, from 0 to 1 (R-SMAPE, as in DRAGON). For each report: the difference "
              "divided by the sum of both numbers; 1 minus the average of that. 1 means every number is exact; "
              "0.9 means the numbers are off by about a tenth of their size on average. A missing or "
              "invented number counts as fully wrong (0 for that report).",
    "exact_match": "Share of scored reports whose answer is exactly the gold text (missing or invented: wrong).",
    "normalised_match": "Share of scored reports whose answer equals the gold text, ignoring case, punctuation "
                        "and spacing (missing or invented: wrong).",
    "precision": "Of the options or items answered, the share that are in the gold label (items answered where "
                 "the gold label is empty are wrong).",
    "recall": "Of the options or items in the gold label, the share that were answered.",
    "f1": "The balance of precision and recall (F1 score).",
    "exact_set_match": "Share of scored reports where the chosen options or items are exactly the gold ones.",
}
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
