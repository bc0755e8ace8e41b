"""The builder's prompt style choice: an undoable task option, shown in the prompt preview."""
from __future__ import annotations

import pytest

from core.prompt import EXTRACTINATOR_SYSTEM, system_message
from core.templates import load_bundled

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_prompt_style_is_chosen_undone_and_previewed(qtbot, builder):
    task = load_bundled("chest_ct_nodules")
    builder.set_task(task)
    combo = builder.task_form.style_combo
    assert combo.currentData() == task.options.prompt_style
    assert combo.currentText() == "llm_extractinator-compatible (default)"
    pv = builder.preview
    pv.refresh_now()
    assert pv.prompt_view.toPlainText().startswith(EXTRACTINATOR_SYSTEM[:60])
    i = combo.findData("abstractor")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    edited = builder.task()
    assert edited.options.prompt_style == "abstractor"
    qtbot.waitUntil(lambda: pv.prompt_view.toPlainText() == system_message(edited), timeout=2000)
    assert "Rules:" in pv.prompt_view.toPlainText()
    builder.undo_action.trigger()
    assert builder.task().options.prompt_style == task.options.prompt_style
    assert combo.currentData() == task.options.prompt_style


def test_a_measured_ablation_from_a_task_file_is_shown_as_it_is(builder):
    task = load_bundled("chest_ct_nodules")
    task.options.prompt_style = "abstractor_no_rules"
    builder.set_task(task)
    combo = builder.task_form.style_combo
    assert combo.currentData() == "abstractor_no_rules"
    assert "without the rules" in combo.currentText()
    assert "cost accuracy" in builder.evidence_check.toolTip()
