"""Moving through the reports: in the window's report list order, within the overview's filter.

Next, previous and "next not yet reviewed" follow the report list on the left
(its search, status filter and sort order) when the window gives one
(:meth:`Navigator.follow_list`), so "7 of 12" and Alt+Down agree; the
overview's own filter (for example "Not reviewed") still applies.  On its own
(no report list beside it) the review follows the overview's order.
"""
from __future__ import annotations

from collections.abc import Callable

from core.review import ReviewData
from gui.review.overview_model import REPORT_ROLE, OverviewFilter, OverviewModel

# the report list's ids in its order, or None when it shows every report in folder order
ListOrder = Callable[[], list[str] | None]


class Navigator:
    """Next, previous and next-not-yet-reviewed report."""

    def __init__(self, data: ReviewData, model: OverviewModel, proxy: OverviewFilter):
        self.data, self.model, self.proxy = data, model, proxy
        self._list_order: ListOrder | None = None

    def follow_list(self, list_order: ListOrder) -> None:
        """Go through the reports in the window's report list order."""
        self._list_order = list_order

    def order(self) -> list[str]:
        """The reports to go through: the list's order (when given) of those the overview shows."""
        shown = self.proxy.report_ids()
        listed = self._list_order() if self._list_order is not None else None
        if listed is None:
            return shown
        keep = set(shown)
        return [rid for rid in listed if rid in keep]

    def row(self, report_id: str | None) -> int:
        """The report's row in the filtered, sorted overview (-1 when filtered out)."""
        r = self.model.row_of(report_id) if report_id else -1
        return self.proxy.mapFromSource(self.model.index(r, 0)).row() if r >= 0 else -1

    def id_at(self, row: int) -> str | None:
        return self.proxy.index(row, 0).data(REPORT_ROLE) if 0 <= row < self.proxy.rowCount() else None

    def neighbour(self, current: str | None, step: int) -> str | None:
        order = self.order()
        if not order:
            return None
        if current is None:
            return order[0]
        if current in order:
            i = order.index(current) + step
            return order[i] if 0 <= i < len(order) else None
        pos = {rid: i for i, rid in enumerate(self.data.ids)}  # filtered out: go by folder order
        here = pos.get(current, -1)
        after = [r for r in order if pos[r] > here] if step > 0 else [r for r in order if pos[r] < here]
        return (after[0] if step > 0 else after[-1]) if after else None

    def next_unreviewed(self, current: str | None) -> str | None:
        """The next report after *current* (wrapping round) that has a result and no review."""
        order = self.order()
        if current in order:
            i = order.index(current)
            order = order[i + 1:] + order[:i]
        for rid in order:
            if rid != current and self.data.entries[rid].unreviewed:
                return rid
        return None
