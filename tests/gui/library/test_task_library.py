"""The task library: bundled templates, user tasks, duplicate, import, export."""
from __future__ import annotations

import json

import pytest

from core.task import FieldType, Task
from core.task_import import TaskFileError
from gui.library import TaskLibrary
from gui.library.entries import BUNDLED, USER, copy_name
from gui.library.model import TaskLibraryModel

EXTRACTINATOR = {
    "Task": "Lung nodule follow-up",
    "Description": "Extract the largest nodule and whether follow-up is advised.",
    "Data_Path": "reports.json",
    "Input_Field": "text",
    "Parser_Format": {
        "nodule_size_mm": {"type": "float", "description": "Largest nodule in mm", "optional": True},
        "follow_up": {"type": "bool", "description": "Is follow-up CT advised?"},
        "lobe": {"type": "str", "literals": ["RUL", "RML", "RLL", "LUL", "LLL"]},
    },
}


@pytest.fixture
def library(qtbot):
    lib = TaskLibrary()
    qtbot.addWidget(lib)
    return lib


def test_lists_the_six_bundled_templates(library, qtmodeltester):
    entries = library.entries()
    assert len(entries) == 6 and all(e.kind == BUNDLED for e in entries)
    assert "Chest CT – pulmonary nodules" in [e.title for e in entries]
    qtmodeltester.check(library.model)


def test_choose_and_edit_emit_a_copy_of_the_task(qtbot, library):
    assert library.select("Chest CT – pulmonary nodules")
    assert "Fields:" in library.details.toPlainText()
    with qtbot.wait_signal(library.task_chosen) as chosen:
        library.use_button.click()
    task = chosen.args[0]
    assert isinstance(task, Task) and task.name == "Chest CT – pulmonary nodules"
    task.name = "changed"
    assert library.current_entry().task.name == "Chest CT – pulmonary nodules"
    with qtbot.wait_signal(library.edit_requested) as edited:
        library.edit_button.click()
    assert edited.args[0].name == "Chest CT – pulmonary nodules"
    assert not library.delete_button.isEnabled()  # templates cannot be deleted


def test_duplicate_makes_a_user_task(library, user_data):
    library.select("Prostate MRI – PI-RADS")
    entry = library.duplicate_current()
    assert entry.kind == USER and entry.title == "Copy of Prostate MRI – PI-RADS"
    assert entry.path.parent == user_data / "tasks" and entry.path.is_file()
    again = library.duplicate_current()
    assert again.title == "Copy of Prostate MRI – PI-RADS (2)"
    assert len(library.entries()) == 8
    assert library.delete_button.isEnabled()
    assert library.delete_current()
    assert len(library.entries()) == 7


def test_import_llm_extractinator_file(library, tmp_path, qtmodeltester):
    path = tmp_path / "Task042_nodules.json"
    path.write_text(json.dumps(EXTRACTINATOR), "utf-8")
    entry = library.import_file(path)
    assert entry.kind == USER and entry.title == "Lung nodule follow-up"
    types = {f.key: f.type for f in entry.task.fields}
    assert types == {"nodule_size_mm": FieldType.DECIMAL, "follow_up": FieldType.YES_NO,
                     "lobe": FieldType.CHOICE}
    assert library.current_entry().title == "Lung nodule follow-up"
    qtmodeltester.check(library.model)


def test_import_refuses_bad_files_clearly(library, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(TaskFileError, match="not valid JSON"):
        library.import_file(bad)
    code = tmp_path / "code.json"
    code.write_text(json.dumps({"Task": "x", "Parser_Format": "parser.py"}), "utf-8")
    with pytest.raises(TaskFileError, match="never runs code"):
        library.import_file(code)
    assert len(library.entries()) == 6


def test_export_to_file(library, tmp_path):
    library.select("Colon biopsy – pathology")
    out = library.export_current(tmp_path / "colon")
    assert out.name == "colon.json"
    assert Task.load(out).name == "Colon biopsy – pathology"


def test_copy_name():
    assert copy_name("A", set()) == "Copy of A"
    assert copy_name("A", {"Copy of A"}) == "Copy of A (2)"
    assert copy_name("Copy of A", {"Copy of A"}) == "Copy of A (2)"


def test_empty_model(qtmodeltester):
    qtmodeltester.check(TaskLibraryModel())
