"""The report table: a thin Qt adapter over a :class:`core.store.project.Project`.

Rows are fetched lazily in pages of :data:`PAGE` (``canFetchMore`` /
``fetchMore`` over ``Project.reports_page``, which leaves the report text
out), so a project with 10,000 reports opens at once.  Statuses come from
:func:`core.review.report_statuses` and are refreshed one report at a
time during a run through :meth:`ReportTableModel.refresh_status`.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor

from core.reports.model import SKIPPED
from core.review import ReportStatus, load_state, report_statuses
from core.store.project import Project, ReportRow

PAGE = 500
COLUMNS = ("Report", "Source file", "Size", "Status")
COL_ID, COL_SOURCE, COL_SIZE, COL_STATUS = range(4)
STATUSES = tuple(ReportStatus)
ID_ROLE = Qt.ItemDataRole.UserRole + 1      # the report id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2    # numbers for the size column
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # the status word

_STATUS_COLORS = {ReportStatus.FAILED: "#b3261e", ReportStatus.FLAGGED: "#b35c00", ReportStatus.REVIEWED: "#2e7d32",
                  ReportStatus.SKIPPED: "#757575"}


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
        self._project: Project | None = None
        self._task_hash: str | None = None
        self._rows: list[ReportRow] = []    # without their text
        self._row_of: dict[str, int] = {}
        self._total = 0
        self._statuses: dict[str, ReportStatus] = {}
        self.distinct_sources = False  # some report is a row of a table file (id != source file)

    # ---- feeding ------------------------------------------------------------------------
    def set_project(self, project: Project | None, task_hash: str | None = None) -> None:
        self.beginResetModel()
        self._project, self._task_hash = project, task_hash
        self._rows, self._row_of = [], {}
        self.distinct_sources = False
        self._total = project.report_count() if project is not None else 0
        self._statuses = report_statuses(project, task_hash) if project is not None else {}
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.set_project(None)

    def project(self) -> Project | None:
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
            self._statuses.setdefault(row.id, ReportStatus.SKIPPED if row.status == SKIPPED else ReportStatus.NOT_RUN)
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
        self._statuses = report_statuses(self._project, self._task_hash)
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(len(self._rows) - 1, COL_STATUS))

    @Slot(str)
    def refresh_status(self, report_id: str) -> None:
        """Re-read one report's status (a result or review just arrived)."""
        if self._project is None:
            return
        self._statuses[report_id] = load_state(self._project, report_id, self._task_hash).status
        row = self._row_of.get(report_id)
        if row is not None:
            idx = self.index(row, COL_STATUS)
            self.dataChanged.emit(idx, idx)

    def status(self, report_id: str) -> ReportStatus:
        return self._statuses.get(report_id, ReportStatus.NOT_RUN)

    def _status_tip(self, row: ReportRow) -> str | None:
        if self._project is None:
            return None
        st = load_state(self._project, row.id, self._task_hash)
        if st.state is not None:
            who = f"{st.status.label} by {st.state.reviewer}"
            return who + (f": {st.state.comment}" if st.state.comment else "")
        return st.reason or None

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
            return (row.id, row.source, human_size(row.size), self.status(row.id).value)[col]
        if role == SORT_ROLE:
            return (row.id.casefold(), row.source.casefold(), row.size, self.status(row.id).value)[col]
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return self.status(row.id).value
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
