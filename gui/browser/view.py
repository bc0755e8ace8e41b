"""The report browser: search box, status filter and the report table."""
from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QStackedLayout, QTableView, QVBoxLayout, QWidget)

from gui.browser.model import COL_ID, COL_SIZE, COL_SOURCE, COL_STATUS, ID_ROLE, STATUSES, ReportTableModel
from gui.browser.proxy import ReportFilterProxy

EMPTY_TEXT = ("<p style='font-size:large'><b>No reports yet</b></p>"
              "<p>Drag a folder of reports onto this window,<br>or choose <b>File › Open folder…</b></p>"
              "<p>To look around first, choose <b>Help › Open the demo</b>.</p>")
NOTHING_FOUND_TEXT = ("<p style='font-size:large'><b>No reports in this folder</b></p>"
                      "<p>Abstractor reads {formats} files,<br>in this folder and the folders inside it.</p>")


class ReportBrowser(QWidget):
    report_selected = Signal(str)        # the current report changed
    selection_changed = Signal(list)     # ids of all selected reports
    # the current report's place in the list: (report id or "", row or -1, reports listed, reports in all)
    list_position_changed = Signal(str, int, int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ReportTableModel(self)
        self.proxy = ReportFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search report text or file name")
        self.search.setToolTip("Finds reports whose text or file name contains these words")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for s in STATUSES:
            self.status_filter.addItem(s.label, s.value)
        self.status_filter.setToolTip("Show only reports with this status")
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.status_filter.currentIndexChanged.connect(self._apply_status)

        self.table = QTableView()
        self.table.setObjectName("reportTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setSortingEnabled(False)  # enabled on first header click (after loading all rows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        fm = self.fontMetrics()
        hh.setSectionResizeMode(COL_ID, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(COL_SIZE, QHeaderView.ResizeMode.Fixed)
        hh.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Fixed)
        hh.resizeSection(COL_SOURCE, fm.horizontalAdvance("x" * 18))
        hh.setMinimumSectionSize(fm.horizontalAdvance("x" * 6))
        hh.resizeSection(COL_SIZE, fm.horizontalAdvance("999.9 KB") + 20)
        hh.resizeSection(COL_STATUS, fm.horizontalAdvance("not run  ") + 40)
        hh.setHighlightSections(False)
        hh.setSectionsClickable(True)
        hh.sectionClicked.connect(self._enable_sorting)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        for sig in (self.proxy.layoutChanged, self.proxy.modelReset, self.proxy.rowsInserted,
                    self.proxy.rowsRemoved):   # sorted or filtered: the place changes
            sig.connect(self._emit_position)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyHint")
        self._nothing_found = False
        self.no_matches = QLabel(self)
        self.no_matches.setObjectName("noMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.hide()
        self._stack = QStackedLayout()
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.table)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(filters)
        layout.addWidget(self.no_matches)
        layout.addLayout(self._stack, 1)
        self.setMinimumWidth(fm.horizontalAdvance("x" * 16) + hh.sectionSize(COL_SIZE) + hh.sectionSize(COL_STATUS))
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self._update_empty()

    # ---- feeding -------------------------------------------------------------------------
    def set_project(self, project, task_hash: str | None = None) -> None:
        self._nothing_found = False
        self.empty.setText(EMPTY_TEXT)
        self.table.setSortingEnabled(False)
        self.proxy.sort(-1)
        self.model.set_project(project, task_hash)

    def set_task_hash(self, task_hash: str | None) -> None:
        self.model.set_task_hash(task_hash)

    @Slot()
    def reports_added(self) -> None:
        self.model.reports_added()
        if self.proxy.is_filtering() or self.table.isSortingEnabled():
            self.model.fetch_all()
        if self.search.text().strip():   # new reports may contain the words
            self._apply_search()

    @Slot(str)
    def refresh_status(self, report_id: str) -> None:
        self.model.refresh_status(report_id)

    def show_nothing_found(self) -> None:
        """Reading the folder found no report files: say which files are read."""
        from core.reports import SUPPORTED_SUFFIXES

        formats = ", ".join(sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES))
        self.empty.setText(NOTHING_FOUND_TEXT.format(formats=formats))
        self._nothing_found = True
        self._update_empty()

    # ---- selection --------------------------------------------------------------------------
    def current_id(self) -> str | None:
        idx = self.table.currentIndex()
        return idx.data(ID_ROLE) if idx.isValid() else None

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows(COL_ID)
        return [i.data(ID_ROLE) for i in sorted(rows, key=lambda i: i.row())]

    def select_report(self, report_id: str) -> bool:
        if self.model.row_of(report_id) is None:
            self.model.fetch_all()
        row = self.model.row_of(report_id)
        if row is None:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, COL_ID))
        if not idx.isValid():
            return False
        # exactly this report: setCurrentIndex would read the keyboard's modifiers, so a report
        # opened while Ctrl is held (Ctrl+Return accepts and moves on) would join the selection
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(idx, flags)
        self.table.scrollTo(idx)
        return True

    def visible_row_count(self) -> int:
        return self.proxy.rowCount()

    def list_position(self) -> tuple[str, int, int, int]:
        """``(current report id or "", its row in the sorted, filtered list or -1, reports listed, total)``."""
        idx = self.table.currentIndex()
        total = self.model.total()
        listed = self.proxy.rowCount() if self.proxy.is_filtering() else total   # rows load lazily
        return (idx.data(ID_ROLE), idx.row(), listed, total) if idx.isValid() else ("", -1, listed, total)

    def listed_ids(self) -> list[str] | None:
        """The reports in the list's order when it is searched, filtered or sorted; None when it shows
        every report in folder order (its rows load lazily then, so they are not read here)."""
        if not self.proxy.is_filtering() and not self.table.isSortingEnabled():
            return None
        return [self.proxy.index(r, COL_ID).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    @Slot()
    def _emit_position(self, *_args) -> None:
        self.list_position_changed.emit(*self.list_position())

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.report_selected.emit(current.data(ID_ROLE))
        self._emit_position()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, *_):
        self.selection_changed.emit(self.selected_ids())

    # ---- filters and sorting ------------------------------------------------------------------
    @Slot()
    def _apply_search(self) -> None:
        self.model.fetch_all()
        text = self.search.text()
        project = self.model.project()
        hits = project.report_ids_containing(text) if project is not None and text.strip() else set()
        self.proxy.set_search(text, hits)
        self._update_no_matches()

    @Slot(int)
    def _apply_status(self, _index: int) -> None:
        self.model.fetch_all()
        self.proxy.set_status(self.status_filter.currentData() or "")
        self._update_no_matches()

    def _update_no_matches(self) -> None:
        """Say so when the search or the status filter leaves no report."""
        empty = self.proxy.is_filtering() and self.proxy.rowCount() == 0 and self.model.rowCount() > 0
        words = self.search.text().strip()
        status = self.status_filter.currentText() if self.status_filter.currentData() else ""
        what = " and ".join(x for x in (f"contains “{words}”" if words else "", f"is {status}" if status else "") if x)
        self.no_matches.setText(f"No matches: no report {what}." if empty else "")
        self.no_matches.setVisible(empty)

    @Slot(int)
    def _enable_sorting(self, section: int) -> None:
        if not self.table.isSortingEnabled():
            self.model.fetch_all()
            self.table.setSortingEnabled(True)
            self.table.sortByColumn(section, Qt.SortOrder.AscendingOrder)

    @Slot()
    def _update_empty(self, *_):
        has_rows = self.model.rowCount() > 0 or (self.model.project() is not None and not self._nothing_found)
        self._stack.setCurrentWidget(self.table if has_rows else self.empty)
        self.search.setEnabled(self.model.project() is not None)
        self.status_filter.setEnabled(self.model.project() is not None)
        # the source file column only says something for rows of table files (csv, xlsx…)
        self.table.setColumnHidden(COL_SOURCE, not self.model.distinct_sources)
