"""Fixtures for the GUI tests: offscreen Qt, isolated settings and user data."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# The offscreen platform says this whenever a top-level window is shown; it is not a problem.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def user_data(tmp_path, monkeypatch) -> Path:
    """A fresh user data folder per test (user tasks, the demo project)."""
    d = tmp_path / "userdata"
    monkeypatch.setenv("ABSTRACTOR_DATA_DIR", str(d))
    return d


@pytest.fixture
def settings(tmp_path):
    """App settings in an INI file of this test (never the user's real settings)."""
    from PySide6.QtCore import QSettings

    from gui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def artifacts() -> Path:
    d = ROOT / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d


@pytest.fixture
def make_project(tmp_path):
    """``make_project(n, skipped=0)``: a project with *n* ready reports (+ skipped ones)."""
    from core.reports import Report
    from core.store.project import Project

    made = []

    def make(n: int = 5, skipped: int = 0, name: str = "p.abstractor") -> Project:
        project = Project(tmp_path / name)
        reports = [Report.make_ready(f"r{i:05d}.txt", f"r{i:05d}.txt", f"Report {i}\nline two", 20 + i)
                   for i in range(n)]
        reports += [Report.make_skipped(f"s{i}.doc", f"s{i}.doc", "Unsupported file type .doc", 10)
                    for i in range(skipped)]
        project.add_reports(reports)
        made.append(project)
        return project

    yield make
    for p in made:
        try:
            p.close()
        except Exception:  # noqa: BLE001 - already closed by the code under test
            pass


@pytest.fixture
def window(qtbot, settings):
    """The main window; its engine thread is always shut down at teardown."""
    from gui.main_window import MainWindow

    w = MainWindow(settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.shutdown())  # no questions at teardown
    yield w
    w.shutdown()
    assert not w.host.thread.isRunning()


@pytest.fixture
def answer_choice(qtbot):
    """``answer_choice(key)``: answer the next :func:`gui.dialogs.choice.ask_choice` box with button *key*.

    Returns a list that receives the box's text once it was answered; it
    stays empty when no box came up (so a test can assert it was asked).
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

    def schedule(key: str) -> list[str]:
        seen: list[str] = []
        tries = [0]

        def click() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.objectName() == "choiceBox":
                seen.append(box.text() + "\n" + box.informativeText())
                box.findChild(QAbstractButton, key).click()
            elif tries[0] < 200:
                tries[0] += 1
                QTimer.singleShot(10, click)

        QTimer.singleShot(0, click)
        return seen

    return schedule


@pytest.fixture
def user_tasks(tmp_path, monkeypatch):
    """Saved tasks go to a temporary folder."""
    import core.templates

    folder = tmp_path / "tasks"
    folder.mkdir()
    monkeypatch.setattr(core.templates, "user_tasks_dir", lambda: folder)
    return folder
