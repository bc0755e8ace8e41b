"""The UI stays responsive while the model extracts: a 10 ms timer never waits long."""
from __future__ import annotations

import json
import os
import statistics
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter

from core.engine.engine import EngineSettings, physical_cores
from gui.review import ReviewView
from gui.run import RunPanel

LIMIT_MS = 100.0


@pytest.mark.model
def test_ui_does_not_stall_during_extraction(qtbot, host, relay_for, demo_project, task, model_path, artifacts):
    # The model leaves one core to the UI (on this shared 2-core box, llama.cpp on all cores is
    # ~8x slower under load because its threads spin; see the report of this change).
    from gui.settings import gui_threads

    threads = gui_threads()  # what the app uses by default
    project = demo_project(3)
    window = QSplitter(Qt.Orientation.Horizontal)   # what the user sees: run panel beside the review
    panel = RunPanel(host)
    review = ReviewView()
    window.addWidget(panel)
    window.addWidget(review)
    qtbot.addWidget(window)
    review.set_engine_host(host)
    for part in (panel, review):
        part.set_project(project)
        part.set_task(task)
    window.resize(1500, 800)
    window.show()
    qtbot.waitExposed(window)
    relay = relay_for()
    with qtbot.wait_signal(relay.model_loaded, timeout=120000):
        host.load_model(model_path, EngineSettings(n_threads=threads))

    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started: list[float] = []
    relay.run_started.connect(lambda *_: (started.append(time.perf_counter()), timer.start()))
    panel.set_which("all")
    with qtbot.wait_signal(relay.run_finished, timeout=600000) as sig:
        panel.start()
    end = time.perf_counter()
    timer.stop()
    assert sig.args[0].state == "finished"
    assert len(project.latest_results(task.hash())) == 3
    points = started[:1] + ticks + [end]
    gaps_ms = [1000 * (b - a) for a, b in zip(points, points[1:])]
    gaps_sorted = sorted(gaps_ms)
    record = {
        "model_threads": threads,
        "cpu_cores": physical_cores(),
        "reports": 3,
        "duration_s": round(end - started[0], 2),
        "ticks": len(ticks),
        "max_gap_ms": round(max(gaps_ms), 1),
        "mean_gap_ms": round(statistics.mean(gaps_ms), 2),
        "p99_gap_ms": round(gaps_sorted[int(0.99 * (len(gaps_sorted) - 1))], 1),
        "gaps_over_50_ms": sum(g > 50 for g in gaps_ms),
        "load_average": os.getloadavg()[0],
        "limit_ms": LIMIT_MS,
    }
    print(f"\nUI stall probe: {record}")
    (artifacts / "ui_stall.json").write_text(json.dumps(record, indent=2) + "\n")
    assert record["max_gap_ms"] < LIMIT_MS, record
