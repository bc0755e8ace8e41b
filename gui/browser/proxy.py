"""Search and status filter over the report table."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel

from gui.browser.model import COL_ID, ID_ROLE, SORT_ROLE, STATUS_ROLE


class ReportFilterProxy(QSortFilterProxyModel):
    """Keeps rows that contain the search text (in the report's text, id or source file: the
    project finds them, :meth:`core.store.project.Project.report_ids_containing`) and whose
    status matches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._search = ""
        self._hits: set[str] = set()
        self._status = ""
        self.setSortRole(SORT_ROLE)

    def search(self) -> str:
        return self._search

    def status(self) -> str:
        return self._status

    def is_filtering(self) -> bool:
        return bool(self._search or self._status)

    def set_search(self, text: str, hits: set[str]) -> None:
        """Show only the reports in *hits* (those that contain *text*); '' shows all."""
        self.beginFilterChange()
        self._search = text.strip().casefold()
        self._hits = set(hits)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str) -> None:
        """'' for every status, else one of :data:`gui.browser.model.STATUSES`."""
        if status != self._status:
            self.beginFilterChange()
            self._status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        src = self.sourceModel()
        if self._status and src.index(source_row, 0, source_parent).data(STATUS_ROLE) != self._status:
            return False
        if not self._search:
            return True
        return src.index(source_row, COL_ID, source_parent).data(ID_ROLE) in self._hits
