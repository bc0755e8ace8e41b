"""The review view: navigation, accept/flag/reset, failed reports, re-runs, keyboard."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.engine.result import Extraction
from core.review import accept, load_state
from gui.review import ReviewView
from gui.review.field_row import NO_EVIDENCE


def open_view(qtbot, project, task) -> ReviewView:
    view = ReviewView()
    qtbot.addWidget(view)
    view.resize(1300, 850)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=2000)
    view.set_project(project)
    view.set_task(task)
    qtbot.wait(1)  # widgets added to a shown window become visible on the next event loop turn
    return view


def test_empty_states_speak_plainly(qtbot):
    view = ReviewView()
    qtbot.addWidget(view)
    assert "Open a folder" in view.form.notice.text()
    assert not view.actions.accept_button.isEnabled()


def test_opens_first_report_with_highlights_and_notes(qtbot, project, task):
    view = open_view(qtbot, project, task)
    assert view.current == "ct_thorax_01.txt"
    assert "1 of 4" in view.position.text()
    spans = view.text.spans()
    assert set(spans) == {"nodule_present", "largest_diameter_mm", "lobe", "solidity"}
    assert view.text.highlighted_text("largest_diameter_mm") == "9 mm"
    assert view.text.highlighted_text("lobe") == "In de rechterbovenkwab"
    view.show_report("ct_thorax_02.txt")
    assert "solidity" not in view.text.spans()
    assert NO_EVIDENCE in view.form.rows["solidity"].note_text()
    warning = view.form.rows["largest_diameter_mm"].warning
    assert not warning.isHidden() and "small for the largest" in warning.text()
    conf = view.form.rows["largest_diameter_mm"].confidence
    assert conf.toolTip().startswith("Model confidence: 31%") and "low" in conf.toolTip()


def test_focusing_a_field_flashes_its_evidence_and_clicking_evidence_focuses_the_field(qtbot, project, task):
    view = open_view(qtbot, project, task)
    view.focus_field("lobe")
    assert view.text.flashing_key == "lobe"
    assert view.form.current_key() == "lobe"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.form.current_key() == "solidity"
    assert view.text.flashing_key == "solidity"
    assert view.form.rows["solidity"].current and not view.form.rows["lobe"].current
    # clicking a highlight in the text focuses that field's editor
    s, _e = view.text.spans()["largest_diameter_mm"]
    c = view.text.textCursor()
    c.setPosition(s + 1)
    pos = view.text.cursorRect(c).center()
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.form.current_key() == "largest_diameter_mm"


def test_accept_with_ctrl_return_moves_to_next_unreviewed(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    changed = []
    view.report_changed.connect(changed.append)
    view.show_report("ct_thorax_02.txt")
    accept(project, "ct_thorax_03.txt", th)
    view.refresh_report("ct_thorax_03.txt")
    view.focus_field("lobe")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert project.review_state("ct_thorax_02.txt", th).state == "accepted"
    assert changed == ["ct_thorax_02.txt"]
    assert view.current == "ct_thorax_04.txt"       # 03 is already reviewed
    assert view.form.current_key() == "nodule_present"
    view.accept()
    assert view.current == "ct_thorax_01.txt"       # wraps around
    view.accept()
    assert view.current == "ct_thorax_01.txt"
    assert "Every report in this list is reviewed" in view.status.text()
    assert view.actions.accept_button.text() == "Accept again"


def test_alt_down_and_up_follow_the_overview_order(qtbot, project, task):
    view = open_view(qtbot, project, task)
    view.overview.sort_least_certain()
    view.show_report("ct_thorax_04.txt")
    view.focus_field("lobe")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.current == "ct_thorax_02.txt"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.current == "ct_thorax_01.txt"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.current == "ct_thorax_02.txt"
    view.overview.set_kind("failed")
    view.next_report()
    assert view.current == "ct_thorax_04.txt"
    view.next_report()
    assert "last report" in view.status.text()


def test_flag_with_an_inline_comment(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    view.focus_field("lobe")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.actions.comment.hasFocus()
    qtbot.keyClicks(view.actions.comment, "two nodules, which is largest?")
    qtbot.keyClick(view.actions.comment, Qt.Key.Key_Return)
    st = project.review_state("ct_thorax_01.txt", th)
    assert st.state == "flagged" and st.comment == "two nodules, which is largest?"
    assert view.current == "ct_thorax_02.txt"
    # Esc cancels a flag without storing anything
    view.actions.start_flag()
    qtbot.keyClicks(view.actions.comment, "never mind")
    qtbot.keyClick(view.actions.comment, Qt.Key.Key_Escape)
    assert project.review_state("ct_thorax_02.txt", th) is None
    assert view.actions.comment_row.isHidden()
    view.show_report("ct_thorax_01.txt")
    assert "Flagged" in view.actions.state.text() and "which is largest" in view.actions.state.text()


def test_failed_report_shows_reason_and_raw_output_and_takes_values_by_hand(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    view.show_report("ct_thorax_04.txt")
    assert "could not read this report" in view.form.notice.text()
    assert "not valid JSON" in view.form.notice.text()
    assert not view.form.raw_toggle.isHidden()
    view.form.raw_toggle.click()
    assert not view.form.raw.isHidden()
    assert view.form.raw.toPlainText().startswith('{"nodule_present.quote"')
    ed = view.form.rows["largest_diameter_mm"].editor
    ed.inner.setValue(14.0)
    combo = view.form.rows["nodule_present"].editor.inner
    combo.setCurrentIndex(combo.findData(True))
    combo.activated.emit(combo.currentIndex())
    rv = project.review_values("ct_thorax_04.txt", th)
    assert rv["largest_diameter_mm"].value == 14.0 and rv["largest_diameter_mm"].model_value is None
    assert rv["nodule_present"].value is True
    assert "Entered by hand" in view.form.rows["largest_diameter_mm"].note_text()
    assert load_state(project, "ct_thorax_04.txt", th).values["largest_diameter_mm"] == 14.0


def test_rerun_keeps_what_was_accepted_and_shows_what_the_model_says_now(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    rid = "ct_thorax_01.txt"
    view.form.rows["largest_diameter_mm"].editor.inner.setValue(10.0)
    view.accept()
    time.sleep(1.1)  # stored times have one-second resolution
    run = project.start_run(task, model_path="fake2.gguf", model_name="fake2.gguf", model_size=1,
                            model_sha256="1" * 64, backend="CPU", settings={}, app_version="test")
    ex = Extraction(status="ok", values={"nodule_present": True, "largest_diameter_mm": 12.0,
                                         "lobe": "middle lobe", "solidity": "solid"},
                    confidence={"nodule_present": 0.9, "largest_diameter_mm": 0.9, "lobe": 0.9, "solidity": 0.9})
    project.save_result(run, th, rid, ex)
    view.refresh_report(rid)
    view.show_report(rid)
    assert project.review_values(rid, th)["largest_diameter_mm"].value == 10.0
    row = view.form.rows["largest_diameter_mm"]
    assert row.editor.value() == 10.0
    assert "Model now says: 12 mm" in row.note_text()
    # the form shows what the export and the evaluation use: the value accepted
    lobe = view.form.rows["lobe"]
    assert lobe.editor.value() == "right upper lobe" == load_state(project, rid, th).value("lobe")
    assert "Model now says: middle lobe; you accepted right upper lobe" in lobe.note_text()
    assert "again after it was accepted" in view.form.notice.text()
    assert view.overview.model.index(0, 1).data() == "Reviewed (re-run)"
    # "Use the new value" takes the model's answer, without calling it a correction
    lobe.note.linkActivated.emit("use")
    assert lobe.editor.value() == "middle lobe" and not lobe.badge.isVisibleTo(view)
    assert load_state(project, rid, th).values["lobe"] == "middle lobe"
    assert "lobe" not in project.review_values(rid, th)
    assert view.actions.accept_button.text() == "Accept again"


def test_grid_double_click_opens_report_and_focuses_the_field(qtbot, project, task):
    view = open_view(qtbot, project, task)
    opened = []
    view.open_report_requested.connect(opened.append)
    pane = view.overview
    model = pane.model
    idx = pane.proxy.mapFromSource(model.index(2, model.column_of("solidity")))
    pane.table.scrollTo(idx)
    rect = pane.table.visualRect(idx)
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == ["ct_thorax_03.txt"]
    assert view.current == "ct_thorax_03.txt"
    assert view.form.current_key() == "solidity"


def test_ctrl_g_switches_between_form_and_grid_and_shortcut_overview(qtbot, project, task):
    view = open_view(qtbot, project, task)
    view.focus_field("lobe")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert view.overview.table.hasFocus()
    qtbot.keyClick(view.overview.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert view.form.current_key() == "lobe"
    text = ReviewView.shortcut_overview_text()
    for words in ("Accept the report", "Alt+Down", "Ctrl+Shift+F", "Tab"):
        assert words in text
    assert "<table" in ReviewView.shortcut_overview_text(rich=True)
    view.show_shortcuts()
    assert view._help.isVisible() and not view._help.isModal()
    view._help.close()


def test_empty_current_field_and_revert_with_keys(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    view.focus_field("largest_diameter_mm")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert project.review_values("ct_thorax_01.txt", th)["largest_diameter_mm"].value is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert project.review_values("ct_thorax_01.txt", th) == {}
    assert view.form.rows["largest_diameter_mm"].editor.value() == 9.0


def test_rerun_with_the_same_values_says_so(qtbot, project, task):
    view = open_view(qtbot, project, task)
    th = task.hash()
    rid = "ct_thorax_03.txt"
    view.show_report(rid)
    view.accept()
    time.sleep(1.1)
    same = project.result(rid, th)
    run = project.start_run(task, model_path="fake2.gguf", model_name="fake2.gguf", model_size=1,
                            model_sha256="1" * 64, backend="CPU", settings={}, app_version="test")
    project.save_result(run, th, rid, Extraction(status="ok", values=dict(same.values),
                                                 confidence=dict(same.confidence)))
    view.refresh_report(rid)
    view.show_report(rid)
    assert view.form.notice.text().endswith("its values did not change.")
    assert view.overview.model.index(2, 1).data() == "Reviewed (re-run)"


def test_screenshot_with_highlights(qtbot, project, task, artifacts):
    view = open_view(qtbot, project, task)
    view.resize(1400, 820)
    view.show_report("ct_thorax_02.txt")
    view.form.rows["lobe"].editor.inner.setCurrentIndex(2)
    view.form.rows["lobe"].editor.inner.activated.emit(2)
    view.focus_field("largest_diameter_mm")
    qtbot.waitUntil(lambda: not view.text._flash_timer.isActive(), timeout=3000)
    for key in ("nodule_present", "largest_diameter_mm", "lobe"):
        s, e = project.result("ct_thorax_02.txt", task.hash()).evidence[key]
        assert view.text.highlighted_text(key) == project.report("ct_thorax_02.txt").text[s:e]
    view.grab().save(str(artifacts / "review_demo.png"))
