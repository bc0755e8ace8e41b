"""The main window: demo project, status bar, big folders, reopening, drops, export."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from core.models import DEMO_MODEL_NOTICE
from core.review import accept


@pytest.fixture
def make_window(qtbot, settings):
    """``make_window(args, load_model=False)`` via gui.app.create_window; always shut down."""
    from gui.app import create_window

    made = []

    def make(args=(), load_model=False, settings_=None):
        w = create_window(list(args), settings_ or settings, load_model=load_model)
        qtbot.addWidget(w, before_close_func=lambda w: w.shutdown())  # no questions at teardown
        made.append(w)
        return w

    yield make
    for w in made:
        w.shutdown()
        assert not w.host.thread.isRunning()


def _folder(tmp_path, n, name="reports"):
    d = tmp_path / name
    d.mkdir()
    for i in range(n):
        (d / f"report_{i:05d}.txt").write_text(f"CT thorax {i}. No nodules.", "utf-8")
    return d


def test_demo_project_status_bar_and_screenshot(qtbot, make_window, model_path, user_data, artifacts):
    w = make_window(["--demo"], load_model=True)
    assert w.project is not None
    assert w.project.path == user_data / "demo" / "demo.abstractor"
    assert w.task is not None and w.task.name == "Chest CT – pulmonary nodules"
    qtbot.wait_until(lambda: not w.workspace.is_loading(), timeout=10000)
    assert w.status.reports_label.text() == "12 reports"
    # (never qtbot.wait_signal on host.worker signals: they are emitted in the engine thread)
    qtbot.wait_until(lambda: w.status.backend_label.text() != "–", timeout=60000)
    assert "Demo model" in w.status.model_label.text()
    assert w.status.model_label.toolTip() == DEMO_MODEL_NOTICE
    assert w.status.backend_label.text() in ("CPU",) or "GPU layers" in w.status.backend_label.text()
    qtbot.wait_until(lambda: w.status.run_label.text() == "idle")
    assert not w.library_dock.isVisible()  # a task is set: no need for the library
    w.browser.select_report("ct_thorax_02.txt")
    assert w.text_view.plain_text().startswith("CT THORAX")
    qtbot.wait(50)
    w.grab().save(str(artifacts / "main_window.png"))
    # the demo project is never written inside the app's own files
    assert not list(w.workspace.folder.parent.glob("*.abstractor"))


def test_ten_thousand_files_show_at_once(qtbot, make_window, tmp_path):
    folder = _folder(tmp_path, 10_000)
    w = make_window()
    qtbot.wait_exposed(w)
    table = w.browser.table
    t0 = time.perf_counter()
    assert w.open_folder(folder)
    qtbot.wait_until(lambda: table.model().rowCount() > 0 and table.rowAt(0) == 0, timeout=60000)
    first_view = time.perf_counter() - t0
    print(f"\nfirst rows visible {first_view:.2f} s after open_folder (10,000 files; "
          "timed against its target by `abstractor bench-ui open`)")
    assert table.model().index(0, 0).data() == "report_00000.txt"
    qtbot.wait_until(lambda: not w.workspace.is_loading(), timeout=120000)
    print(f"all stored {time.perf_counter() - t0:.2f} s after open_folder")
    assert w.status.reports_label.text() == "10,000 reports"
    model = w.browser.model
    assert model.total() == 10_000
    model.fetch_all()
    assert model.rowCount() == 10_000


def test_reopen_restores_task_reviews_and_layout(qtbot, make_window, settings, tmp_path):
    from core.templates import load_bundled

    folder = _folder(tmp_path, 3)
    w = make_window()
    w.open_folder(folder)
    qtbot.wait_until(lambda: not w.workspace.is_loading())
    task = load_bundled("prostate_mri")
    with qtbot.wait_signal(w.task_changed):
        w.set_task(task)
    accept(w.project, "report_00001.txt", task.hash())
    w.library_dock.show()
    w.splitter.setSizes([300, 900])
    sizes = w.splitter.sizes()
    w.close()
    assert w.project is None  # closed with the window

    w2 = make_window()
    assert w2.library_dock.isVisible()
    assert w2.splitter.sizes() == sizes
    with qtbot.wait_signal(w2.project_opened):
        w2.open_folder(folder)
    assert w2.task is not None and w2.task.hash() == task.hash()
    assert w2.browser.model.status("report_00001.txt") == "reviewed"
    assert str(tmp_path / "reports.abstractor") in settings.recent_projects()


def test_drop_a_folder_opens_it(qtbot, window, tmp_path):
    folder = _folder(tmp_path, 2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.wait_signal(window.project_opened, timeout=5000):
        window.dropEvent(event)
    assert window.workspace.folder == folder.resolve()


def test_selecting_a_report_shows_its_text(qtbot, window, tmp_path):
    window.open_folder(_folder(tmp_path, 3))
    qtbot.wait_until(lambda: window.browser.model.rowCount() == 3)
    with qtbot.wait_signal(window.report_selected) as blocker:
        window.browser.select_report("report_00002.txt")
    assert blocker.args == ["report_00002.txt"]
    assert window.text_view.plain_text() == "CT thorax 2. No nodules."


def test_no_project_status_and_clear_message_for_bad_paths(qtbot, window, tmp_path):
    assert window.status.reports_label.text() == "No project open"
    assert window.status.model_label.text() == "No model"
    assert window.status.run_label.text() == "idle"
    assert not window.open_path(tmp_path / "missing.abstractor")
    assert "does not exist" in window.last_message
    odd = tmp_path / "x.pdf"
    odd.write_bytes(b"%PDF")
    assert not window.open_path(odd)
    assert "neither a folder" in window.last_message


def test_help_lists_shortcuts_and_mentions_the_demo_model(qtbot, window):
    from gui.dialogs.about import summary_html
    from gui.dialogs.help import ShortcutsDialog

    dlg = ShortcutsDialog(list(window.menu_actions.values()), window)
    rows = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    assert "Open folder" in rows and "Start run" in rows
    assert DEMO_MODEL_NOTICE.split(":")[0] in summary_html("1.2.3", "CPU")


def test_run_state_and_live_status_in_the_status_bar(qtbot, window, tmp_path):
    """The worker's signals, replayed from the UI thread, drive the status bar and the table."""
    from core.engine.result import Extraction
    from core.runner import Progress, RunSummary
    from core.templates import demo_task

    window.open_folder(_folder(tmp_path, 12))
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    task = demo_task()
    window.set_task(task)
    worker, label = window.host.worker, window.status.run_label
    worker.model_loading.emit("/models/some-model.gguf")
    assert label.text() == "loading model…"
    assert window.status.model_label.text() == "some-model.gguf – loading…"
    worker.model_loaded.emit({"path": "/models/some-model.gguf", "backend": "CUDA", "gpu_layers": 33})
    assert label.text() == "idle" and window.status.backend_label.text() == "CUDA · 33 GPU layers"
    assert window.status.model_label.text() == "some-model.gguf"

    window.host.busy = True
    worker.run_started.emit(1, 12)
    worker.progress.emit(Progress(done=5, total=12))
    assert label.text() == "running 5/12"
    assert window.menu_actions["cancel"].isEnabled() and not window.menu_actions["run"].isEnabled()
    run = window.project.start_run(task, model_path="m", model_name="m", model_size=1, model_sha256="x",
                                   backend="CPU", settings={}, app_version="t")
    stored = Extraction(status="ok")
    window.project.save_result(run, task.hash(), "report_00003.txt", stored)
    worker.result.emit("report_00003.txt", stored)
    assert window.browser.model.status("report_00003.txt") == "extracted"
    window.host.control.pause()
    qtbot.wait_until(lambda: label.text() == "paused")
    assert window.menu_actions["pause"].text() == "&Resume"
    window.host.control.resume()
    window.host.control.request_cancel()
    qtbot.wait_until(lambda: label.text() == "cancelling…")
    window.host.busy = False
    worker.run_finished.emit(RunSummary(run_id=run, state="cancelled", progress=Progress(done=5, total=12)))
    assert label.text() == "cancelled"
    window.host.control.cancel.clear()


def test_model_that_fails_to_load_is_shown(qtbot, window, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_text("nope", "utf-8")
    window.load_model(bad)
    qtbot.wait_until(lambda: "could not be loaded" in window.status.model_label.text(), timeout=30000)
    assert "broken.gguf" in window.status.model_label.toolTip()
    assert window.status.run_label.text() == "idle"
    assert window.settings.get("model_path") == ""  # next start falls back to the demo model
    assert window.settings.recent_models() == [str(bad)]


def test_empty_states_and_screenshot(qtbot, window, tmp_path, artifacts):
    window.show()
    qtbot.wait_exposed(window)
    assert window.browser.empty.isVisible() and "No reports yet" in window.browser.empty.text()
    window.grab().save(str(artifacts / "main_window_empty.png"))
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "scan.tif").write_bytes(b"II*")  # not a report file: listed as skipped
    (empty / ".hidden.txt").write_text("x", "utf-8")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    window.open_folder(nothing)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    assert "No reports in this folder" in window.browser.empty.text()
    assert "docx" in window.browser.empty.text()
    window.open_folder(empty)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    assert window.browser.table.isVisible()
    assert window.browser.model.status("scan.tif") == "skipped"


def test_library_dock_screenshot(qtbot, window, artifacts):
    from core.templates import demo_task

    window.show()
    window.set_task(demo_task())
    window.menu_actions["library"].trigger()
    qtbot.wait_until(lambda: window.library.current_entry() is not None)
    assert window.library.current_entry().title == demo_task().name
    qtbot.wait(50)
    window.grab().save(str(artifacts / "main_window_library.png"))


def test_the_parts_are_created_and_wired_by_the_window(qtbot, window, tmp_path):
    """The builder, review and run panel are the real parts, connected in _connect_signals."""
    import importlib.util
    import inspect

    from core.templates import demo_task
    from gui import main_window
    from gui.builder import TaskBuilder
    from gui.review import ReviewView
    from gui.run import RunPanel

    assert importlib.util.find_spec("gui.parts") is None
    assert "hasattr(" not in inspect.getsource(main_window)
    assert isinstance(window.builder, TaskBuilder) and isinstance(window.review, ReviewView)
    assert isinstance(window.run_panel, RunPanel) and window.run_dock.widget() is window.run_panel
    run = window.menu_actions["run"]
    assert not run.isEnabled() and run.statusTip() == "Open a folder of reports first."
    with qtbot.wait_signal(window.project_opened):
        window.open_folder(_folder(tmp_path, 3))
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    window.set_task(demo_task())
    # project and task reach the parts
    assert window.run_panel.project is window.project and window.run_panel.task == window.task
    assert window.review.data.project is window.project and window.review.data.task == window.task
    # one "can we run?" check: the Run menu and the run panel say the same
    assert run.statusTip() == window.run_panel.to_run.text() == "Choose a model first."
    # the browser's selection reaches the review, the run panel and the builder's try panel
    window.browser.select_report("report_00001.txt")
    qtbot.wait_until(lambda: window.run_panel.selection == ["report_00001.txt"])
    assert window.review.current == "report_00001.txt"
    assert window.builder.try_panel.report_id == "report_00001.txt"
    # a review decision updates the browser's status
    window.review.flag("needs a second look")
    assert window.browser.model.status("report_00001.txt") == "flagged"
