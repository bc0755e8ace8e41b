"""The overview grid: a sound model, sorting by confidence, filters."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.review import ReviewData
from gui.review.overview import OverviewPane
from gui.review.overview_model import COL_CONFIDENCE, FIXED_COLUMNS, OverviewModel


def test_model_passes_qtmodeltester(qtmodeltester, project, task):
    data = ReviewData()
    model = OverviewModel(data)
    data.load(project, task)
    assert model.rowCount() == 4
    assert model.columnCount() == FIXED_COLUMNS + 4
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    data.set_value("ct_thorax_01.txt", "largest_diameter_mm", 11.0)
    data.accept("ct_thorax_01.txt")
    data.load(project, None)
    qtmodeltester.check(model, force_py=True)


def test_cells_show_values_and_mark_corrections(project, task):
    data = ReviewData()
    model = OverviewModel(data)
    data.load(project, task)
    col = model.column_of("largest_diameter_mm")
    assert model.index(0, col).data() == "9 mm"
    assert model.index(0, COL_CONFIDENCE).data() == "42%"
    assert model.index(3, 1).data() == "Failed"
    data.set_value("ct_thorax_01.txt", "largest_diameter_mm", 11.5)
    idx = model.index(0, col)
    assert idx.data() == "11.5 mm"
    assert idx.data(Qt.ItemDataRole.FontRole).italic()
    assert "model said 9 mm" in idx.data(Qt.ItemDataRole.ToolTipRole)


def test_least_certain_first_and_filters(qtbot, project, task):
    data = ReviewData()
    pane = OverviewPane(data)
    qtbot.addWidget(pane)
    data.load(project, task)
    pane.fields_changed()
    pane.sort_least_certain()
    # failed (0) < 02 (31%) < 01 (42%) < 03 (93%)
    assert pane.proxy.report_ids() == ["ct_thorax_04.txt", "ct_thorax_02.txt", "ct_thorax_01.txt",
                                       "ct_thorax_03.txt"]
    pane.set_kind("failed")
    assert pane.proxy.report_ids() == ["ct_thorax_04.txt"]
    pane.set_kind("low_confidence")
    pane.threshold.setValue(40)
    assert set(pane.proxy.report_ids()) == {"ct_thorax_04.txt", "ct_thorax_02.txt"}
    assert pane.count.text() == "2 of 4 reports"
    pane.set_kind("all")
    pane.field.setCurrentIndex(pane.field.findData("lobe"))
    pane.text.setText("LOWER")
    assert pane.proxy.report_ids() == ["ct_thorax_02.txt"]
    pane.text.clear()
    pane.set_kind("unreviewed")
    assert len(pane.proxy.report_ids()) == 4
    data.accept("ct_thorax_02.txt")
    assert "ct_thorax_02.txt" not in pane.proxy.report_ids()
    pane.set_kind("corrected")
    assert pane.proxy.report_ids() == []
    data.set_value("ct_thorax_03.txt", "lobe", "middle lobe")
    assert pane.proxy.report_ids() == ["ct_thorax_03.txt"]
    data.flag("ct_thorax_01.txt", "check size")
    pane.set_kind("flagged")
    assert pane.proxy.report_ids() == ["ct_thorax_01.txt"]


def test_double_click_opens_report_and_field(qtbot, project, task):
    data = ReviewData()
    pane = OverviewPane(data)
    qtbot.addWidget(pane)
    pane.resize(900, 300)
    pane.show()
    qtbot.waitExposed(pane)
    data.load(project, task)
    pane.fields_changed()
    model = pane.model
    idx = pane.proxy.mapFromSource(model.index(1, model.column_of("lobe")))
    rect = pane.table.visualRect(idx)
    with qtbot.wait_signal(pane.cell_opened) as sig:
        # a real double-click starts with a press (QTest's double-click alone does not)
        qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == ["ct_thorax_02.txt", "lobe"]


def test_enter_in_the_grid_opens_the_current_cell(qtbot, project, task):
    data = ReviewData()
    pane = OverviewPane(data)
    qtbot.addWidget(pane)
    data.load(project, task)
    pane.fields_changed()
    pane.table.setCurrentIndex(pane.proxy.index(2, FIXED_COLUMNS))
    with qtbot.wait_signal(pane.cell_opened) as sig:
        qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    assert sig.args == ["ct_thorax_03.txt", "nodule_present"]
