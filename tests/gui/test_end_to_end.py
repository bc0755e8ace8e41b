"""End to end with the real main window and the embedded model.

Open a folder of demo reports, choose the chest CT template, run it (cancel
after the first result, then resume with "not yet run"), correct a number
in the review and accept, re-run that report, then reopen the project in a
new window with a new Project object: the correction and the acceptance
are there.
"""
from __future__ import annotations

import shutil
import time

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication

from core.review import load_state
from core.store.project import Project
from core.templates import demo_reports_dir, load_bundled

REPORTS = ["ct_thorax_01.txt", "ct_thorax_02.txt", "ct_thorax_03.txt", "ct_thorax_04.txt"]
EDITED = "ct_thorax_02.txt"


class _Relay(QObject):
    """Main-thread copies of the worker's signals (safe to wait on with qtbot)."""

    model_loaded = Signal(dict)
    result = Signal(str, object)
    run_finished = Signal(object)

    def __init__(self, worker):
        super().__init__()
        for name in ("model_loaded", "result", "run_finished"):
            getattr(worker, name).connect(getattr(self, name))


def _settings(path):
    from gui.settings import Settings

    s = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    s.set("n_threads", 1)  # a small shared test machine: one model thread leaves a core to the UI
    return s


def _new_window(qtbot, settings):
    from gui.main_window import MainWindow

    w = MainWindow(settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.shutdown())  # no questions at teardown
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


@pytest.mark.model
def test_open_run_cancel_resume_review_and_reopen(qtbot, tmp_path, model_path, artifacts):
    from gui.main_window import TAB_REVIEW

    folder = tmp_path / "CT reports"
    folder.mkdir()
    for name in REPORTS:
        shutil.copy(demo_reports_dir() / name, folder / name)
    window = _new_window(qtbot, _settings(tmp_path / "one.ini"))
    try:
        relay = _Relay(window.host.worker)
        # 1) open the folder
        with qtbot.wait_signal(window.workspace.loading_finished, timeout=60000):
            assert window.open_folder(folder)
        project = window.project
        assert sorted(project.report_ids()) == REPORTS
        # 2) the chest CT template
        task = load_bundled("chest_ct_nodules")
        window.set_task(task)
        th = task.hash()
        panel, review = window.run_panel, window.review
        assert panel.to_run.text() == "Choose a model first."
        assert review.data.task_hash == th and len(review.data.ids) == 4
        with qtbot.wait_signal(relay.model_loaded, timeout=120000):
            assert window.load_model(model_path)
        assert panel.to_run.text() == "4 reports will be read."

        # 3) run; cancel after the first result arrives (how soon it lands: `abstractor bench-ui cancel`) ...
        finished_at: list[float] = []
        window.host.worker.run_finished.connect(lambda *_: finished_at.append(time.perf_counter()))
        with qtbot.wait_signal(relay.result, timeout=300000):
            window.start_run("all")
        t0 = time.perf_counter()
        with qtbot.wait_signal(relay.run_finished, timeout=10000) as sig:
            window.cancel_run()
        latency = finished_at[0] - t0
        print(f"\ncancel latency (after the first result): {latency * 1000:.0f} ms")
        assert sig.args[0].state == "cancelled"
        kept = project.latest_results(th)
        assert 1 <= len(kept) < 4
        assert panel.state == "ready"
        # ... stored results stay; "not yet run" completes the rest
        with qtbot.wait_signal(relay.run_finished, timeout=300000) as sig:
            window.start_run("not_run")
        assert sig.args[0].state == "finished"
        assert sig.args[0].progress.total == 4 - len(kept)
        results = project.latest_results(th)
        assert sorted(results) == REPORTS
        for rid, row in kept.items():
            assert results[rid].created_at == row.created_at and results[rid].run_id == row.run_id
        assert panel.message.text().startswith("Finished:")

        # 4) review: open a report, correct a number
        window.tabs.setCurrentIndex(TAB_REVIEW)
        review.show_report(EDITED)
        assert review.current == EDITED
        model_value = results[EDITED].values.get("largest_diameter_mm")
        spin = review.form.rows["largest_diameter_mm"].editor.inner
        review.form.focus_field("largest_diameter_mm")
        assert QApplication.focusWidget() in (spin, spin.lineEdit())
        spin.selectAll()
        qtbot.keyClicks(spin, "12.5")
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
        rv = project.review_values(EDITED, th)["largest_diameter_mm"]
        assert rv.value == 12.5 and rv.model_value == model_value and rv.reviewer
        # 5) accept with Ctrl+Return: stored, and the next report not yet reviewed opens
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert project.review_state(EDITED, th).state == "accepted"
        assert review.current != EDITED
        assert window.browser.model.status(EDITED) == "reviewed"

        # re-running the corrected report never overwrites the correction
        window.select_report(EDITED)
        qtbot.waitUntil(lambda: panel.selection == [EDITED], timeout=5000)
        with qtbot.wait_signal(relay.run_finished, timeout=300000) as sig:
            window.start_run("selection")
        assert sig.args[0].state == "finished" and sig.args[0].progress.total == 1
        assert project.review_values(EDITED, th)["largest_diameter_mm"].value == 12.5
        assert load_state(project, EDITED, th).values["largest_diameter_mm"] == 12.5
        review.show_report(EDITED)
        assert review.form.rows["largest_diameter_mm"].editor.value() == 12.5
        # each highlight covers exactly the words the model quoted (as found in the report)
        evidence = {k: v for k, v in project.latest_results(th)[EDITED].evidence.items() if v}
        report_text = project.report(EDITED).text
        assert set(review.text.spans()) == set(evidence)
        for key, (start, end) in evidence.items():
            assert review.text.highlighted_text(key) == report_text[start:end]
        review.form.focus_field("lobe")
        qtbot.waitUntil(lambda: not review.text._flash_timer.isActive(), timeout=5000)
        window.grab().save(str(artifacts / "main_window_review.png"))
        review.grab().save(str(artifacts / "review.png"))
        path = project.path
    finally:
        window.shutdown()
    assert not window.host.thread.isRunning()

    # 6) a new window, a new Project object: the edit and the acceptance are there
    fresh = Project(path)
    try:
        assert fresh.review_values(EDITED, th)["largest_diameter_mm"].value == 12.5
        assert fresh.review_state(EDITED, th).state == "accepted"
        assert sorted(fresh.latest_results(th)) == REPORTS
    finally:
        fresh.close()
    window2 = _new_window(qtbot, _settings(tmp_path / "two.ini"))
    try:
        with qtbot.wait_signal(window2.workspace.loading_finished, timeout=60000):
            assert window2.open_project(path)
        assert window2.project is not project
        review2 = window2.review
        assert review2.data.task_hash == th
        review2.show_report(EDITED)
        row = review2.form.rows["largest_diameter_mm"]
        assert row.editor.value() == 12.5
        assert not row.badge.isHidden()
        assert "Accepted" in review2.actions.state.text()
        assert window2.browser.model.status(EDITED) == "reviewed"
    finally:
        window2.shutdown()
    assert not window2.host.thread.isRunning()

