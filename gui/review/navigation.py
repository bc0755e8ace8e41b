"""Moving through the reports in the overview's order (filtered and sorted)."""
from __future__ import annotations

from core.review import ReviewData
from gui.review.overview_model import REPORT_ROLE, OverviewFilter, OverviewModel


class Navigator:
    """Next, previous and next-not-yet-reviewed report, in the order the overview shows."""

    def __init__(self, data: ReviewData, model: OverviewModel, proxy: OverviewFilter):
        self.data, self.model, self.proxy = data, model, proxy

    def order(self) -> list[str]:
        return self.proxy.report_ids()

    def row(self, report_id: str | None) -> int:
        """The report's row in the filtered, sorted overview (-1 when filtered out)."""
        r = self.model.row_of(report_id) if report_id else -1
        return self.proxy.mapFromSource(self.model.index(r, 0)).row() if r >= 0 else -1

    def id_at(self, row: int) -> str | None:
        return self.proxy.index(row, 0).data(REPORT_ROLE) if 0 <= row < self.proxy.rowCount() else None

    def neighbour(self, current: str | None, step: int) -> str | None:
        if not self.proxy.rowCount():
            return None
        if current is None:
            return self.id_at(0)
        row = self.row(current)
        if row >= 0:
            return self.id_at(row + step)
        pos = {rid: i for i, rid in enumerate(self.data.ids)}  # filtered out: go by folder order
        here = pos.get(current, -1)
        order = self.order()
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
