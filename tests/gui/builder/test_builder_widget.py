"""TaskBuilder end to end: build a task with the actions and editors, save, undo, checks, preview."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.prompt import system_message
from core.schema import json_schema
from core.task import Field, FieldType, Option, Task
from core.templates import load_bundled

# The offscreen platform warns when a top-level window is shown; that is not our bug.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def type_into(qtbot, widget, text: str) -> None:
    """Replace a text box's contents by typing, as a user would."""
    widget.setFocus()
    widget.selectAll()
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def show_active(qtbot, widget) -> None:
    """Show and activate the window: shortcuts and focus changes need an active window."""
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def choose_type(builder, field_type: FieldType) -> None:
    combo = builder.editor.type_combo
    combo.setCurrentIndex(combo.findData(field_type))


def add_option(builder, value: str, description: str = "") -> None:
    ed = builder.editor
    ed.options.add_button.click()
    row = ed.options.model.rowCount() - 1
    ed.options.model.setData(ed.options.model.index(row, 0), value)
    if description:
        ed.options.model.setData(ed.options.model.index(row, 1), description)


EXPECTED = Task(
    name="Liver CT - lesions",
    instructions="Dutch CT reports of the liver.",
    fields=[
        Field(key="lesion_type", label="Lesion type", type=FieldType.CHOICE,
              description="Kind of the largest liver lesion.", optional=False,
              options=[Option(value="cyst", description="cyste"),
                       Option(value="metastasis", description="metastase, uitzaaiing"),
                       Option(value="hemangioma")]),
        Field(key="largest_size_mm", label="Largest size", type=FieldType.DECIMAL,
              description="Diameter of the largest lesion; '1,2 cm' = 12.", unit="mm",
              minimum=0.5, maximum=250.0),
        Field(key="lesions", label="Lesions", type=FieldType.GROUP_LIST,
              description="One item per lesion.", fields=[
                  Field(key="segment", label="Segment", type=FieldType.INTEGER, minimum=1, maximum=8),
                  Field(key="size_mm", label="Size", type=FieldType.DECIMAL, unit="mm"),
              ]),
    ])


def build_expected(qtbot, builder) -> None:
    """EXPECTED, made only with the builder's actions and editor widgets."""
    ed = builder.editor
    type_into(qtbot, builder.name_edit, "Liver CT - lesions")
    builder.instructions_edit.setFocus()
    qtbot.keyClicks(builder.instructions_edit, "Dutch CT reports of the liver.")

    builder.add_field_action.trigger()
    type_into(qtbot, ed.label_edit, "Lesion type")              # the key follows: lesion_type
    choose_type(builder, FieldType.CHOICE)
    ed.description_edit.setFocus()
    qtbot.keyClicks(ed.description_edit, "Kind of the largest liver lesion.")
    ed.optional_check.click()                                  # must be answered
    add_option(builder, "cyst", "cyste")
    add_option(builder, "hemangioma")
    add_option(builder, "metastasis", "metastase, uitzaaiing")
    ed.options.view.setCurrentIndex(ed.options.model.index(2, 0))
    ed.options.up_button.click()

    builder.add_field_action.trigger()
    type_into(qtbot, ed.label_edit, "Largest size")
    type_into(qtbot, ed.key_edit, "largest_size_mm")
    choose_type(builder, FieldType.DECIMAL)
    ed.description_edit.setFocus()
    qtbot.keyClicks(ed.description_edit, "Diameter of the largest lesion; '1,2 cm' = 12.")
    type_into(qtbot, ed.unit_edit, "mm")
    type_into(qtbot, ed.min_edit, "0,5")                       # a decimal comma is fine
    type_into(qtbot, ed.max_edit, "250")

    builder.add_field_action.trigger()
    type_into(qtbot, ed.label_edit, "Lesions")
    choose_type(builder, FieldType.GROUP_LIST)
    ed.description_edit.setFocus()
    qtbot.keyClicks(ed.description_edit, "One item per lesion.")
    ed.add_child_button.click()
    type_into(qtbot, ed.label_edit, "Segment")
    choose_type(builder, FieldType.INTEGER)
    type_into(qtbot, ed.min_edit, "1")
    type_into(qtbot, ed.max_edit, "8")
    builder.add_field_action.trigger()                         # a sibling inside the group
    type_into(qtbot, ed.label_edit, "Size")
    type_into(qtbot, ed.key_edit, "size_mm")
    choose_type(builder, FieldType.DECIMAL)
    type_into(qtbot, ed.unit_edit, "mm")


def test_build_and_save_a_task(qtbot, builder, user_tasks):
    builder.show()
    build_expected(qtbot, builder)
    assert builder.task() == EXPECTED
    assert builder.save_action.isEnabled()
    with qtbot.wait_signal(builder.task_saved) as saved:
        builder.save_action.trigger()
    assert saved.args[0] == EXPECTED
    files = list(user_tasks.glob("*.json"))
    assert [f.name for f in files] == ["liver_ct_lesions.json"]
    assert Task.load(files[0]) == EXPECTED
    assert not builder.is_modified()
    assert "Saved" in builder.status_label.text()


def test_undo_and_redo_restore_the_task_exactly(qtbot, builder):
    builder.show()
    build_expected(qtbot, builder)
    built = builder.task()
    builder.select_field("lesion_type")
    choose_type(builder, FieldType.TEXT)                      # drops the options
    builder.select_field("lesions.segment")
    builder.remove_action.trigger()
    builder.select_field("largest_size_mm")
    builder.move_up_action.trigger()
    changed = builder.task()
    assert [f.key for f in changed.fields] == ["largest_size_mm", "lesion_type", "lesions"]
    assert changed.fields[1].options == [] and len(changed.fields[2].fields) == 1

    for _ in range(3):
        builder.undo_action.trigger()
    assert builder.task() == built
    for _ in range(3):
        builder.redo_action.trigger()
    assert builder.task() == changed
    while builder.undo_stack.canUndo():
        builder.undo_action.trigger()
    assert builder.task() == Task(name="")


def test_typing_is_one_undo_step_and_ctrl_z_reaches_the_builder(qtbot, builder):
    builder.set_task(load_bundled("chest_ct_nodules"))
    show_active(qtbot, builder)
    ed = builder.editor
    builder.select_field("lobe")
    type_into(qtbot, ed.label_edit, "Lung lobe")
    assert builder.undo_stack.count() == 1
    assert builder.task().field_at("lobe").label == "Lung lobe"      # a key set by hand stays
    qtbot.keyClick(ed.label_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert builder.task() == load_bundled("chest_ct_nodules")
    assert ed.label_edit.text() == "Lobe"
    qtbot.keyClick(ed.label_edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert ed.label_edit.text() == "Lung lobe"


def test_duplicate_keys_block_saving_with_the_reason_shown(qtbot, builder, user_tasks):
    builder.show()
    type_into(qtbot, builder.name_edit, "Sizes")
    ed = builder.editor
    builder.add_field_action.trigger()
    type_into(qtbot, ed.label_edit, "Size")
    builder.add_field_action.trigger()
    type_into(qtbot, ed.label_edit, "Size")
    assert "Duplicate key 'size'" in ed.problem_label.text()
    assert ed.problem_label.isVisible()
    idx = builder.model.index(1, 0)
    assert builder.model.data(idx, Qt.ItemDataRole.DecorationRole) is not None
    assert "Duplicate key 'size'" in builder.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert not builder.save_action.isEnabled()
    assert "Duplicate key 'size'" in builder.status_label.text()
    assert "Duplicate key 'size'" in builder.save_action.toolTip()
    assert builder.save() is None and not list(user_tasks.iterdir())

    type_into(qtbot, ed.key_edit, "size_2")
    assert not ed.problem_label.isVisible()
    assert builder.save_action.isEnabled()


def test_choice_without_options_and_empty_group_are_flagged(qtbot, builder):
    builder.show()
    type_into(qtbot, builder.name_edit, "Checks")
    ed = builder.editor
    builder.add_field_action.trigger()
    choose_type(builder, FieldType.CHOICE)
    assert "A choice field needs at least one option." in ed.problem_label.text()
    assert ed.options.isVisible() and not ed.number_box.isVisible()
    add_option(builder, "")
    assert "Options cannot be empty." in ed.problem_label.text()
    ed.options.model.setData(ed.options.model.index(0, 0), "left")
    assert ed.problem_label.text() == ""

    builder.add_field_action.trigger()
    choose_type(builder, FieldType.GROUP)
    assert "A group needs at least one field." in ed.problem_label.text()
    assert ed.group_box.isVisible() and "no fields yet" in ed.group_hint.text()
    assert not builder.save_action.isEnabled()
    assert "A group needs at least one field." in builder.status_label.text()
    builder.add_child_action.trigger()
    assert builder.save_action.isEnabled()


def test_a_new_task_says_what_is_missing(builder):
    assert not builder.save_action.isEnabled()
    assert "The task needs a name." in builder.status_label.text()
    assert "The task has no fields yet." in builder.status_label.toolTip()


def test_nesting_actions(qtbot, builder):
    builder.set_task(Task(name="T", fields=[
        Field(key="group", type=FieldType.GROUP, fields=[Field(key="a")]), Field(key="b")]))
    builder.select_field("b")
    assert builder.indent_action.isEnabled() and not builder.outdent_action.isEnabled()
    builder.indent_action.trigger()
    assert [p for p, _ in builder.task().walk()] == ["group", "group.a", "group.b"]
    assert builder.current_field().key == "b" and builder.outdent_action.isEnabled()
    builder.outdent_action.trigger()
    assert [p for p, _ in builder.task().walk()] == ["group", "group.a", "b"]
    builder.undo_action.trigger()
    builder.undo_action.trigger()
    assert [p for p, _ in builder.task().walk()] == ["group", "group.a", "b"]


def test_preview_follows_every_edit(qtbot, builder):
    task = load_bundled("chest_ct_nodules")
    builder.set_task(task)
    pv = builder.preview
    pv.refresh_now()
    assert pv.prompt_view.toPlainText() == system_message(task)
    assert json.loads(pv.schema_view.toPlainText()) == json_schema(task)
    builder.select_field("lobe")
    type_into(qtbot, builder.editor.label_edit, "Lung lobe")
    builder.evidence_check.click()
    edited = builder.task()
    assert edited.options.evidence is False
    qtbot.waitUntil(lambda: pv.prompt_view.toPlainText() == system_message(edited), timeout=2000)
    qtbot.waitUntil(lambda: pv.schema_view.toPlainText() == json.dumps(json_schema(edited), indent=2,
                                                                        ensure_ascii=False), timeout=2000)
    assert "lobe.quote" not in pv.schema_view.toPlainText()


def test_set_task_edits_a_copy_and_clears_history(builder):
    task = load_bundled("chest_ct_nodules")
    builder.set_task(task)
    assert builder.task() == task and builder.task() is not task
    assert builder.undo_stack.count() == 0 and not builder.is_modified()
    builder.select_field("solidity")
    builder.remove_action.trigger()
    assert len(task.fields) == 4 and builder.is_modified()


def test_screenshot_with_a_realistic_task(qtbot, builder):
    builder.set_task(load_bundled("chest_ct_nodules"))
    builder.set_report("ct_thorax_01.txt", "CT THORAX ...")
    builder.select_field("lobe")
    builder.show()
    qtbot.waitExposed(builder)
    builder.preview.refresh_now()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "builder.png"
    assert builder.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_screenshot_with_a_group_a_problem_and_try_results(qtbot, builder):
    from core.engine.result import Extraction

    task = load_bundled("recist_target_lesions")
    builder.set_task(task)
    builder.select_field("target_lesions")
    builder.add_child_action.trigger()
    type_into(qtbot, builder.editor.label_edit, "Organ")     # a duplicate key: organ
    builder.set_report("ct_abdomen_07.txt", "CT ABDOMEN ...")
    panel = builder.try_panel
    values = {"target_lesions": [{"lesion": "liver segment 4", "organ": "liver", "size_mm": 23.0},
                                 {"lesion": "right lung", "organ": "lung", "size_mm": 14.0}],
              "sum_of_diameters_mm": 37.0, "overall_response": None}
    panel.show_extraction(Extraction(
        status="ok", values=values,
        quotes={"target_lesions": "leverlaesie segment 4 van 23 mm", "sum_of_diameters_mm": "som 37 mm",
                "overall_response": None},
        confidence={"target_lesions": 0.82, "sum_of_diameters_mm": 0.95, "overall_response": 0.41}), task)
    builder.show()
    qtbot.waitExposed(builder)
    ARTIFACTS.mkdir(exist_ok=True)
    assert builder.grab().save(str(ARTIFACTS / "builder_group.png"))
    assert panel.table.rowCount() == 3
    assert "Duplicate key 'organ'" in builder.editor.problem_label.text()


def test_keyboard_shortcuts(qtbot, builder, user_tasks):
    builder.set_task(Task(name="Keys", fields=[Field(key="a"), Field(key="b")]))
    show_active(qtbot, builder)
    builder.select_field("a")
    builder.tree.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.wait_signal(builder.changed):
        qtbot.keyClick(builder.tree, Qt.Key.Key_A, ctrl_shift)            # add field
    assert [f.key for f in builder.task().fields] == ["a", "new_field", "b"]
    builder.tree.setFocus()
    qtbot.keyClick(builder.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)   # move down
    assert [f.key for f in builder.task().fields] == ["a", "b", "new_field"]
    qtbot.keyClick(builder.tree, Qt.Key.Key_Delete)                        # remove
    assert [f.key for f in builder.task().fields] == ["a", "b"]
    qtbot.keyClick(builder.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)          # undo remove
    assert [f.key for f in builder.task().fields] == ["a", "b", "new_field"]
    qtbot.keyClick(builder.tree, Qt.Key.Key_Z, ctrl_shift)                                   # redo remove
    assert [f.key for f in builder.task().fields] == ["a", "b"]
    with qtbot.wait_signal(builder.task_saved):
        qtbot.keyClick(builder.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (user_tasks / "keys.json").is_file()
    qtbot.keyClick(builder.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert builder.task().fields[0].key == "a"                              # "a" is no group: no child


def test_setting_the_saved_task_again_keeps_the_undo_history(qtbot, builder, user_tasks):
    builder.set_task(Task(name="Keep", fields=[Field(key="a")]))
    builder.add_field_action.trigger()
    with qtbot.wait_signal(builder.task_saved) as saved:
        builder.save_action.trigger()
    builder.set_task(saved.args[0])          # what the main window does after a save
    assert builder.undo_stack.count() == 1 and not builder.is_modified()
    builder.undo_action.trigger()
    assert builder.task() == Task(name="Keep", fields=[Field(key="a")]) and builder.is_modified()


def test_each_typing_burst_is_its_own_undo_step(qtbot, builder):
    show_active(qtbot, builder)
    builder.instructions_edit.setFocus()
    qtbot.keyClicks(builder.instructions_edit, "Dutch")
    builder.name_edit.setFocus()                       # leaving the box ends the burst
    builder.instructions_edit.setFocus()
    builder.instructions_edit.moveCursor(builder.instructions_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(builder.instructions_edit, " reports")
    assert builder.task().instructions == "Dutch reports"
    assert builder.undo_stack.count() == 2
    builder.undo_action.trigger()
    assert builder.task().instructions == "Dutch" == builder.instructions_edit.toPlainText()


def test_a_long_task_name_shows_its_start(qtbot, builder):
    """Seen at 1366×768: the Name box showed "nest CT – pulmonary nodules", the end of the name."""
    builder.set_task(load_bundled("chest_ct_nodules"))
    assert builder.name_edit.text() == "Chest CT – pulmonary nodules"
    assert builder.name_edit.cursorPosition() == 0
