"""The main window: report browser, Report/Task/Review tabs, run panel and task library docks.

Every part is created here and every connection between the parts is made
in one place, :meth:`MainWindow._connect_signals`.  The actions, menus and
dialogs live in :class:`gui.window_actions.WindowActions`; the questions about
unsaved and changed tasks (on Start, on quit, on saving a task that has
results) in :class:`gui.task_edits.TaskEdits`.

The parts know nothing of the window: they get the project, the task and the
selected report through their slots.  The window's own state is
``window.project`` (open :class:`Project` or None), ``window.task`` (current
Task or None), ``window.host`` (:class:`EngineHost`) and ``window.settings``;
it says what changed with ``project_opened(Project)``,
``task_changed(Task | None)`` and ``report_selected(report id)``.  A new part
or dialog is created in ``__init__`` (or in :class:`WindowActions`) and
connected in ``_connect_signals``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from core.store.project import PROJECT_SUFFIX, Project
from core.task import Task
from gui.browser import ReportBrowser, ReportTextView
from gui.builder import TaskBuilder
from gui.engine_host import EngineHost
from gui.library import TaskLibrary
from gui.review import ReviewView
from gui.run import RunPanel
from gui.screen_fit import fit_to_screen
from gui.settings import Settings
from gui.statusbar import AppStatusBar
from gui.task_edits import TaskEdits
from gui.window_actions import WindowActions
from gui.workspace import Workspace, WorkspaceError, demo_project_path

log = logging.getLogger(__name__)

TAB_REPORT, TAB_TASK, TAB_REVIEW = range(3)


class MainWindow(QMainWindow):
    project_opened = Signal(object)   # Project
    task_changed = Signal(object)     # Task or None
    report_selected = Signal(str)     # report id

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle("Abstractor")
        self.settings = settings if settings is not None else Settings()
        self.task: Task | None = None
        self._default_task: Task | None = None
        self.last_message: str | None = None
        self._closed = False
        self.workspace = Workspace(self)
        self.host = EngineHost(self)

        self.browser = ReportBrowser()
        self.text_view = ReportTextView()
        self.builder = TaskBuilder()
        self.review = ReviewView()
        self.run_panel = RunPanel(self.host)
        self.library = TaskLibrary(load=False)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.text_view, "Report")
        self.tabs.addTab(self.builder, "Task")
        self.tabs.addTab(self.review, "Review")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.library_dock = self._dock("Task library", "libraryDock", self.library,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.library_dock.hide()
        self.run_dock = self._dock("Run", "runDock", self.run_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.export_dialog: QWidget | None = None       # the open dialogs, for tests
        self.evaluation_dialog: QWidget | None = None

        self.window_actions = WindowActions(self)       # actions, menus, toolbar
        self.task_edits = TaskEdits(self)               # questions about unsaved and changed tasks
        self._connect_signals()
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        restored = self.window_actions.restore_layout()
        self._first_show = not restored
        fit_to_screen(self, centre=not restored)    # a 1366×768 laptop shows the status bar too
        self._update_title()

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _connect_signals(self) -> None:
        """Every connection between the window's parts, in one place."""
        ws, w, acts = self.workspace, self.host.worker, self.window_actions
        # the project and its reports
        ws.opened.connect(self._on_project_opened)
        ws.reports_added.connect(self._on_reports_added)
        ws.loading_finished.connect(self._on_loading_finished)
        ws.loading_finished.connect(self.run_panel.refresh)
        ws.loading_finished.connect(self.review.refresh)
        ws.closing.connect(self._on_project_closing)
        ws.message.connect(lambda text: self.status.showMessage(text, 15000))
        ws.error.connect(lambda text: self.inform("Reading reports", text))
        self.project_opened.connect(self.run_panel.set_project)
        self.project_opened.connect(self.review.set_project)
        # the task (the builder gets a task on Edit task, not on every change)
        self.task_changed.connect(self.run_panel.set_task)
        self.task_changed.connect(self.review.set_task)
        self.task_changed.connect(self.status.set_task)           # the task in use, always in sight
        self.task_changed.connect(self.library.set_active_task)   # and marked in the library
        self.builder.task_saved.connect(self._on_task_saved)
        self.builder.modified_changed.connect(self._on_builder_modified)
        self.run_panel.set_start_check(self.task_edits.confirm_run)
        self.library.task_chosen.connect(self.set_task)
        self.library.edit_requested.connect(self.edit_task)
        self.library_dock.visibilityChanged.connect(self._on_library_visible)
        # reports: the browser's selection drives the text view, the builder's try panel, the review, a run
        self.browser.report_selected.connect(self._on_report_selected)
        self.browser.selection_changed.connect(self.run_panel.set_selection)
        self.report_selected.connect(self.review.show_report)
        self.browser.list_position_changed.connect(self.review.set_list_position)   # "7 of 12" in the list
        self.review.follow_list(self.browser.listed_ids)          # and Alt+Down goes on in the list's order
        self.review.open_report_requested.connect(self.select_report)
        self.review.current_report_changed.connect(self.select_report)   # Alt+Down: the list follows
        self.review.report_changed.connect(self.refresh_report_status)
        self.run_panel.open_report_requested.connect(self.select_report)
        self.run_panel.expanded_changed.connect(self._on_run_panel_expanded)
        # the engine
        self.status.follow(self.host)
        self.builder.set_engine_host(self.host)
        self.review.set_engine_host(self.host)
        w.model_loading.connect(acts.update_run_actions)
        w.model_loaded.connect(acts.update_run_actions)
        w.model_failed.connect(self._on_model_failed)
        w.result.connect(self._on_result)
        w.warning.connect(self._on_warning)
        w.error.connect(self._on_warning)
        w.run_finished.connect(self._on_run_finished)
        self.status.run_state_changed.connect(acts.update_run_actions)

    @property
    def project(self) -> Project | None:
        return self.workspace.project

    @property
    def menu_actions(self) -> dict[str, QAction]:
        return self.window_actions.actions

    # ---- messages ----------------------------------------------------------------------------
    def inform(self, title: str, text: str, icon=QMessageBox.Icon.Warning) -> None:
        """A non-blocking message box (and ``last_message`` for tests)."""
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ---- projects ------------------------------------------------------------------------------
    def _busy_refusal(self) -> bool:
        if self.host.busy:
            self.inform("Run in progress", "A run is in progress. Cancel it (Run › Cancel) before opening "
                        "another folder or project.")
            return True
        return False

    def open_folder(self, path: str | Path, project_path: str | Path | None = None, *,
                    default_task=None) -> bool:
        """Open a folder of reports (project file: see :mod:`gui.workspace`).

        The project's stored task comes back; a new project gets *default_task*,
        else the task already in use.
        """
        if self._busy_refusal():
            return False
        self._default_task = default_task
        try:
            self.workspace.open_folder(path, project_path)
        except WorkspaceError as exc:
            self.inform("Open folder", str(exc))
            return False
        finally:
            self._default_task = None
        return True

    def open_project(self, path: str | Path) -> bool:
        if self._busy_refusal():
            return False
        try:
            self.workspace.open_project(path)
        except WorkspaceError as exc:
            self.settings.forget_recent_project(path)
            self.inform("Open project", str(exc))
            return False
        return True

    def open_path(self, path: str | Path) -> bool:
        """A folder opens as reports; a ``.abstractor`` file as a project."""
        p = Path(path)
        if p.is_dir():
            return self.open_folder(p)
        if p.suffix == PROJECT_SUFFIX:
            return self.open_project(p)
        self.inform("Open", f"“{p.name}” is neither a folder of reports nor an Abstractor project "
                    f"({PROJECT_SUFFIX}) file.")
        return False

    def open_demo(self) -> bool:
        """The bundled demo reports in a project in the user data folder, with the chest CT task."""
        from core.templates import demo_reports_dir, demo_task

        return self.open_folder(demo_reports_dir(), demo_project_path(), default_task=demo_task())

    @Slot(object)
    def _on_project_opened(self, project) -> None:
        try:
            stored = project.current_task()
        except (KeyError, ValueError):
            stored = None
        if stored is not None:
            self.task = stored
        elif self._default_task is not None or self.task is not None:
            self.task = self._default_task or self.task
            project.set_current_task(self.task)
        self.browser.set_project(project, self.task.hash() if self.task else None)
        self.text_view.clear()
        self.settings.add_recent_project(project.path)
        self.status.set_report_count(self.browser.model.total(), reading=self.workspace.is_loading())
        self._update_title()
        self.project_opened.emit(project)
        self.task_changed.emit(self.task)
        self._update_builder(self.task)
        self.window_actions.update_enabled()
        if self.task is None:
            self.library_dock.show()

    @Slot()
    def _on_project_closing(self) -> None:
        self.run_panel.set_project(None)   # never touch a closed project
        self.review.set_project(None)

    @Slot(bool)
    def _on_library_visible(self, visible: bool) -> None:
        if visible and not self.library.entries():
            self.library.reload()
        if visible:     # the dock may have widened the window: keep it on the screen
            QTimer.singleShot(0, self._fit_to_screen)

    @Slot()
    def _fit_to_screen(self) -> None:
        fit_to_screen(self)

    @Slot(int)
    def _on_reports_added(self, _stored: int) -> None:
        self.browser.reports_added()
        self.status.set_report_count(self.browser.model.total(), reading=True)

    @Slot(int, int)
    def _on_loading_finished(self, added: int, changed: int) -> None:
        self.browser.reports_added()
        self.browser.model.refresh_statuses()
        self.status.set_report_count(self.browser.model.total())
        if self.browser.model.total() == 0:
            self.browser.show_nothing_found()
        bits = [f"{added:,} new report" + ("" if added == 1 else "s")] if added else []
        if changed:
            bits.append(f"{changed:,} changed")
        if bits:
            self.status.showMessage("Read " + ", ".join(bits) + ".", 10000)

    # ---- reports ---------------------------------------------------------------------------------
    @Slot(str)
    def _on_report_selected(self, report_id: str) -> None:
        if self.project is None:
            return
        try:
            report = self.project.report(report_id)
        except KeyError:
            return
        self.text_view.show_report(report, self.browser.model.status(report_id))
        self.builder.set_report(report.id, report.text)
        self.report_selected.emit(report_id)

    @Slot(str)
    def select_report(self, report_id: str) -> None:
        self.browser.select_report(report_id)

    @Slot(str)
    def refresh_report_status(self, report_id: str) -> None:
        self.browser.refresh_status(report_id)

    # ---- tasks -----------------------------------------------------------------------------------
    @Slot(object)
    def set_task(self, task) -> None:
        """Make *task* current (and store it in the open project)."""
        self.task = task
        if task is not None and self.project is not None:
            self.project.set_current_task(task)
        self.browser.set_task_hash(task.hash() if task is not None else None)
        self._update_title()
        self._update_builder(task)
        self.window_actions.update_enabled()
        self.task_changed.emit(task)

    def _update_builder(self, task: Task | None) -> None:
        if task is not None and not self.builder.is_modified():
            self.builder.set_task(task)

    @Slot(object)
    def edit_task(self, task: Task | None = None) -> None:
        task = task if task is not None else self.task
        if task is not None:
            if self.builder.is_modified():
                answer = QMessageBox.question(
                    self, "Edit task", "The task editor has changes that are not saved. Discard them?")
                if answer != QMessageBox.StandardButton.Yes:
                    self.tabs.setCurrentIndex(TAB_TASK)
                    return
            self.builder.set_task(task)
        self.tabs.setCurrentIndex(TAB_TASK)

    @Slot()
    def new_task(self) -> None:
        from core.task import Task, TaskOptions

        self.edit_task(Task(name="New task", options=TaskOptions(evidence=self.settings.get("evidence"))))

    @Slot(object)
    def _on_task_saved(self, task) -> None:
        self.library.reload(select=task.name)
        if self.task_edits.use_saved_version(task):
            self.set_task(task)
        elif self.task is not None:
            self.builder.set_task(self.task)   # the editor shows the task that runs
            self.status.showMessage(f"Saved to your tasks. This project goes on using the previous version of "
                                    f"“{self.task.name}” and its results.", 15000)

    @Slot(str)
    def use_task_version(self, task_hash: str) -> None:
        """Make a version of a task stored in the project current again (its results come back)."""
        if self.project is None or self.host.busy:
            return
        self.set_task(self.project.task(task_hash))

    @Slot(bool)
    def _on_builder_modified(self, modified: bool) -> None:
        self.tabs.setTabText(TAB_TASK, "Task *" if modified else "Task")
        self.tabs.setTabToolTip(TAB_TASK, "The task has changes that are not saved" if modified else "")
        self._update_title()

    def _update_title(self) -> None:
        bits = ["Abstractor"]
        if self.project is not None:
            folder = self.workspace.folder
            if self.project.path == demo_project_path():
                bits.append("Demo")
            else:
                bits.append(folder.name if folder is not None else self.project.path.stem)
        if self.task is not None:
            bits.append(self.task.name)
        unsaved = " *" if self.builder.is_modified() else ""   # the task editor has edits not saved
        self.setWindowTitle(" – ".join(bits) + unsaved)

    # ---- model -------------------------------------------------------------------------------------
    def load_model(self, path: str | Path) -> bool:
        if self.host.busy:
            self.inform("Model", "A run is in progress. Cancel it before changing the model.")
            return False
        self.settings.set("model_path", str(path))
        self.settings.add_recent_model(path)
        self.status.set_model(str(path), "loading")
        self.host.load_model(path, self.settings.engine_settings())
        return True

    @Slot(str)
    def _on_model_failed(self, _message: str) -> None:
        self.window_actions.update_run_actions()
        if self.settings.get("model_path") == self.host.model_path:
            self.settings.reset("model_path")  # start with the demo model next time; it stays in the recent list

    # ---- runs ------------------------------------------------------------------------------------
    def start_run(self, which: str | None = None) -> None:
        """Start a run from the run panel (*which*: not_run, all, failed or selection)."""
        if which:
            self.run_panel.set_which(which)
        self.run_panel.start()

    @Slot(bool)
    def _on_run_panel_expanded(self, expanded: bool) -> None:
        """The run dock is one line when idle and grows for a run (its details: progress, messages)."""
        if expanded:
            height = min(240, max(self.height() // 4, 160))
            self.resizeDocks([self.run_dock], [height], Qt.Orientation.Vertical)

    def toggle_pause(self) -> None:
        self.run_panel.toggle_pause()
        self.status.sync_run_state()

    def cancel_run(self) -> None:
        self.run_panel.cancel()
        self.status.sync_run_state()

    @Slot(str, object)
    def _on_result(self, report_id: str, _extraction) -> None:
        self.browser.refresh_status(report_id)
        if self.text_view.report_id == report_id and self.project is not None:
            self.text_view.show_report(self.project.report(report_id), self.browser.model.status(report_id))

    @Slot(str)
    def _on_warning(self, text: str) -> None:
        self.status.showMessage(text, 15000)

    @Slot(object)
    def _on_run_finished(self, _summary) -> None:
        self.browser.model.refresh_statuses()
        self.window_actions.update_run_actions()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_to_screen(self)      # now with the window manager's own frame
        if self._first_show:
            self._first_show = False
            self.window_actions.default_layout()

    # ---- drag and drop ---------------------------------------------------------------------------------
    @staticmethod
    def _dropped_path(event) -> Path | None:
        md = event.mimeData()
        if not md.hasUrls():
            return None
        for url in md.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if p.is_dir() or p.suffix == PROJECT_SUFFIX:
                    return p
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.open_path(path))

    # ---- closing --------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self._closed and not self.task_edits.may_quit():
            event.ignore()
            return
        if self.host.busy and not self._closed:
            answer = QMessageBox.question(self, "Quit Abstractor", "A run is in progress. Stop it and quit? "
                                          "Results stored so far are kept.")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save settings, stop the engine thread and close the project (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.status.stop_following()
        self.window_actions.save_layout()
        self.settings.sync()
        self.host.shutdown()
        self.workspace.close()
