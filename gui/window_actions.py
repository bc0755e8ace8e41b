"""The main window's actions, menus and toolbar, and the dialogs they open.

Kept apart from :mod:`gui.main_window` so that module stays about state and
wiring.  :class:`WindowActions` owns the actions by name (``actions``) and
keeps their enabled state in step with the window.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QStyle, QToolBar, QWidget

from core.runner import run_problem
from core.store.project import PROJECT_SUFFIX

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PROJECT_FILTER = f"Abstractor projects (*{PROJECT_SUFFIX})"
RUN_ACTIONS = ("run", "run_failed", "run_selection")

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


class WindowActions:
    """The window's actions (``actions[name]``), its menu bar and toolbar, and its dialogs."""

    def __init__(self, window: MainWindow):
        self.w = window
        self.actions: dict[str, QAction] = {}
        self.toolbar = QToolBar("Toolbar", window)
        self.recent_menu: QMenu | None = None
        self.versions_menu: QMenu | None = None
        self.import_dialog: QWidget | None = None   # the open import dialog, for tests
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.update_enabled()

    # ---- building -------------------------------------------------------------------------------
    def _add(self, name: str, text: str, slot: Callable[[], object] | None, keys: Keys = (), tip: str = "",
             icon: QStyle.StandardPixmap | None = None) -> QAction:
        a = QAction(text, self.w)
        seqs: list[QKeySequence] = []
        for k in keys:
            seq = QKeySequence(k)
            if not seq.isEmpty() and seq not in seqs:
                seqs.append(seq)
        if seqs:
            a.setShortcuts(seqs)
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if icon is not None:
            a.setIcon(self.w.style().standardIcon(icon))
        if slot is not None:
            a.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = a
        return a

    def _make_actions(self) -> None:
        w, add, S = self.w, self._add, QStyle.StandardPixmap
        add("open_folder", "&Open folder…", self.open_folder_dialog, [QKeySequence.StandardKey.Open],
            "Open a folder of reports", S.SP_DirOpenIcon)
        add("open_project", "Open &project…", self.open_project_dialog, ["Ctrl+Shift+O"],
            "Open an Abstractor project file")
        add("new_project", "&New project…", self.new_project_dialog, [QKeySequence.StandardKey.New],
            "Choose a folder of reports and where to keep the project file")
        add("export", "&Export results…", self.export_dialog, ["Ctrl+E"],
            "Save the results as a spreadsheet (Excel or CSV) or JSON", S.SP_DialogSaveButton)
        add("import_review", "&Import reviewed spreadsheet…", self.import_review_dialog, (),
            "Read back an Excel export that was corrected and reviewed in Excel")
        add("evaluate", "E&valuate against gold labels…", self.evaluation_dialog, (),
            "Compare the results with gold-standard labels from a spreadsheet")
        add("preferences", "Pre&ferences…", self.preferences_dialog, [QKeySequence.StandardKey.Preferences,
                                                                       "Ctrl+,"])
        add("quit", "&Quit", w.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])
        add("library", "Task &library", self.show_library, ["Ctrl+L"],
            "Choose a task: bundled templates and your own tasks", S.SP_FileDialogContentsView)
        add("new_task", "&New task", w.new_task, ["Ctrl+Shift+N"], "Build a new task from scratch")
        add("edit_task", "&Edit task", w.edit_task, ["Ctrl+T"], "Change the fields of the current task",
            S.SP_FileDialogDetailedView)
        add("run", "&Start run", w.start_run, ["F5"], "Extract the task's fields from the reports",
            S.SP_MediaPlay)
        add("run_failed", "Re-run &failed reports", lambda: w.start_run("failed"))
        add("run_selection", "Run &selected reports", lambda: w.start_run("selection"), ["Ctrl+F5"])
        add("pause", "&Pause", w.toggle_pause, ["F6"], "Pause or resume the run", S.SP_MediaPause)
        add("cancel", "&Cancel run", w.cancel_run, ["Shift+F5"], "Stop the run; results so far are kept",
            S.SP_MediaStop)
        add("model", "Choose &model…", self.model_dialog, ["Ctrl+M"], "Choose the language model",
            S.SP_ComputerIcon)
        for i, name in enumerate(("Report", "Task", "Review")):
            add(f"tab_{i}", f"Show {name}", lambda i=i: w.tabs.setCurrentIndex(i), [f"Ctrl+{i + 1}"])
        add("find", "Search reports", w.browser.search.setFocus, [QKeySequence.StandardKey.Find])
        add("shortcuts", "&Keyboard shortcuts", self.shortcuts_dialog, ["F1"])
        add("demo", "Open the &demo", w.open_demo, tip="Try Abstractor on synthetic chest CT reports")
        add("about", "&About Abstractor", self.about_dialog)

    def _fill(self, menu: QMenu | QToolBar, names: Sequence[str | None]) -> None:
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[name])

    def _make_menus(self) -> None:
        w, mb = self.w, self.w.menuBar()
        m = mb.addMenu("&File")
        self._fill(m, ("open_folder", "open_project", "new_project"))
        self.recent_menu = m.addMenu("&Recent projects")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self._fill(m, (None, "export", "import_review", "evaluate", None, "preferences", None, "quit"))
        task_menu = mb.addMenu("&Task")
        self._fill(task_menu, ("library", "new_task", "edit_task", None))
        self.versions_menu = task_menu.addMenu("&Versions in this project")
        self.versions_menu.setToolTipsVisible(True)
        self.versions_menu.aboutToShow.connect(self.fill_versions)
        self._fill(mb.addMenu("&Run"), ("run", "run_failed", "run_selection", None, "pause", "cancel", None,
                                        "model"))
        self.view_menu = mb.addMenu("&View")
        self._fill(self.view_menu, ("tab_0", "tab_1", "tab_2", "find", None))
        self.view_menu.addAction(w.library_dock.toggleViewAction())
        self.view_menu.addAction(w.run_dock.toggleViewAction())
        self._fill(mb.addMenu("&Help"), ("demo", None, "shortcuts", "about"))

    def _make_toolbar(self) -> None:
        tb = self.toolbar
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        self._fill(tb, ("open_folder", None, "library", "edit_task", None, "run", "pause", "cancel", None,
                        "model", "export"))
        self.w.addToolBar(tb)
        self.view_menu.addAction(tb.toggleViewAction())

    def fill_recent(self) -> None:
        menu = self.recent_menu
        assert menu is not None
        menu.clear()
        recent = [p for p in self.w.settings.recent_projects() if Path(p).is_file()]
        for p in recent:
            a = menu.addAction(Path(p).name)
            a.setToolTip(p)
            a.setStatusTip(p)
            a.triggered.connect(lambda _=False, p=p: self.w.open_project(p))
        if not recent:
            menu.addAction("No recent projects").setEnabled(False)

    def fill_versions(self) -> None:
        """The task versions stored in the project; choosing one makes it current (its results with it)."""
        from core.review.state import parse_time

        menu, w = self.versions_menu, self.w
        assert menu is not None
        menu.clear()
        versions = w.project.task_versions() if w.project is not None else []
        current = w.task.hash() if w.task is not None else None
        for v in versions:
            stamp = parse_time(v.created_at)
            when = stamp.strftime("%d %b %Y %H:%M") if stamp else v.created_at
            text = f"{v.name} (from {when}): {v.results:,} with results, {v.decided:,} reviewed or flagged"
            a = menu.addAction(text)
            a.setCheckable(True)
            a.setChecked(v.hash == current)
            a.setEnabled(not w.host.busy)
            a.setToolTip(f"Task version {v.hash}. Choose it to review, run or export its results.")
            a.triggered.connect(lambda _=False, h=v.hash: w.use_task_version(h))
        if not versions:
            menu.addAction("No task in this project yet").setEnabled(False)

    # ---- enabled state ----------------------------------------------------------------------------
    def update_enabled(self) -> None:
        w, acts = self.w, self.actions
        has_project, has_task = w.project is not None, w.task is not None
        acts["export"].setEnabled(has_project and has_task)
        acts["import_review"].setEnabled(has_project and has_task)
        acts["evaluate"].setEnabled(has_project and has_task)
        acts["edit_task"].setEnabled(has_task)
        self.update_run_actions()

    def update_run_actions(self) -> None:
        w, acts, busy = self.w, self.actions, self.w.host.busy
        problem = run_problem(w.project, w.task, *w.host.run_model())
        for name in RUN_ACTIONS:
            acts[name].setEnabled(problem is None and not busy)
            acts[name].setStatusTip(problem or acts["run"].toolTip())
        acts["pause"].setEnabled(busy)
        acts["pause"].setText("&Resume" if busy and w.host.control.paused else "&Pause")
        acts["cancel"].setEnabled(busy)
        acts["model"].setEnabled(not busy)

    # ---- layout -----------------------------------------------------------------------------------
    def restore_layout(self) -> bool:
        """Window geometry, docks and splitter as the user left them; False on first start."""
        w = self.w
        geometry, state = w.settings.get("window_geometry"), w.settings.get("window_state")
        splitter = w.settings.get("splitter_state")
        if not geometry.isEmpty():
            w.restoreGeometry(geometry)
        if not state.isEmpty():
            w.restoreState(state)
        if not splitter.isEmpty():
            w.splitter.restoreState(splitter)
        return not (geometry.isEmpty() and state.isEmpty())

    def default_layout(self) -> None:
        """First start: browser 36 %, tabs the rest, the run dock one line (it grows during a run)."""
        w = self.w
        width = max(w.splitter.width(), 800)
        w.splitter.setSizes([int(width * 0.36), width - int(width * 0.36)])
        if w.run_panel.is_expanded():
            w.resizeDocks([w.run_dock], [210], Qt.Orientation.Vertical)
        w.resizeDocks([w.library_dock], [360], Qt.Orientation.Horizontal)

    def save_layout(self) -> None:
        w = self.w
        w.settings.set("window_geometry", w.saveGeometry())
        w.settings.set("window_state", w.saveState())
        w.settings.set("splitter_state", w.splitter.saveState())

    # ---- dialogs ----------------------------------------------------------------------------------
    def _start_dir(self) -> str:
        return self.w.settings.get("last_dir") or str(Path.home())

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Open a folder of reports", self._start_dir())
        if folder:
            self.w.settings.set("last_dir", str(Path(folder).parent))
            self.w.open_folder(folder)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.w, "Open a project", self._start_dir(), PROJECT_FILTER)
        if path:
            self.w.settings.set("last_dir", str(Path(path).parent))
            self.w.open_project(path)

    def new_project_dialog(self) -> None:
        from gui.workspace import project_path_for

        w = self.w
        folder = QFileDialog.getExistingDirectory(w, "New project: choose the folder of reports", self._start_dir())
        if not folder:
            return
        path, _ = QFileDialog.getSaveFileName(w, "New project: where to keep the project file",
                                              str(project_path_for(folder)), PROJECT_FILTER)
        if path:
            if not path.endswith(PROJECT_SUFFIX):
                path += PROJECT_SUFFIX
            w.settings.set("last_dir", str(Path(folder).parent))
            w.open_folder(folder, path)

    def export_dialog(self) -> None:
        from core.templates import slugify
        from gui.export_dialog import ExportDialog

        w = self.w
        if w.project is None or w.task is None:
            w.inform("Export", "Open a project and choose a task first.")
            return
        dlg = ExportDialog(w.project, w.task, Path(self._start_dir()) / f"{slugify(w.task.name)}.xlsx", w)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.exported.connect(self._exported)
        w.export_dialog = dlg
        dlg.open()

    def _exported(self, written: list[Path]) -> None:
        self.w.settings.set("last_dir", str(Path(written[0]).parent))
        self.w.status.showMessage(f"Exported to {', '.join(Path(p).name for p in written)}", 15000)

    def import_review_dialog(self) -> None:
        from gui.import_dialog import open_import_dialog

        self.import_dialog = open_import_dialog(self.w, self._start_dir())

    def evaluation_dialog(self) -> None:
        from gui.evaluation import EvaluationDialog

        w = self.w
        if w.project is None or w.task is None:
            w.inform("Evaluate", "Open a project and choose a task first.")
            return
        dlg = EvaluationDialog(w.project, w.task, start_dir=self._start_dir(), parent=w)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open_report_requested.connect(w.select_report)
        w.evaluation_dialog = dlg
        dlg.show()

    def show_library(self) -> None:
        w = self.w
        w.library_dock.show()
        w.library_dock.raise_()
        if not w.library.entries():
            w.library.reload()
        if w.task is not None and w.library.current_entry() is None:
            w.library.select(w.task.name)
        w.library.table.setFocus()

    def model_dialog(self) -> None:
        from gui.server_mode import model_dialog as choose   # a GGUF file or an inference server

        choose(self.w)

    def preferences_dialog(self) -> None:
        from gui.dialogs.preferences import PreferencesDialog

        w = self.w
        before = w.settings.engine_settings()
        if not PreferencesDialog(w.settings, w).exec():
            return
        after = w.settings.engine_settings()
        reload_needed = (before.n_ctx, before.n_gpu_layers, before.n_threads) != \
            (after.n_ctx, after.n_gpu_layers, after.n_threads)
        if reload_needed and w.host.model_path and not w.host.busy:
            w.load_model(w.host.model_path)
        else:
            w.host.settings = after

    def shortcuts_dialog(self) -> None:
        from gui.dialogs.help import ShortcutsDialog, review_shortcut_rows

        ShortcutsDialog(list(self.actions.values()), self.w, extra=review_shortcut_rows()).exec()

    def about_dialog(self) -> None:
        from gui.dialogs.about import AboutDialog

        AboutDialog(self.w).exec()
