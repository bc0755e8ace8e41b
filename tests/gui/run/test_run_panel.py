"""The run panel: what it says before a run, on a broken model, and during a real run."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from core.engine.result import Extraction
from core.engine.engine import EngineSettings
from gui.run import RunPanel

# One thread: this test box is shared and small; spinning llama.cpp threads would crawl under load.
SETTINGS = EngineSettings(n_threads=1)


def make_panel(qtbot, host) -> RunPanel:
    panel = RunPanel(host)
    qtbot.addWidget(panel)
    panel.resize(440, 560)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_panel_says_what_is_missing(qtbot, host, demo_project, task):
    panel = make_panel(qtbot, host)
    assert panel.state == "idle"
    assert not panel.start_button.isEnabled()
    assert not panel.cancel_button.isEnabled() and not panel.pause_button.isEnabled()
    assert panel.to_run.text() == "Open a folder of reports first."
    panel.set_project(demo_project(3))
    assert panel.to_run.text() == "Choose or build a task first."
    panel.set_task(task)
    assert panel.to_run.text() == "Choose a model first."
    assert panel.model_label.text() == "Model: none chosen yet"
    panel.start()
    assert panel.message.text() == "Choose a model first."
    assert panel.message.property("level") == "warning"
    selection_item = panel.which.model().item(panel.which.findData("selection"))
    assert not selection_item.isEnabled()
    panel.set_selection(["ct_thorax_02.txt"])
    assert selection_item.isEnabled()


def test_a_model_that_cannot_load_is_explained_and_nothing_stored_is_lost(qtbot, host, relay_for, demo_project, task,
                                                                          tmp_path):
    project = demo_project(2)
    th = project.save_task(task)
    run = project.start_run(task, model_path="m", model_name="m", model_size=1, model_sha256="0", backend="CPU",
                            settings={}, app_version="test")
    project.save_result(run, th, "ct_thorax_01.txt", Extraction(status="ok", values={"nodule_present": True}))
    panel = make_panel(qtbot, host)
    relay = relay_for()
    panel.set_project(project)
    panel.set_task(task)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a model" * 100)
    with qtbot.wait_signal(relay.model_failed, timeout=60000):
        host.load_model(broken)
    assert "The model could not be loaded." in panel.message.text()
    assert "Your project and its results are safe." in panel.message.text()
    assert panel.message.property("level") == "error"
    assert panel.model_label.text() == "Model: not loaded"
    assert not panel.start_button.isEnabled()
    assert any("could not be loaded" in m for m in panel.log.messages("error"))
    assert set(project.latest_results(th)) == {"ct_thorax_01.txt"}
    assert project.latest_results(th)["ct_thorax_01.txt"].values == {"nodule_present": True}


def test_a_run_that_cannot_start_says_why(qtbot, host, relay_for, demo_project, task, tmp_path):
    panel = make_panel(qtbot, host)
    relay = relay_for()
    panel.set_project(demo_project(2))
    panel.set_task(task)
    host.model_path = str(tmp_path / "gone.gguf")   # chosen earlier, deleted since
    panel._refresh()
    with qtbot.wait_signal(relay.run_finished, timeout=60000) as sig:
        panel.start_button.click()
        assert panel.state == "starting"
    assert sig.args == [None]
    assert panel.state == "ready"
    assert panel.message.property("level") == "error"
    assert "gone.gguf" in panel.message.text() and "Nothing stored was lost" in panel.message.text()
    assert panel.start_button.isEnabled()


@pytest.mark.model
def test_real_run_pause_cancel_and_resume(qtbot, host, relay_for, demo_project, task, model_path, artifacts):
    project = demo_project(4)
    th = project.save_task(task)
    panel = make_panel(qtbot, host)
    relay = relay_for()
    panel.set_project(project)
    panel.set_task(task)
    with qtbot.wait_signal(relay.model_loaded, timeout=120000):
        host.load_model(model_path, SETTINGS)
    assert panel.model_label.text().startswith(f"Model: {model_path.name} (")
    assert panel.start_button.isEnabled()
    assert panel.to_run.text() == "4 reports will be read."
    panel.set_which("all")
    assert not panel.is_expanded() and not panel.log.isVisible()   # idle: one line

    results = []
    host.worker.result.connect(lambda rid, ex: results.append(rid))
    with qtbot.wait_signal(relay.result, timeout=300000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.state == "running"
    assert not panel.which.isEnabled() and not panel.start_button.isEnabled()
    assert panel.is_expanded() and panel.log.isVisible() and panel.bar.isVisible()  # a run: the details

    # pause: nothing advances; the panel says so
    panel.pause_button.click()
    assert panel.state == "paused" and panel.pause_button.text() == "Resume"
    stored = len(project.latest_results(th))
    qtbot.wait(1500)
    assert len(project.latest_results(th)) == stored
    assert panel.bar.value() == 1 and panel.bar.maximum() == 4
    assert panel.counts.text().endswith("0 skipped")
    assert "reports/min" in panel.speed.text()
    # the pause holds the worker inside report 2 (between two tokens) or just before it
    paused_text = panel.current.text()
    if paused_text.startswith("Paused at report 2 of 4: "):
        assert results[0] not in paused_text
    else:
        assert paused_text == f"Paused before report 2 of 4 · last read: {results[0]}"
    assert panel.to_run.isHidden()
    panel.grab().save(str(artifacts / "run_panel.png"))
    panel.pause_button.click()
    assert panel.state == "running"

    # cancel in the middle of a report ends the run (how soon: `abstractor bench-ui cancel`)
    qtbot.waitUntil(lambda: len(results) >= 2, timeout=300000)
    qtbot.wait(700)
    finished_at = []
    host.worker.run_finished.connect(lambda *_: finished_at.append(time.perf_counter()))  # worker thread
    t0 = time.perf_counter()
    with qtbot.wait_signal(relay.run_finished, timeout=10000) as sig:
        panel.cancel_button.click()
        assert panel.state == "cancelling"
    summary = sig.args[0]
    assert summary.state == "cancelled"
    assert panel.last_cancel_latency_s is not None  # the panel saw the run end
    worker_latency = finished_at[0] - t0
    print(f"\ncancel latency (mid-report): worker finished {worker_latency * 1000:.0f} ms after cancel; "
          f"the panel knew after {panel.last_cancel_latency_s * 1000:.0f} ms")
    kept = project.latest_results(th)
    assert 2 <= len(kept) < 4
    assert panel.message.text().startswith("Cancelled after")
    assert panel.state == "ready" and not host.busy
    assert not panel.is_expanded() and panel.message.isVisible()   # one line again, with the run's summary

    # resume: "not yet run" does the rest and keeps what was stored
    panel.set_which("not_run")
    assert panel.to_run.text() == f"{4 - len(kept)} report{'s' if 4 - len(kept) != 1 else ''} will be read."
    with qtbot.wait_signal(relay.run_finished, timeout=300000) as sig:
        panel.start()
    assert sig.args[0].state == "finished"
    final = project.latest_results(th)
    assert set(final) == set(project.report_ids())
    for rid, row in kept.items():
        assert final[rid].created_at == row.created_at
    assert panel.message.text().startswith("Finished:")
    assert panel.to_run.text().startswith("Every report already has a result")


@pytest.mark.model
def test_cancel_pressed_before_the_run_starts_still_counts(qtbot, host, relay_for, demo_project, task, model_path):
    panel = make_panel(qtbot, host)
    relay = relay_for()
    project = demo_project(2)
    panel.set_project(project)
    panel.set_task(task)
    with qtbot.wait_signal(relay.model_loaded, timeout=120000):
        host.load_model(model_path, SETTINGS)
    with qtbot.wait_signal(relay.run_finished, timeout=60000) as sig:
        panel.start()
        panel.cancel()          # still queued behind nothing, or preparing: must not be lost
        assert panel.state == "cancelling"
    assert sig.args[0].state == "cancelled"
    assert sig.args[0].progress.done == 0
    assert project.latest_results(task.hash()) == {}
    assert panel.state == "ready" and panel.start_button.isEnabled()


def test_failed_reports_are_not_called_results_and_can_be_re_run(qtbot, host, relay_for, demo_project, task,
                                                                 tmp_path):
    project = demo_project(3)
    th = project.save_task(task)
    run_id = project.start_run(task, model_path="fake.gguf", model_name="fake.gguf", model_size=1,
                               model_sha256="0" * 64, backend="CPU", settings={}, app_version="test")
    ids = project.report_ids()
    project.save_result(run_id, th, ids[0], Extraction(status="ok", values={}, raw_output="{}"))
    for rid in ids[1:]:
        project.save_result(run_id, th, rid, Extraction(status="failed", reason="not JSON", raw_output="{"))
    project.finish_run(run_id, "finished")
    panel = make_panel(qtbot, host)
    relay = relay_for()
    panel.set_project(project)
    panel.set_task(task)
    host.model_path = str(tmp_path / "gone.gguf")   # the run below stops at once: no model is read
    panel._refresh()
    assert "already has a result" not in panel.to_run.text()
    assert panel.to_run.text().startswith("Every report has been read, but 2 reports failed")
    assert panel.rerun_failed_button.isVisible() and panel.rerun_failed_button.text() == "Re-run the 2 failed"
    with qtbot.wait_signal(relay.run_finished, timeout=60000):
        panel.rerun_failed_button.click()
    assert panel.which.currentData() == "failed"
