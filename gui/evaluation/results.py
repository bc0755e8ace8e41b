"""Step 2 of the evaluation: fields × metrics, the confusion matrix and the disagreements.

Selecting a field shows its counts, its confusion matrix (yes/no and single
choice) and the reports where the answer differs from the gold label;
double-clicking one emits ``open_report_requested(report id)``.  Gold rows
that match no report and gold cells that could not be read have tabs of
their own, so nothing is left out silently.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QSplitter, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from core.evaluation.metrics import value_at
from core.evaluation.wording import COUNTING_RULES
from core.evaluation.project import Evaluation, value_text
from gui.evaluation.confusion import ConfusionChart
from gui.evaluation.metrics_model import SORT_ROLE, MetricsModel

REPORT_ROLE = Qt.ItemDataRole.UserRole


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class ResultsPage(QWidget):
    open_report_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.rules = QLabel(COUNTING_RULES)          # the one counting rule, stated where the scores are
        self.rules.setObjectName("countingRules")
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet("QLabel { color: #4a4a4a; }")
        self.model = MetricsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)     # task order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_field(cur.row()))
        self.chart = ConfusionChart()
        self.chart.cell_clicked.connect(self.filter_disagreements)
        self.field_label = QLabel()
        self.field_label.setWordWrap(True)
        self.field_label.setTextFormat(Qt.TextFormat.PlainText)
        self.disagreements = self._list("Double-click a report to open it in the main window.")
        self.unmatched = self._list("These gold rows name a report that is not in this project.")
        self.problems = self._list("These gold cells could not be read; they count as missing gold labels.")
        self.tabs = QTabWidget()
        for w in (self.disagreements, self.unmatched, self.problems):
            self.tabs.setTabToolTip(self.tabs.addTab(w, ""), w.toolTip())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.field_label)
        rl.addWidget(self.tabs, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        bottom.addWidget(right)
        bottom.setSizes([420, 480])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([230, 330])
        for s in (bottom, self.splitter):
            s.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.rules)
        layout.addWidget(self.splitter, 1)

    def _list(self, tip: str) -> QListWidget:
        w = QListWidget()
        w.setToolTip(tip)
        w.itemActivated.connect(self._activated)
        return w

    # ---- showing -------------------------------------------------------------------------------
    def show_evaluation(self, ev: Evaluation) -> None:
        self.evaluation = ev
        self.model.set_results(ev.results)
        self._fit_columns()
        n = len(ev.gold)
        parts = [f"Compared with {_plural(n, 'report')} that have gold labels "
                 f"(of {ev.n_reports} in the project). Values are the reviewer's where they were corrected."]
        if ev.no_result:
            parts.append(f"{_plural(len(ev.no_result), 'labelled report')} "
                         f"{'has' if len(ev.no_result) == 1 else 'have'} no result yet: their answers count as "
                         "missing.")
        if ev.unmatched:
            parts.append(f"{_plural(len(ev.unmatched), 'gold row')} "
                         f"match{'es' if len(ev.unmatched) == 1 else ''} no report of this project (see the tab "
                         "below).")
        if ev.problems:
            parts.append(f"{_plural(len(ev.problems), 'gold cell')} could not be read and count as missing.")
        self.summary.setText(" ".join(parts))
        self.unmatched.clear()
        self.unmatched.addItems(ev.unmatched)
        self.problems.clear()
        self.problems.addItems(ev.problems)
        self.tabs.setTabText(1, f"No matching report ({len(ev.unmatched)})")
        self.tabs.setTabText(2, f"Unreadable cells ({len(ev.problems)})")
        self.tabs.setTabVisible(1, bool(ev.unmatched))
        self.tabs.setTabVisible(2, bool(ev.problems))
        first = next((i for i, r in enumerate(ev.results) if r.confusion), 0 if ev.results else -1)
        self.select_field(ev.results[first].path if first >= 0 else "")

    def _fit_columns(self) -> None:
        """As narrow as the cells and header words allow (no room kept for the sort arrow)."""
        fm = self.table.horizontalHeader().fontMetrics()
        for c in range(self.model.columnCount()):
            head = str(self.model.headerData(c, Qt.Orientation.Horizontal) or "")
            words = max((fm.horizontalAdvance(line) for line in head.split("\n")), default=0)
            self.table.setColumnWidth(c, max(self.table.sizeHintForColumn(c), words + 14))
        self.table.setColumnHidden(1, True)            # the type is in the field's tooltip
        self.table.setColumnWidth(0, min(max(self.table.columnWidth(0), 120), 220))

    def select_field(self, path: str) -> None:
        row = self.model.row_of(path)
        if row < 0:
            self._show_field(-1)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_field(index.row())

    def current_path(self) -> str:
        fm = self._current()
        return fm.path if fm is not None else ""

    def _current(self):
        index = self.table.selectionModel().currentIndex()
        return self.model.result(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def _show_field(self, _proxy_row: int) -> None:
        fm = self._current()
        self.disagreements.clear()
        if fm is None:
            self.chart.clear()
            self.field_label.setText("")
            self.tabs.setTabText(0, "Disagreements")
            return
        if fm.confusion:
            self.chart.set_matrix(fm.confusion["labels"], fm.confusion["matrix"], f"{fm.label}: answer × gold label")
        elif fm.note:
            self.chart.clear(fm.note)
        else:
            self.chart.clear(f"“{fm.label}” is not a yes/no or single-choice field, so it has no confusion "
                             "matrix. Its disagreements are listed on the right.")
        neither = fm.n_reports - fm.n_scored
        self.field_label.setText(
            f"{fm.label}: {_plural(fm.n_scored, 'report')} scored — {fm.n_gold} with a gold label, "
            f"{fm.n_pred_when_gold_missing} answered where the gold label is empty (invented: wrong). "
            f"{fm.n_pred_missing} without an answer (wrong). "
            f"{neither} without a gold label or an answer {'is' if neither == 1 else 'are'} left out.")
        ev = self.evaluation
        for rid in fm.disagreements:
            gold = value_text(value_at(ev.gold.get(rid), fm.path))
            answer = value_text(value_at(ev.pred.get(rid), fm.path))
            item = QListWidgetItem(f"{rid}   —   gold: {gold}   ·   answer: {answer}")
            item.setData(REPORT_ROLE, rid)
            item.setData(REPORT_ROLE + 1, (gold, answer))
            self.disagreements.addItem(item)
        self.tabs.setTabText(0, f"Disagreements ({len(fm.disagreements)})")
        self.tabs.setCurrentIndex(0)

    @Slot(str, str)
    def filter_disagreements(self, gold: str, answer: str) -> None:
        """Show only the disagreements of one matrix cell (a diagonal cell shows them all again)."""
        for i in range(self.disagreements.count()):
            item = self.disagreements.item(i)
            g, a = item.data(REPORT_ROLE + 1)
            item.setHidden(gold != answer and (g, a) != (gold, answer))

    def disagreement_ids(self, visible_only: bool = False) -> list[str]:
        items = (self.disagreements.item(i) for i in range(self.disagreements.count()))
        return [it.data(REPORT_ROLE) for it in items if not (visible_only and it.isHidden())]

    def _activated(self, item: QListWidgetItem) -> None:
        rid = item.data(REPORT_ROLE)
        if rid:
            self.open_report_requested.emit(rid)
