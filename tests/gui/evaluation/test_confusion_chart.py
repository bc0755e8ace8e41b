"""The confusion matrix heat map."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from gui.evaluation.confusion import ConfusionChart


def test_cells_are_found_and_clicked(qtbot):
    chart = ConfusionChart()
    qtbot.addWidget(chart)
    chart.resize(400, 340)
    chart.set_matrix(["no", "yes"], [[3, 1], [1, 4]], "Metastasis")
    chart.show()
    qtbot.wait_exposed(chart)
    assert chart.total() == 9
    left, top, cell = chart._layout()
    assert cell >= 44                                              # room for count and row share
    centre = QPointF(left + 1.5 * cell, top + 0.5 * cell)           # gold "no", answer "yes"
    assert chart.cell_at(centre) == (0, 1)
    assert chart.cell_at(QPointF(1, 1)) is None
    with qtbot.waitSignal(chart.cell_clicked) as sig:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert sig.args == ["no", "yes"]
    image = chart.grab().toImage()
    assert image.pixelColor(QPoint(int(left + cell * 1.5), int(top + cell * 1.5))).blue() > 150   # agreement: blue
    assert image.pixelColor(QPoint(int(left + cell * 0.1), int(top + cell * 1.1))).red() > 200    # disagreement


def test_empty_chart_says_why_and_many_labels_still_fit(qtbot):
    chart = ConfusionChart()
    qtbot.addWidget(chart)
    chart.resize(300, 260)
    chart.clear("No matrix for text fields.")
    assert chart.empty_text == "No matrix for text fields." and chart.cell_at(QPointF(150, 150)) is None
    chart.grab()
    labels = [f"a rather long option label {i}" for i in range(8)]
    chart.set_matrix(labels, [[i == j for j in range(8)] for i in range(8)])
    left, top, cell = chart._layout()
    assert left + 8 * cell <= chart.width() and top + 8 * cell <= chart.height()
    chart.grab()
