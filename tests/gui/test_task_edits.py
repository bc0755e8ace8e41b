"""Unsaved task edits and saved task versions in the main window (issue 14, problems 2 and 3).

The run never silently uses another task than the one the user sees, unsaved
edits are never lost without asking, and saving a changed task keeps the
results and reviews of the version in use.
"""
from __future__ import annotations

import pytest

from core.engine.result import Extraction
from core.review import accept
from core.runner import Progress
from core.task import Field, FieldType, Task


TASK = Task(name="Nodules", fields=[Field(key="size_mm", type=FieldType.DECIMAL, label="Size (mm)")])


@pytest.fixture
def opened(qtbot, window, tmp_path, user_tasks):
    """The window with a folder of three reports and TASK in use."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(f"CT thorax {i}. Nodule {i + 4} mm.", "utf-8")
    with qtbot.wait_signal(window.project_opened):
        window.open_folder(folder)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    window.set_task(TASK)
    window.edit_task()
    return window


def _add_field(w) -> None:
    w.builder.add_field(FieldType.TEXT)
    w.builder.editor.label_edit.setText("Lobe")  # a valid field: the task can be saved


def _store_results(w, *report_ids: str) -> None:
    task = w.task
    run = w.project.start_run(task, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="x",
                              backend="CPU", settings={}, app_version="test")
    for rid in report_ids:
        w.project.save_result(run, task.hash(), rid, Extraction(status="ok", values={"size_mm": 5.0}))
    w.browser.model.refresh_statuses()


# ---- problem 2: unsaved edits -------------------------------------------------------------------
def test_unsaved_edits_show_in_title_and_tab(qtbot, opened):
    w = opened
    assert not w.windowTitle().endswith("*")
    with qtbot.wait_signal(w.builder.modified_changed) as blocker:
        _add_field(w)
    assert blocker.args == [True]
    assert w.windowTitle().endswith(" *")
    assert w.tabs.tabText(1) == "Task *"
    with qtbot.wait_signal(w.builder.modified_changed):
        assert w.builder.save() is not None
    assert not w.windowTitle().endswith("*")
    assert w.tabs.tabText(1) == "Task"


def test_start_asks_and_save_and_run_uses_the_edited_task(qtbot, opened, answer_choice):
    w = opened
    _add_field(w)
    edited = w.builder.task()
    asked = answer_choice("save")
    w.start_run()
    assert asked and "not saved" in asked[0] and "Nodules" in asked[0]
    # the run goes with the task as the user sees it in the editor
    assert w.task.hash() == edited.hash()
    assert w.run_panel.task.hash() == edited.hash()
    assert w.project.current_task().hash() == edited.hash()
    assert not w.builder.is_modified()


def test_start_asks_and_run_the_saved_task_keeps_the_edits(qtbot, opened, answer_choice):
    w = opened
    _add_field(w)
    asked = answer_choice("saved")
    w.start_run()
    assert asked
    assert w.task.hash() == TASK.hash() and w.run_panel.task.hash() == TASK.hash()
    assert w.builder.is_modified() and len(w.builder.task().fields) == 2   # the edits stay in the editor


def test_start_cancel_starts_nothing(qtbot, opened, answer_choice):
    w = opened
    _add_field(w)
    w.run_panel.set_which("all")
    before = w.run_panel.message.text()
    asked = answer_choice("cancel")
    w.start_run()
    assert asked
    assert not w.host.busy and w.run_panel.message.text() == before
    assert w.task.hash() == TASK.hash() and w.builder.is_modified()


def test_quit_with_unsaved_edits_asks(qtbot, opened, answer_choice, user_tasks):
    w = opened
    w.show()
    _add_field(w)
    asked = answer_choice("cancel")
    assert not w.close()
    assert asked and w.isVisible() and w.project is not None and w.builder.is_modified()
    asked = answer_choice("save")
    assert w.close()
    assert asked and w.project is None
    assert [p.name for p in user_tasks.iterdir()] == ["nodules.json"]


# ---- problem 3: saving a changed task keeps the results of the version in use ------------------------
def test_saving_a_changed_task_asks_and_keep_changes_nothing(qtbot, opened, answer_choice):
    w = opened
    _store_results(w, "r0.txt", "r1.txt")
    accept(w.project, "r0.txt", TASK.hash())
    w.browser.model.refresh_statuses()
    _add_field(w)
    asked = answer_choice("keep")
    w.builder.save()
    assert asked and "2 reports have results" in asked[0] and "1 of them reviewed" in asked[0]
    assert w.task.hash() == TASK.hash()
    assert w.browser.model.status("r0.txt") == "reviewed" and w.browser.model.status("r1.txt") == "extracted"
    assert w.builder.task().hash() == TASK.hash() and not w.builder.is_modified()  # the editor shows what runs


def test_the_new_version_keeps_the_previous_results_and_progress_resets(qtbot, opened, answer_choice):
    w = opened
    _store_results(w, "r0.txt", "r1.txt")
    accept(w.project, "r0.txt", TASK.hash())
    w.run_panel.progress_view.show_progress(Progress(total=3, done=2, ok=2), live=False)  # as a run left it
    assert w.run_panel.bar.text() == "2 of 3 reports"
    _add_field(w)
    new = w.builder.task()
    asked = answer_choice("new")
    w.builder.save()
    assert asked
    assert w.task.hash() == new.hash()
    assert w.browser.model.status("r1.txt") == "not run"
    assert w.run_panel.bar.text() != "2 of 3 reports"   # the old counts are not this task's
    versions = {v.hash: v for v in w.project.task_versions()}
    assert versions[TASK.hash()].results == 2 and versions[TASK.hash()].decided == 1
    assert versions[new.hash()].empty
    # the previous version, with its results and review, comes back from Task › Versions
    menu = w.window_actions.versions_menu
    w.window_actions.fill_versions()
    labels = [a.text() for a in menu.actions()]
    assert len(labels) == 2 and "2 with results, 1 reviewed or flagged" in labels[0]
    with qtbot.wait_signal(w.task_changed):
        menu.actions()[0].trigger()
    assert w.task.hash() == TASK.hash()
    assert w.browser.model.status("r0.txt") == "reviewed" and w.browser.model.status("r1.txt") == "extracted"
