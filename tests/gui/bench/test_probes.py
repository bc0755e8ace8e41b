"""The bench-ui probes drive the real window; here they are checked for what they do,
not for how fast: the window opens a folder and shows its rows, keeps its event loop
running while the model reads, and a cancel ends the run.  The times are compared
with their targets by ``abstractor bench-ui``."""
from __future__ import annotations

import json

import pytest

from core.bench.record import Measurement
from gui.bench import main as bench_ui
from gui.bench import probes
from gui.bench.startup import start_once


def test_first_rows_of_a_folder_show_and_all_are_stored(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    first, stored = probes.first_rows(window, n=300)
    assert first.name == "open_300_files_first_rows_s" and stored.value >= first.value > 0
    assert window.browser.model.total() == 300


@pytest.mark.model
def test_the_window_keeps_ticking_during_a_run_and_a_cancel_ends_the_next(qtbot, window, tmp_path, model_path):
    window.show()
    qtbot.waitExposed(window)
    relay = probes.Relay(window.host.worker)
    probes.open_demo_reports(window, tmp_path / "demo", probes.STALL_REPORTS)
    probes.load(window, relay, model_path)
    stall = probes.stall_during_run(window, relay)
    print(f"\n{stall.line()} {stall.details}")
    # the GUI thread served its 10 ms timer while the model read (a blocked loop gives ~1 tick)
    assert stall.details["ticks"] >= 10
    assert len(window.project.latest_results(window.task.hash())) == probes.STALL_REPORTS
    cancel = probes.cancel_mid_report(window, relay)                   # raises unless the run was cancelled
    print(cancel.line())
    assert 1 <= len(window.project.latest_results(window.task.hash())) <= probes.STALL_REPORTS
    assert window.run_panel.state == "ready" and not window.host.busy


def test_startup_script_opens_a_window_without_the_model(tmp_path):
    seconds, heavy = start_once(tmp_path)                              # raises unless the window came up
    print(f"\nstart-up to a usable window: {seconds:.2f} s; heavy modules loaded: {heavy}")
    assert seconds > 0 and set(heavy) <= {"llama_cpp", "gguf", "gui.review", "gui.builder"}


def test_bench_ui_records_what_it_measured(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("gui.bench.startup.measure_startup",
                        lambda: Measurement("startup_to_window_s", 5.0, "s", 4.0))
    out = tmp_path / "ui.json"
    assert bench_ui(["startup", "--json", str(out)]) == 0              # a missed target is recorded ...
    assert bench_ui(["startup", "--strict"]) == 1                      # ... and fails only when asked
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "startup_to_window_s=5.000 s (target < 4 s: MISSED)"
    record = json.loads(out.read_text())
    assert record["measurements"][0]["met"] is False and record["machine"]["cpu_logical"] >= 1
    with pytest.raises(SystemExit):
        bench_ui(["nonsense"])
