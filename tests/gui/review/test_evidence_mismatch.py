"""Highlights must not look like proof: a value its own quote does not state is marked in the
form and the grid, and overlapping highlights of two fields both stay visible."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextFormat

from core.review import ReviewData
from gui.review.overview_model import MISMATCH_ROLE, OverviewModel
from gui.review.report_text import ReportText
from tests.gui.review.conftest import fake_extraction
from tests.gui.review.test_review_view import open_view


def _store_twelve_mm_quoting_nine(project, task) -> None:
    """The model answers 12 mm for ct_thorax_01 while quoting '9 mm' (a result stored before
    the engine checked quotes: no warning stored with it)."""
    rid = "ct_thorax_01.txt"
    ex = fake_extraction(rid, project.report(rid).text)
    ex.values["largest_diameter_mm"] = 12.0
    run_id = project.start_run(task, model_path="fake.gguf", model_name="fake.gguf", model_size=1,
                               model_sha256="0" * 64, backend="CPU", settings={}, app_version="test")
    project.save_result(run_id, task.hash(), rid, ex)
    project.finish_run(run_id, "finished")


def test_form_says_the_evidence_does_not_show_the_value(qtbot, project, task):
    _store_twelve_mm_quoting_nine(project, task)
    view = open_view(qtbot, project, task)
    view.show_report("ct_thorax_01.txt")
    row = view.form.rows["largest_diameter_mm"]
    assert not row.mismatch.isHidden()
    assert "Evidence does not show this value" in row.mismatch.text()
    assert "'9 mm'" in row.mismatch.text()
    assert row.mismatch.isHidden() is False and view.form.rows["lobe"].mismatch.isHidden()


def test_grid_marks_the_cell_until_a_reviewer_vouches_for_a_value(project, task):
    _store_twelve_mm_quoting_nine(project, task)
    data = ReviewData()
    model = OverviewModel(data)
    data.load(project, task)
    idx = model.index(0, model.column_of("largest_diameter_mm"))
    assert "'9 mm'" in idx.data(MISMATCH_ROLE)
    assert idx.data().startswith("⚠")
    assert "Evidence does not show this value" in idx.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, model.column_of("lobe")).data(MISMATCH_ROLE) is None
    data.set_value("ct_thorax_01.txt", "largest_diameter_mm", 9.0)
    idx = model.index(0, model.column_of("largest_diameter_mm"))
    assert idx.data(MISMATCH_ROLE) is None and idx.data() == "9 mm"


def _colours_of(fmt) -> set[str]:
    brush = fmt.background()
    grad = brush.gradient()
    if grad is not None:
        return {c.name().upper() for _pos, c in grad.stops()}
    return {brush.color().name().upper()}


def test_overlapping_highlights_of_two_fields_both_stay_visible(qtbot):
    text = "Solide nodus van 9 mm in de rechterbovenkwab."
    view = ReportText()
    qtbot.addWidget(view)
    view.set_report(text)
    a = text.index("Solide")
    b = text.index("9 mm")
    spans = {"solidity": (a, b + 4), "size": (b, b + 4), "lobe": (text.index("rechter"), len(text) - 1)}
    colours = {"solidity": QColor("#77AADD"), "size": QColor("#EE8866"), "lobe": QColor("#44BB99")}
    view.set_evidence(spans, {k: k for k in spans}, colours)
    start, end = view.spans()["size"]
    covering = [s for s in view.extraSelections()
                if s.cursor.selectionStart() <= start and end <= s.cursor.selectionEnd()]
    # what is painted last over the 9 mm must still show both fields' colours
    top = covering[-1].format
    assert _colours_of(top) == {"#77AADD", "#EE8866"}
    assert top.property(QTextFormat.Property.UserProperty) == "solidity,size"
    # the rest of the longer span keeps its own colour, and nothing paints over it
    solo = [s for s in view.extraSelections() if s.cursor.selectionStart() == view.spans()["solidity"][0]]
    assert len(solo) == 1 and _colours_of(solo[0].format) == {"#77AADD"}
    assert solo[0].cursor.selectionEnd() == start
    assert _colours_of([s for s in view.extraSelections()
                        if s.cursor.selectionStart() == view.spans()["lobe"][0]][0].format) == {"#44BB99"}
