"""What the user feels in the window: first rows of a big folder, stalls during a run, cancel.

Each probe drives a real :class:`~gui.main_window.MainWindow` the way a user
does (open a folder, pick the task, load the model, run, cancel) and returns
measurements with their targets; they assert nothing.
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from core.bench.record import Measurement
from core.bench.sizes import small_files_folder
from core.templates import demo_reports_dir, demo_task
from gui.bench.waiting import Relay, wait_for, wait_until

STALL_REPORTS = 3


def first_rows(window, n: int = 10_000) -> list[Measurement]:
    """Seconds from opening a folder of ``n`` files to the first rows on screen, and to all stored."""
    table = window.browser.table
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_files_folder(Path(tmp) / "reports", n)
        t0 = time.perf_counter()
        if not window.open_folder(folder):
            raise RuntimeError("the window refused to open the folder")
        wait_until(lambda: table.model().rowCount() > 0 and table.rowAt(0) == 0, 120)
        first = time.perf_counter() - t0
        wait_until(lambda: not window.workspace.is_loading(), 600)
        stored = time.perf_counter() - t0
    return [Measurement(f"open_{n}_files_first_rows_s", first, "s", 4.0, note="target 2 s"),
            Measurement(f"open_{n}_files_all_stored_s", stored, "s", 10.0)]


def open_demo_reports(window, folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for p in sorted(demo_reports_dir().glob("*.txt"))[:n]:
        shutil.copy(p, folder / p.name)
    wait_for(window.workspace.loading_finished, 120, lambda: window.open_folder(folder))
    window.set_task(demo_task())


def load(window, relay: Relay, model: Path) -> None:
    wait_for(relay.model_loaded, 300, lambda: window.load_model(model))


def stall_during_run(window, relay: Relay) -> Measurement:
    """The longest the GUI thread was away from a 10 ms timer while the model read the reports."""
    ticks: list[float] = []
    started: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def on_started(*_args) -> None:
        started.append(time.perf_counter())
        timer.start()

    relay.run_started.connect(on_started)
    try:
        (summary,) = wait_for(relay.run_finished, 1200, lambda: window.start_run("all"))
    finally:
        end = time.perf_counter()
        timer.stop()
        relay.run_started.disconnect(on_started)
    if summary.state != "finished" or not started:
        raise RuntimeError(f"the run ended as {summary.state!r}")
    points = started[:1] + ticks + [end]
    gaps = sorted(1000 * (b - a) for a, b in zip(points, points[1:]))
    return Measurement("ui_max_gap_during_run_ms", gaps[-1], "ms", 100.0,
                       note=f"{STALL_REPORTS} demo reports; a 10 ms timer in the GUI thread",
                       details={"duration_s": round(end - started[0], 2), "ticks": len(ticks),
                                "mean_gap_ms": round(statistics.mean(gaps), 2),
                                "p99_gap_ms": round(gaps[int(0.99 * (len(gaps) - 1))], 1),
                                "gaps_over_50_ms": sum(g > 50 for g in gaps),
                                "model_threads": window.settings.engine_settings().n_threads})


def cancel_mid_report(window, relay: Relay) -> Measurement:
    """Seconds from Cancel (in the middle of a report) to the engine thread's end of the run."""
    finished_at: list[float] = []

    def stamp(*_args) -> None:  # runs in the worker thread, at the moment the run ends there
        finished_at.append(time.perf_counter())

    worker = window.host.worker
    wait_for(relay.result, 600, lambda: window.start_run("all"))
    QTest.qWait(300)  # into the next report
    worker.run_finished.connect(stamp)
    try:
        t0 = time.perf_counter()
        (summary,) = wait_for(relay.run_finished, 60, window.cancel_run)
    finally:
        worker.run_finished.disconnect(stamp)
    if summary.state != "cancelled":
        raise RuntimeError(f"the run ended as {summary.state!r}, not cancelled")
    panel = getattr(window.run_panel, "last_cancel_latency_s", None)
    return Measurement("gui_cancel_latency_s", finished_at[0] - t0, "s", 0.5,
                       note="Cancel pressed 0.3 s after a report's result arrived",
                       details={"run_panel_knew_after_s": panel})
