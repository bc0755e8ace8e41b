"""The main window's actions, menus, toolbar and docks, and the dialogs they open.

Kept apart from :mod:`gui.main_window` so that module stays about state and
wiring.  Actions are stored in ``window.menu_actions`` by name.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QStyle, QToolBar

from core.store.project import PROJECT_SUFFIX

PROJECT_FILTER = f"Abstractor projects (*{PROJECT_SUFFIX})"


# ---- building -----------------------------------------------------------------------------------
def build(w) -> None:
    from gui.library import TaskLibrary

    acts = w.menu_actions = {}
    icon = w.style().standardIcon

    def add(name, text, slot, keys=(), tip="", sp=None, checkable=False):
        a = QAction(text, w)
        seqs = []
        for k in keys:
            seq = QKeySequence(k)
            if not seq.isEmpty() and seq not in seqs:
                seqs.append(seq)
        if seqs:
            a.setShortcuts(seqs)
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if sp is not None:
            a.setIcon(icon(sp))
        a.setCheckable(checkable)
        if slot is not None:
            a.triggered.connect(slot)
        acts[name] = a
        return a

    S = QStyle.StandardPixmap
    add("open_folder", "&Open folder…", lambda: open_folder_dialog(w), [QKeySequence.StandardKey.Open],
        "Open a folder of reports", S.SP_DirOpenIcon)
    add("open_project", "Open &project…", lambda: open_project_dialog(w), ["Ctrl+Shift+O"],
        "Open an Abstractor project file")
    add("new_project", "&New project…", lambda: new_project_dialog(w), [QKeySequence.StandardKey.New],
        "Choose a folder of reports and where to keep the project file")
    add("export", "&Export results…", lambda: export_dialog(w), ["Ctrl+E"],
        "Save the results as a spreadsheet (Excel or CSV) or JSON", S.SP_DialogSaveButton)
    add("evaluate", "E&valuate against gold labels…", lambda: evaluation_dialog(w), (),
        "Compare the results with gold-standard labels from a spreadsheet")
    add("preferences", "Pre&ferences…", lambda: preferences_dialog(w), [QKeySequence.StandardKey.Preferences,
                                                                      "Ctrl+,"])
    add("quit", "&Quit", w.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])
    add("library", "Task &library", lambda: show_library(w), ["Ctrl+L"],
        "Choose a task: bundled templates and your own tasks", S.SP_FileDialogContentsView)
    add("new_task", "&New task", w.new_task, ["Ctrl+Shift+N"], "Build a new task from scratch")
    add("edit_task", "&Edit task", lambda: w.edit_task(), ["Ctrl+T"], "Change the fields of the current task",
        S.SP_FileDialogDetailedView)
    add("run", "&Start run", lambda: w.start_run(), ["F5"], "Extract the task's fields from the reports",
        S.SP_MediaPlay)
    add("run_failed", "Re-run &failed reports", lambda: w.start_run("failed"))
    add("run_selection", "Run &selected reports", lambda: w.start_run("selection"), ["Ctrl+F5"])
    add("pause", "&Pause", w.toggle_pause, ["F6"], "Pause or resume the run", S.SP_MediaPause)
    add("cancel", "&Cancel run", w.cancel_run, ["Shift+F5"], "Stop the run; results so far are kept",
        S.SP_MediaStop)
    add("model", "Choose &model…", lambda: model_dialog(w), ["Ctrl+M"], "Choose the language model",
        S.SP_ComputerIcon)
    for i, name in enumerate(("Report", "Task", "Review")):
        add(f"tab_{i}", f"Show {name}", lambda _=False, i=i: w.tabs.setCurrentIndex(i), [f"Ctrl+{i + 1}"])
    add("find", "Search reports", lambda: w.browser.search.setFocus(), [QKeySequence.StandardKey.Find])
    add("shortcuts", "&Keyboard shortcuts", lambda: shortcuts_dialog(w), ["F1"])
    add("demo", "Open the &demo", w.open_demo, tip="Try Abstractor on synthetic chest CT reports")
    add("about", "&About Abstractor", lambda: about_dialog(w))

    # docks
    w.library = TaskLibrary(load=False)
    w.library.task_chosen.connect(w.set_task)
    w.library.edit_requested.connect(w.edit_task)
    w.library_dock = QDockWidget("Task library", w)
    w.library_dock.setObjectName("libraryDock")
    w.library_dock.setWidget(w.library)
    w.library_dock.visibilityChanged.connect(
        lambda visible: visible and not w.library.entries() and w.library.reload())
    w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.library_dock)
    w.library_dock.hide()
    w.run_dock = QDockWidget("Run", w)
    w.run_dock.setObjectName("runDock")
    w.run_dock.setWidget(w.run_panel)
    w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, w.run_dock)

    # menus
    mb = w.menuBar()
    m = mb.addMenu("&File")
    for name in ("open_folder", "open_project", "new_project"):
        m.addAction(acts[name])
    w.recent_menu = m.addMenu("&Recent projects")
    w.recent_menu.aboutToShow.connect(lambda: fill_recent(w))
    m.addSeparator()
    m.addAction(acts["export"])
    m.addAction(acts["evaluate"])
    m.addSeparator()
    m.addAction(acts["preferences"])
    m.addSeparator()
    m.addAction(acts["quit"])
    m = mb.addMenu("&Task")
    for name in ("library", "new_task", "edit_task"):
        m.addAction(acts[name])
    m = mb.addMenu("&Run")
    for name in ("run", "run_failed", "run_selection", None, "pause", "cancel", None, "model"):
        m.addSeparator() if name is None else m.addAction(acts[name])
    m = mb.addMenu("&View")
    for i in range(3):
        m.addAction(acts[f"tab_{i}"])
    m.addAction(acts["find"])
    m.addSeparator()
    m.addAction(w.library_dock.toggleViewAction())
    m.addAction(w.run_dock.toggleViewAction())
    w.toolbar = QToolBar("Toolbar", w)
    w.toolbar.setObjectName("mainToolbar")
    w.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    w.toolbar.setMovable(False)
    for name in ("open_folder", None, "library", "edit_task", None, "run", "pause", "cancel", None, "model",
                 "export"):
        w.toolbar.addSeparator() if name is None else w.toolbar.addAction(acts[name])
    w.addToolBar(w.toolbar)
    m.addAction(w.toolbar.toggleViewAction())
    m = mb.addMenu("&Help")
    for name in ("demo", None, "shortcuts", "about"):
        m.addSeparator() if name is None else m.addAction(acts[name])
    update_enabled(w)


def fill_recent(w) -> None:
    w.recent_menu.clear()
    recent = [p for p in w.settings.recent_projects() if Path(p).is_file()]
    for p in recent:
        a = w.recent_menu.addAction(Path(p).name)
        a.setToolTip(p)
        a.setStatusTip(p)
        a.triggered.connect(lambda _=False, p=p: w.open_project(p))
    if not recent:
        a = w.recent_menu.addAction("No recent projects")
        a.setEnabled(False)


def update_enabled(w) -> None:
    acts = w.menu_actions
    has_project, has_task = w.project is not None, w.task is not None
    acts["export"].setEnabled(has_project and has_task)
    acts["evaluate"].setEnabled(has_project and has_task)
    acts["edit_task"].setEnabled(has_task)
    update_run_actions(w)


def update_run_actions(w) -> None:
    acts, busy = w.menu_actions, w.host.busy
    ready = w.project is not None and w.task is not None and not busy
    for name in ("run", "run_failed", "run_selection"):
        acts[name].setEnabled(ready)
    acts["pause"].setEnabled(busy)
    acts["pause"].setText("&Resume" if busy and w.host.control.paused else "&Pause")
    acts["cancel"].setEnabled(busy)
    acts["model"].setEnabled(not busy)


def cannot_run(w) -> str | None:
    if w.project is None:
        return "Open a folder of reports first."
    if w.task is None:
        return "Choose a task first (Task › Task library)."
    if not w.task.is_valid():
        return "The task has problems; fix them in the task editor first."
    if w.host.model_path is None:
        return "Choose a model first (Run › Choose model…)."
    return None


# ---- layout ------------------------------------------------------------------------------------
def restore_layout(w) -> bool:
    """Window geometry, docks and splitter as the user left them; False on first start."""
    geometry, state = w.settings.get("window_geometry"), w.settings.get("window_state")
    splitter = w.settings.get("splitter_state")
    if not geometry.isEmpty():
        w.restoreGeometry(geometry)
    if not state.isEmpty():
        w.restoreState(state)
    if not splitter.isEmpty():
        w.splitter.restoreState(splitter)
    return not (geometry.isEmpty() and state.isEmpty())


def default_layout(w) -> None:
    """First start: browser 40 %, tabs 60 %, a compact run dock."""
    width = max(w.splitter.width(), 800)
    w.splitter.setSizes([int(width * 0.36), width - int(width * 0.36)])
    w.resizeDocks([w.run_dock], [210], Qt.Orientation.Vertical)
    w.resizeDocks([w.library_dock], [360], Qt.Orientation.Horizontal)


def save_layout(w) -> None:
    w.settings.set("window_geometry", w.saveGeometry())
    w.settings.set("window_state", w.saveState())
    w.settings.set("splitter_state", w.splitter.saveState())


# ---- dialogs ------------------------------------------------------------------------------------
def _start_dir(w) -> str:
    return w.settings.get("last_dir") or str(Path.home())


def open_folder_dialog(w) -> None:
    folder = QFileDialog.getExistingDirectory(w, "Open a folder of reports", _start_dir(w))
    if folder:
        w.settings.set("last_dir", str(Path(folder).parent))
        w.open_folder(folder)


def open_project_dialog(w) -> None:
    path, _ = QFileDialog.getOpenFileName(w, "Open a project", _start_dir(w), PROJECT_FILTER)
    if path:
        w.settings.set("last_dir", str(Path(path).parent))
        w.open_project(path)


def new_project_dialog(w) -> None:
    from gui.workspace import project_path_for

    folder = QFileDialog.getExistingDirectory(w, "New project: choose the folder of reports", _start_dir(w))
    if not folder:
        return
    path, _ = QFileDialog.getSaveFileName(w, "New project: where to keep the project file",
                                          str(project_path_for(folder)), PROJECT_FILTER)
    if path:
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        w.settings.set("last_dir", str(Path(folder).parent))
        w.open_folder(folder, path)


def export_dialog(w) -> None:
    if w.project is None or w.task is None:
        w.inform("Export", "Open a project and choose a task first.")
        return
    try:
        from gui.export_dialog import ExportDialog
    except ImportError:
        w.inform("Export", "Export is not available in this version of Abstractor.")
        return
    from core.templates import slugify

    dlg = ExportDialog(w.project, w.task, Path(_start_dir(w)) / f"{slugify(w.task.name)}.xlsx", w)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.exported.connect(lambda written: _exported(w, written))
    w.export_dialog = dlg
    dlg.open()


def _exported(w, written: list[Path]) -> None:
    w.settings.set("last_dir", str(Path(written[0]).parent))
    w.status.showMessage(f"Exported to {', '.join(Path(p).name for p in written)}", 15000)


def evaluation_dialog(w) -> None:
    if w.project is None or w.task is None:
        w.inform("Evaluate", "Open a project and choose a task first.")
        return
    from gui.evaluation import EvaluationDialog

    dlg = EvaluationDialog(w.project, w.task, start_dir=_start_dir(w), parent=w)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open_report_requested.connect(w.select_report)
    w.evaluation_dialog = dlg
    dlg.show()


def export_results(w, path: str | Path) -> list[Path] | None:
    """Write the export; a clear message instead of a traceback on any problem."""
    try:
        from core.export import export
    except ImportError:
        w.inform("Export", "Export is not available in this version of Abstractor.")
        return None
    from PySide6.QtWidgets import QApplication

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        written = export(w.project, w.task, path)
    except Exception as exc:  # noqa: BLE001 - ExportError carries a user message; anything else is shown plainly
        w.inform("Export", str(exc) if type(exc).__name__ == "ExportError" else f"The export failed: {exc}")
        return None
    finally:
        QApplication.restoreOverrideCursor()
    files = ", ".join(Path(p).name for p in written or [path])
    w.status.showMessage(f"Exported to {files}", 15000)
    return list(written or [])


def show_library(w) -> None:
    w.library_dock.show()
    w.library_dock.raise_()
    if not w.library.entries():
        w.library.reload()
    if w.task is not None and w.library.current_entry() is None:
        w.library.select(w.task.name)
    w.library.table.setFocus()


def model_dialog(w) -> None:
    from gui.dialogs.model_dialog import ModelDialog

    dlg = ModelDialog(w.host.model_path, w.settings.recent_models(), w)
    if dlg.exec() and dlg.selected_path():
        w.load_model(dlg.selected_path())


def preferences_dialog(w) -> None:
    from gui.dialogs.preferences import PreferencesDialog

    before = w.settings.engine_settings()
    if not PreferencesDialog(w.settings, w).exec():
        return
    after = w.settings.engine_settings()
    reload_needed = any(getattr(before, k) != getattr(after, k) for k in ("n_ctx", "n_gpu_layers", "n_threads"))
    if reload_needed and w.host.model_path and not w.host.busy:
        w.load_model(w.host.model_path)
    else:
        w.host.settings = after


def shortcuts_dialog(w) -> None:
    from gui.dialogs.help import ShortcutsDialog, review_shortcut_rows

    ShortcutsDialog(list(w.menu_actions.values()), w, extra=review_shortcut_rows()).exec()


def about_dialog(w) -> None:
    from gui.dialogs.about import AboutDialog

    AboutDialog(w).exec()
