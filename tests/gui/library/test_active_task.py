"""The task in use is shown in the status bar and confirmed in the library; full names show."""
from __future__ import annotations

from core.templates import load_bundled
from gui.library import TaskLibrary
from gui.statusbar import AppStatusBar


def test_use_this_task_is_confirmed_in_the_library(qtbot):
    panel = TaskLibrary()
    qtbot.addWidget(panel)
    entries = panel.entries()
    assert len(entries) >= 2
    panel.table.selectRow(0)
    assert panel.use_button.isEnabled() and panel.use_button.text() == "Use this task"
    with qtbot.wait_signal(panel.task_chosen) as blocker:
        panel.use_button.click()
    panel.set_active_task(blocker.args[0])              # what the window does on task_changed
    assert panel.use_button.text() == "✓ In use" and not panel.use_button.isEnabled()
    assert entries[0].title in panel.active_label.text()
    assert panel.model.index(0, 0).data().endswith("✓ in use")
    assert panel.model.index(0, 0).data(0x0006).bold()       # FontRole
    panel.table.selectRow(1)
    assert panel.use_button.text() == "Use this task" and panel.use_button.isEnabled()
    assert not panel.model.index(1, 0).data().endswith("✓ in use")


def test_full_task_names_are_not_cut_off(qtbot):
    panel = TaskLibrary()
    qtbot.addWidget(panel)
    assert panel.table.wordWrap()
    assert panel.table.textElideMode().name == "ElideNone"


def test_status_bar_shows_the_task_in_use(qtbot):
    bar = AppStatusBar()
    qtbot.addWidget(bar)
    assert bar.task_label.text() == "No task"
    task = load_bundled("prostate_mri")
    bar.set_task(task)
    assert bar.task_label.text() == f"Task: {task.name}"
