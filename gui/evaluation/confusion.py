"""A confusion matrix drawn as a heat-map grid: rows are gold labels, columns the answers.

Cells on the diagonal (answer = gold label) are blue, the others orange
(colour-blind safe); the stronger the colour, the more reports.  Each cell
shows its count and the share of its gold row.  Hover a cell for its words;
click one to emit ``cell_clicked(gold label, answer)``.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

AGREE = QColor("#1f5fa8")
DISAGREE = QColor("#d9730d")
EMPTY_CELL = QColor("#f4f4f4")
GRID = QColor("#c8c8c8")
MUTED = QColor("#777777")
MAX_LABEL = 150
PAD = 8


def _mix(color: QColor, t: float) -> QColor:
    """White (t = 0) to *color* (t = 1)."""
    t = max(0.0, min(1.0, t))
    return QColor(round(255 + (color.red() - 255) * t), round(255 + (color.green() - 255) * t),
                  round(255 + (color.blue() - 255) * t))


class ConfusionChart(QWidget):
    cell_clicked = Signal(str, str)   # gold label, answer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.labels: list[str] = []
        self.matrix: list[list[int]] = []
        self.title = ""
        self.empty_text = "Choose a yes/no or single-choice field to see its confusion matrix."
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, labels: list[str], matrix: list[list[int]], title: str = "") -> None:
        self.labels, self.matrix, self.title = [str(x) for x in labels], [list(r) for r in matrix], title
        self.update()

    def clear(self, text: str | None = None) -> None:
        self.labels, self.matrix, self.title = [], [], ""
        if text is not None:
            self.empty_text = text
        self.update()

    def total(self) -> int:
        return sum(sum(r) for r in self.matrix)

    def sizeHint(self) -> QSize:
        return QSize(380, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 180)

    # ---- geometry -----------------------------------------------------------------------
    def _layout(self) -> tuple[float, float, float]:
        """(left, top, cell size) of the grid."""
        fm = QFontMetrics(self.font())
        n = max(len(self.labels), 1)
        label_w = min(max((fm.horizontalAdvance(s) for s in self.labels), default=0), MAX_LABEL)
        left = PAD + fm.height() + PAD + label_w + PAD          # axis title, row labels
        top = PAD + fm.height() * 2 + PAD + fm.height() + PAD   # chart title, axis title, column labels
        cell = max(min((self.width() - left - PAD) / n, (self.height() - top - PAD) / n, 110.0), 12.0)
        left += max((self.width() - left - PAD - cell * n) / 2, 0)   # centred in the room left over
        return left, top, cell

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        if not self.labels:
            return None
        left, top, cell = self._layout()
        r, c = int((pos.y() - top) // cell), int((pos.x() - left) // cell)
        n = len(self.labels)
        return (r, c) if pos.x() >= left and pos.y() >= top and r < n and c < n else None

    # ---- events ---------------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:
        hit = self.cell_at(event.position())
        if hit is None:
            QToolTip.hideText()
            return
        r, c = hit
        count, row_total = self.matrix[r][c], sum(self.matrix[r])
        verdict = "agrees" if r == c else "differs"
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"Gold label “{self.labels[r]}”, answer “{self.labels[c]}” ({verdict}): "
                          f"{count} of {row_total} report{'s' if row_total != 1 else ''}", self)

    def mousePressEvent(self, event) -> None:
        hit = self.cell_at(event.position())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.cell_clicked.emit(self.labels[hit[0]], self.labels[hit[1]])

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        if not self.labels:
            p.setPen(MUTED)
            p.drawText(QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        left, top, cell = self._layout()
        n = len(self.labels)
        side = cell * n
        text = self.palette().text().color()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(text)
        p.drawText(QRectF(PAD, PAD, self.width() - 2 * PAD, fm.height()), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 2 * PAD))
        p.setFont(self.font())
        axis_y = PAD + fm.height() * 2
        p.drawText(QRectF(left, axis_y, side, fm.height()), Qt.AlignmentFlag.AlignCenter, "Abstractor's answer →")
        p.save()
        label_w = min(max((fm.horizontalAdvance(s) for s in self.labels), default=0), MAX_LABEL)
        p.translate(left - label_w - 2 * PAD - fm.height(), top + side / 2)
        p.rotate(-90)
        p.drawText(QRectF(-side / 2, 0, side, fm.height()), Qt.AlignmentFlag.AlignCenter, "← Gold label")
        p.restore()
        biggest = max((v for row in self.matrix for v in row), default=0) or 1
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 6.0))
        for i, label in enumerate(self.labels):
            shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(min(cell - 4, MAX_LABEL)))
            p.drawText(QRectF(left + i * cell, top - fm.height() - PAD / 2, cell, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, shown)
            shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, MAX_LABEL)
            p.drawText(QRectF(left - label_w - PAD, top + i * cell, label_w, cell),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
        for r, row in enumerate(self.matrix):
            row_total = sum(row)
            for c, count in enumerate(row):
                rect = QRectF(left + c * cell, top + r * cell, cell, cell)
                t = count / biggest
                fill = EMPTY_CELL if count == 0 else _mix(AGREE if r == c else DISAGREE, 0.15 + 0.85 * t)
                p.fillRect(rect, fill)
                p.setPen(QPen(GRID, 1))
                p.drawRect(rect)
                p.setPen(QColor("white") if count and t > 0.5 else QColor("#222222") if count else MUTED)
                if cell >= 44 and count:
                    p.setFont(bold)
                    p.drawText(rect.adjusted(0, 0, 0, -cell * 0.2), Qt.AlignmentFlag.AlignCenter, str(count))
                    p.setFont(small)
                    p.drawText(rect.adjusted(0, cell * 0.35, 0, 0), Qt.AlignmentFlag.AlignCenter,
                               f"{100 * count / row_total:.0f} %")
                else:
                    p.setFont(self.font())
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        p.setFont(self.font())

