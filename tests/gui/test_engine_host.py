"""Threading edges of the engine's home in the GUI, with the real model: a cancel pressed while
a "try on this report" waits in the queue is not lost, and shutdown never frees the model while
the worker may still be inside llama.cpp.  The worker thread is held busy with a plain blocking
call queued to it (QTimer with the worker as context), so the order of events is fixed."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer

from core.engine.engine import EngineSettings
from core.task import Field, FieldType, Task
from gui.engine_host import EngineHost

TASK = Task(name="T", fields=[Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")])


def hold_worker(host: EngineHost) -> threading.Event:
    """Keep the worker thread busy until the returned event is set."""
    release, holding = threading.Event(), threading.Event()

    def block() -> None:
        holding.set()
        release.wait(60)

    QTimer.singleShot(0, host.worker, block)
    assert holding.wait(30), "the worker thread did not pick up the blocking call"
    return release


@pytest.fixture
def host(qtbot, model_path):
    h = EngineHost()
    loaded = []
    h.worker.model_loaded.connect(loaded.append)   # queued to this thread (no timer in the worker)
    h.load_model(model_path, EngineSettings(n_ctx=1024, n_threads=1))
    qtbot.waitUntil(lambda: bool(loaded), timeout=120000)
    yield h
    h.shutdown(60000)


@pytest.mark.model
@pytest.mark.qt_log_ignore("killTimer: Timers cannot be stopped from another thread")
def test_cancel_pressed_while_a_try_is_queued_is_not_lost(qtbot, host):
    failed, tried = [], []
    host.worker.try_failed.connect(failed.append)
    host.worker.tried.connect(tried.append)
    release = hold_worker(host)
    host.try_task(TASK, "CT thorax: nodule van 8 mm.")   # queued behind the busy worker
    host.cancel()                                        # pressed before the worker starts it
    release.set()
    qtbot.waitUntil(lambda: bool(failed or tried), timeout=60000)
    assert failed == ["Cancelled."] and not tried
    # a cancel does not stick: the next try runs
    host.try_task(TASK, "CT thorax: nodule van 8 mm.")
    qtbot.waitUntil(lambda: bool(tried or failed[1:]), timeout=300000)
    assert failed == ["Cancelled."] and tried[0].status in ("ok", "failed")


@pytest.mark.model
@pytest.mark.qt_log_ignore("killTimer: Timers cannot be stopped from another thread")
def test_shutdown_does_not_free_the_model_under_a_busy_worker(qtbot, host):
    engine = host.worker.engine
    release = hold_worker(host)
    assert host.shutdown(timeout_ms=100) is False       # the worker did not stop in time
    assert getattr(engine, "llm", None) is not None and host.worker.engine is engine, "freed under a busy worker"
    release.set()
    assert host.thread.wait(30000)
    assert host.shutdown() is True
    assert getattr(engine, "llm", None) is None and host.worker.engine is None
