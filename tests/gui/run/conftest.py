"""Fixtures for the run panel tests: an engine host (always shut down) and demo projects."""
from __future__ import annotations

import shutil

import pytest

from core.reports import read_folder
from core.store.project import Project
from core.templates import demo_reports_dir, demo_task


@pytest.fixture
def host(qtbot):
    from gui.engine_host import EngineHost

    h = EngineHost()
    yield h
    h.shutdown()
    assert not h.thread.isRunning(), "the engine thread outlived the test"


@pytest.fixture
def demo_project(tmp_path):
    """``demo_project(n)``: a project over the first *n* demo chest CT reports."""
    made = []

    def make(n: int = 4) -> Project:
        folder = tmp_path / f"reports{len(made)}"
        folder.mkdir()
        for p in sorted(demo_reports_dir().glob("*.txt"))[:n]:
            shutil.copy(p, folder / p.name)
        project = Project(tmp_path / f"reports{len(made)}.abstractor")
        project.add_reports(read_folder(folder))
        made.append(project)
        return project

    yield make
    for p in made:
        p.close()


@pytest.fixture
def task():
    return demo_task()


class Relay:
    """Main-thread copies of the worker's signals.

    ``qtbot.wait_signal`` on a signal emitted in the worker thread would stop
    its timer from that thread (a Qt warning); these are re-emitted by a
    QObject that lives in the GUI thread, so waiting on them is clean.
    """

    def __init__(self, host):
        from PySide6.QtCore import QObject, Signal

        class _R(QObject):
            model_loaded = Signal(dict)
            model_failed = Signal(str)
            run_started = Signal(int, int)
            result = Signal(str, object)
            progress = Signal(object)
            run_finished = Signal(object)

        self.r = _R()
        w = host.worker
        for name in ("model_loaded", "model_failed", "run_started", "result", "progress", "run_finished"):
            getattr(w, name).connect(getattr(self.r, name))  # queued: the relay lives in this thread

    def __getattr__(self, name):
        return getattr(self.r, name)


@pytest.fixture
def relay_for(host):
    """``relay_for()``: a :class:`Relay` of the host's worker.  Make it after the widgets
    under test, so their (queued) slots have run when a wait on the relay returns."""
    return lambda: Relay(host)
