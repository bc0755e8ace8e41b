"""Search and status filter over the report table."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel

from gui.browser.model import COL_ID, COL_SOURCE, ID_ROLE, SORT_ROLE, STATUS_ROLE


class ReportFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose id or source file contains the search text and whose status matches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._search = ""
        self._status = ""
        self.setSortRole(SORT_ROLE)

    def search(self) -> str:
        return self._search

    def status(self) -> str:
        return self._status

    def is_filtering(self) -> bool:
        return bool(self._search or self._status)

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._search:
            self.beginFilterChange()
            self._search = text
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
        rid = (src.index(source_row, COL_ID, source_parent).data(ID_ROLE) or "").casefold()
        source = (src.index(source_row, COL_SOURCE, source_parent).data() or "").casefold()
        return self._search in rid or self._search in source
