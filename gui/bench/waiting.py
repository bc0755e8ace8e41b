"""Waiting for the app without a test framework: signals re-emitted in the GUI thread,
an event loop that ends on a signal or a timeout, a condition polled while Qt runs."""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, SignalInstance
from PySide6.QtTest import QTest


class Relay(QObject):
    """GUI-thread copies of the engine worker's signals (queued), so waiting on them
    never touches a timer or an event loop from the worker thread."""

    model_loaded = Signal(dict)
    model_failed = Signal(str)
    run_started = Signal(int, int)
    result = Signal(str, object)
    run_finished = Signal(object)

    def __init__(self, worker: QObject):
        super().__init__()
        for name in ("model_loaded", "model_failed", "run_started", "result", "run_finished"):
            getattr(worker, name).connect(getattr(self, name))


def wait_for(signal: SignalInstance, timeout_s: float, action: Callable[[], object] | None = None) -> tuple:
    """Run ``action`` and wait until ``signal`` fires; its arguments.  TimeoutError otherwise."""
    loop = QEventLoop()
    got: list[tuple] = []

    def done(*args) -> None:
        got.append(args)
        loop.quit()

    signal.connect(done)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    try:
        if action is not None:
            action()
        if not got:
            loop.exec()
    finally:
        timer.stop()
        signal.disconnect(done)
    if not got:
        raise TimeoutError(f"no signal within {timeout_s:g} s")
    return got[0]


def wait_until(condition: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the condition did not hold within {timeout_s:g} s")
        QTest.qWait(5)
