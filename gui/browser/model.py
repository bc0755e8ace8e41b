"""The report table: a thin Qt adapter over a :class:`core.store.project.Project`.

Rows are fetched lazily in pages of :data:`PAGE` (``canFetchMore`` /
``fetchMore`` over ``Project.reports_page``, which leaves the report text
out), so a project with 10,000 reports opens at once.  Statuses come from
``Project.report_statuses(task_hash)`` and are refreshed one report at a
time during a run through :meth:`ReportTableModel.refresh_status`.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor

PAGE = 500
COLUMNS = ("Report", "Source file", "Size", "Status")
COL_ID, COL_SOURCE, COL_SIZE, COL_STATUS = range(4)
STATUSES = ("not run", "extracted", "failed", "skipped", "reviewed", "flagged")
ID_ROLE = Qt.ItemDataRole.UserRole + 1      # the report id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2    # numbers for the size column
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # the status word

_STATUS_COLORS = {"failed": "#b3261e", "flagged": "#b35c00", "reviewed": "#2e7d32", "skipped": "#757575"}


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if n < 10 else f"{n:.0f} {unit}"
    return f"{n} B"  # pragma: no cover


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._project = None
        self._task_hash: str | None = None
        self._rows: list = []               # core.store.project.ReportRow without text
        self._row_of: dict[str, int] = {}
        self._total = 0
        self._statuses: dict[str, str] = {}
        self.distinct_sources = False  # some report is a row of a table file (id != source file)

    # ---- feeding ------------------------------------------------------------------------
    def set_project(self, project, task_hash: str | None = None) -> None:
        self.beginResetModel()
        self._project, self._task_hash = project, task_hash
        self._rows, self._row_of = [], {}
        self.distinct_sources = False
        self._total = project.report_count() if project is not None else 0
        self._statuses = project.report_statuses(task_hash) if project is not None else {}
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.set_project(None)

    def project(self):
        return self._project

    def total(self) -> int:
        """Reports in the project (loaded into the model or not)."""
        return self._total

    @Slot()
    def reports_added(self) -> None:
        """The project got new reports: count them; fill the first page at once."""
        if self._project is None:
            return
        self._total = self._project.report_count()
        if len(self._rows) < PAGE and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._project is not None and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._project is None:
            return
        page = self._project.reports_page(len(self._rows), PAGE)
        if not page:
            self._total = len(self._rows)
            return
        for row in page:  # reports added after the last status refresh
            self._statuses.setdefault(row.id, "skipped" if row.status == "skipped" else "not run")
            self.distinct_sources = self.distinct_sources or row.id != row.source
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for i, row in enumerate(page, first):
            self._row_of[row.id] = i
        self._rows.extend(page)
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Load every row (before sorting or filtering; fast: no report text)."""
        if self._project is not None:
            self._total = self._project.report_count()
        while self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    # ---- statuses -------------------------------------------------------------------------
    def set_task_hash(self, task_hash: str | None) -> None:
        self._task_hash = task_hash
        self.refresh_statuses()

    @Slot()
    def refresh_statuses(self) -> None:
        if self._project is None:
            return
        self._statuses = self._project.report_statuses(self._task_hash)
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(len(self._rows) - 1, COL_STATUS))

    @Slot(str)
    def refresh_status(self, report_id: str) -> None:
        """Re-read one report's status (a result or review just arrived)."""
        if self._project is None:
            return
        self._statuses[report_id] = self._status_from_store(report_id)
        row = self._row_of.get(report_id)
        if row is not None:
            idx = self.index(row, COL_STATUS)
            self.dataChanged.emit(idx, idx)

    def _status_from_store(self, report_id: str) -> str:
        """Same rules as ``Project.report_statuses``, for one report."""
        p, h = self._project, self._task_hash
        row = self._row_of.get(report_id)
        stored = self._rows[row].status if row is not None else p.report(report_id).status
        status = "skipped" if stored == "skipped" else "not run"
        if not h:
            return status
        res = p.result(report_id, h)
        if res is not None and status != "skipped":
            status = {"ok": "extracted", "failed": "failed"}.get(res.status, "skipped")
        state = p.review_state(report_id, h)
        if state is not None:
            status = "reviewed" if state.state == "accepted" else "flagged"
        return status

    def status(self, report_id: str) -> str:
        return self._statuses.get(report_id, "not run")

    def _status_tip(self, row) -> str | None:
        status = self.status(row.id)
        if status == "skipped":
            if row.reason:
                return row.reason
        if status in ("skipped", "failed") and self._task_hash:
            res = self._project.result(row.id, self._task_hash)
            return res.reason if res is not None and res.reason else None
        if status in ("reviewed", "flagged") and self._task_hash:
            st = self._project.review_state(row.id, self._task_hash)
            if st is not None:
                who = f"{'Flagged' if status == 'flagged' else 'Reviewed'} by {st.reviewer}"
                return who + (f": {st.comment}" if st.comment else "")
        return None

    # ---- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def report_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, report_id: str) -> int | None:
        return self._row_of.get(report_id)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.id, row.source, human_size(row.size), self.status(row.id))[col]
        if role == SORT_ROLE:
            return (row.id.casefold(), row.source.casefold(), row.size, self.status(row.id))[col]
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return self.status(row.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS:
                return self._status_tip(row)
            if col == COL_SIZE:
                return f"{row.size:,} bytes"
            return (row.id, row.source)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            color = _STATUS_COLORS.get(self.status(row.id))
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == COL_SIZE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
