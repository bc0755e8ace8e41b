"""Every field type's editor round-trips a value: form → project → a new form."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from core.engine.result import Extraction
from core.reports import Report
from core.review import load_state
from core.store.project import Project
from core.task import Field, FieldType, Option, Task
from gui.review import ReviewView
from gui.review.inputs import CheckList, LinesEdit, NullableDateEdit, NullableSpinBox, TextLine, ValueCombo

TEXT = ("CT thorax d.d. 2024-03-12. Patiënt 64 jaar, roker.\n"
        "Solide nodule van 8 mm in de rechterbovenkwab. Tweede nodule van 4 mm in de linkeronderkwab.\n"
        "Emfyseem. Geen pleuravocht.\n")


def all_types_task() -> Task:
    return Task(name="Every field type", fields=[
        Field(key="summary", type=FieldType.TEXT),
        Field(key="nodule_count", type=FieldType.INTEGER),
        Field(key="largest_mm", type=FieldType.DECIMAL, unit="mm", minimum=1, maximum=60),
        Field(key="nodule_present", type=FieldType.YES_NO, optional=False),
        Field(key="scan_date", type=FieldType.DATE),
        Field(key="lobe", type=FieldType.CHOICE, options=[
            Option(value="right upper lobe", description="rechterbovenkwab"), Option(value="left lower lobe")]),
        Field(key="other_findings", type=FieldType.MULTI_CHOICE, options=[
            Option(value="emphysema"), Option(value="effusion"), Option(value="lymphadenopathy")]),
        Field(key="keywords", type=FieldType.TEXT_LIST),
        Field(key="patient", type=FieldType.GROUP, fields=[
            Field(key="age", type=FieldType.INTEGER), Field(key="smoker", type=FieldType.YES_NO)]),
        Field(key="lesions", type=FieldType.GROUP_LIST, fields=[
            Field(key="location", type=FieldType.TEXT), Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")]),
    ])


MODEL = {
    "summary": "twee noduli", "nodule_count": 2, "largest_mm": 8.0, "nodule_present": True,
    "scan_date": "2024-03-12", "lobe": "right upper lobe", "other_findings": ["emphysema"],
    "keywords": ["nodule"], "patient": {"age": 64, "smoker": True},
    "lesions": [{"location": "right upper lobe", "size_mm": 8.0}],
}
EXPECTED = {
    "summary": "one nodule", "nodule_count": 3, "largest_mm": 12.5, "nodule_present": False,
    "scan_date": "2023-11-02", "lobe": "left lower lobe", "other_findings": ["emphysema", "effusion"],
    "keywords": ["nodule", "emphysema"], "patient": {"age": 65, "smoker": True},
    "lesions": [{"location": "right upper lobe", "size_mm": 8.0}, {"location": "left lower lobe", "size_mm": 4.5}],
}


def make(tmp_path) -> tuple[Project, Task]:
    task = all_types_task()
    project = Project(tmp_path / "types.abstractor")
    project.add_reports([Report.make_ready("r1.txt", "r1.txt", TEXT, len(TEXT))])
    run = project.start_run(task, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0",
                            backend="CPU", settings={}, app_version="test")
    ex = Extraction(status="ok", values=dict(MODEL), confidence={k: 0.9 for k in MODEL},
                    evidence={"largest_mm": [TEXT.index("8 mm"), TEXT.index("8 mm") + 4]})
    project.save_result(run, task.hash(), "r1.txt", ex)
    return project, task


def open_view(qtbot, project, task) -> ReviewView:
    view = ReviewView()
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=2000)
    view.set_project(project)
    view.set_task(task)
    view.show_report("r1.txt")
    return view


def inner(view, key):
    return view.form.rows[key].editor


def test_each_field_type_round_trips(qtbot, tmp_path):
    project, task = make(tmp_path)
    th = task.hash()
    view = open_view(qtbot, project, task)
    assert view.current == "r1.txt"
    # the form shows the model's values
    for key, v in MODEL.items():
        assert inner(view, key).value() == v, key

    # text: typed, confirmed with Enter
    line = inner(view, "summary").inner
    assert isinstance(line, TextLine)
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "one nodule")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    # whole number and decimal: typed into the spin box
    for key, typed in (("nodule_count", "3"), ("largest_mm", "12.5")):
        spin = inner(view, key).inner
        assert isinstance(spin, NullableSpinBox)
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, typed)
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    # yes/no: keyboard in the combo
    combo = inner(view, "nodule_present").inner
    assert isinstance(combo, ValueCombo)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    # date: the calendar / typed date
    date = inner(view, "scan_date").inner
    assert isinstance(date, NullableDateEdit)
    date.setDate(QDate(2023, 11, 2))
    # choice
    choice = inner(view, "lobe").inner
    choice.setCurrentIndex(choice.findData("left lower lobe"))
    choice.activated.emit(choice.currentIndex())
    # multiple choice: tick a box
    checks = inner(view, "other_findings").inner
    assert isinstance(checks, CheckList)
    checks.item(1).setCheckState(Qt.CheckState.Checked)
    # text list: one per line, saved when leaving the field
    lines = inner(view, "keywords").inner
    assert isinstance(lines, LinesEdit)
    lines.setPlainText("nodule\nemphysema\n")
    # group: a part of it
    age = inner(view, "patient").children_editors["age"].inner
    age.setFocus()
    age.selectAll()
    qtbot.keyClicks(age, "65")
    qtbot.keyClick(age, Qt.Key.Key_Tab)
    # repeating group: add a row and fill its cells through the cell editors
    table_ed = inner(view, "lesions")
    table_ed.add_row()
    table = table_ed.table
    for col, value in ((0, "left lower lobe"), (1, 4.5)):
        idx = table.model().index(1, col)
        table.setCurrentIndex(idx)
        table.edit(idx)
        editor = table.viewport().findChildren(TextLine if col == 0 else NullableSpinBox)[-1]
        editor.put(value)
        table_ed.flush()
        table.closePersistentEditor(table.item(1, col))
    view.form.commit_pending()

    stored = {k: rv.value for k, rv in project.review_values("r1.txt", th).items()}
    assert stored == EXPECTED
    rv = project.review_values("r1.txt", th)
    assert rv["largest_mm"].model_value == 8.0
    assert rv["largest_mm"].reviewer
    for key in EXPECTED:
        assert not view.form.rows[key].badge.isHidden(), key
    assert "Model said: 8 mm" in view.form.rows["largest_mm"].note_text()

    # a new Project object and a new view show the reviewer's values
    path = project.path
    project.close()
    again = Project(path)
    try:
        view2 = open_view(qtbot, again, task)
        for key, v in EXPECTED.items():
            assert inner(view2, key).value() == v, key
        assert load_state(again, "r1.txt", th).values == EXPECTED
    finally:
        again.close()


def test_empty_values_round_trip(qtbot, tmp_path):
    project, task = make(tmp_path)
    view = open_view(qtbot, project, task)
    for key in ("largest_mm", "scan_date"):
        ed = inner(view, key)
        ed.clear_button.click()
        assert ed.value() is None
    spin = inner(view, "nodule_count").inner
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClick(spin, Qt.Key.Key_Delete)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    combo = inner(view, "lobe").inner
    combo.setCurrentIndex(combo.findData(None))
    combo.activated.emit(combo.currentIndex())
    stored = {k: rv.value for k, rv in project.review_values("r1.txt", task.hash()).items()}
    assert stored == {"largest_mm": None, "scan_date": None, "nodule_count": None, "lobe": None}
    assert inner(view, "largest_mm").inner.text() == "—"
    project.close()


def test_revert_and_reset(qtbot, tmp_path):
    project, task = make(tmp_path)
    th = task.hash()
    view = open_view(qtbot, project, task)
    changed = []
    view.report_changed.connect(changed.append)
    ed = inner(view, "largest_mm")
    ed.inner.setValue(20.0)
    assert project.review_values("r1.txt", th)["largest_mm"].value == 20.0
    assert changed == ["r1.txt"]
    row = view.form.rows["largest_mm"]
    row.revert.click()
    assert "largest_mm" not in project.review_values("r1.txt", th)
    assert ed.value() == 8.0
    assert row.badge.isHidden()
    ed.inner.setValue(21.0)
    inner(view, "lobe").inner.setCurrentIndex(2)
    inner(view, "lobe").inner.activated.emit(2)
    assert len(project.review_values("r1.txt", th)) == 2
    view.accept()
    view.actions.reset_button.click()
    assert project.review_values("r1.txt", th) == {}
    assert project.review_state("r1.txt", th) is None
    assert inner(view, "largest_mm").value() == 8.0
    assert [e["action"] for e in project.review_events(th)][-3:] == ["revert", "revert", "reopen"]
    project.close()
