"""The review: the report with highlighted evidence beside a form of its fields.

Layout: a header (report name, position, previous/next), then a splitter
with the report text on the left and the actions and form on the right;
below, the overview grid with the filters.  Every edit goes straight to
the project (:class:`core.review.ReviewData` writes it by the rules of
:mod:`core.review`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from core.review import ReportState, ReviewData
from core.store.project import Project
from core.task import Task
from gui.engine_host import EngineHost
from gui.review import shortcuts as sc
from gui.review.actions import ReviewActions
from gui.review.form import ReviewForm
from gui.review.header import ReviewHeader
from gui.review.navigation import ListOrder, Navigator
from gui.review.overview import OverviewPane
from gui.review.palette import field_colour
from gui.review.presenter import field_states, notice
from gui.review.report_text import ReportText


class ReviewView(QWidget):
    report_changed = Signal(str)          # after any edit, accept, flag, reset of that report
    open_report_requested = Signal(str)   # a cell of the overview grid was opened
    current_report_changed = Signal(str)  # the report shown changed ("" for none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("review_view")
        self.data = ReviewData()
        self.current: str | None = None
        self._text_of: str | None = None
        self._form_task: str | None = None
        self._help = None
        self._list_position: tuple[str, int, int, int] | None = None   # set by the window's report list
        self._build()
        self._make_shortcuts()
        self.data.on_changed.append(self._data_changed)
        self.data.on_reset.append(self._data_reset)
        self._show_nothing()

    # ---- building -------------------------------------------------------------
    def _build(self) -> None:
        self.header = ReviewHeader(self)
        self.header.previous_requested.connect(self.previous_report)
        self.header.next_requested.connect(self.next_report)
        self.header.help_requested.connect(self.show_shortcuts)
        self.position, self.status = self.header.position, self.header.status

        self.text = ReportText(self)
        self.text.evidence_clicked.connect(self.focus_field)
        self.actions = ReviewActions(self)
        self.actions.accept_requested.connect(self.accept)
        self.actions.flag_requested.connect(self.flag)
        self.actions.reset_requested.connect(self.reset_report)
        self.actions.reopen_requested.connect(self.reopen)
        self.form = ReviewForm(self)
        self.form.value_edited.connect(self._edited)
        self.form.revert_requested.connect(self.revert_field)
        self.form.use_model_value_requested.connect(self.use_model_value)
        self.form.field_focused.connect(self.text.flash)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(4, 0, 0, 0)
        rl.addWidget(self.actions)
        rl.addWidget(self.form, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("review_splitter")
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.header)
        tl.addWidget(self.splitter, 1)
        self.overview = OverviewPane(self.data, self)
        self.nav = Navigator(self.data, self.overview.model, self.overview.proxy)
        self.overview.cell_opened.connect(self._cell_opened)
        self.overview.current_report_moved.connect(self.show_report)   # the grid and the form show one report
        self.overview.proxy.layoutChanged.connect(self._reselect)        # after a sort or a filter
        self.overview.proxy.modelReset.connect(self._reselect)
        self.overview.filters_changed.connect(self._update_header)
        self.overview.threshold.valueChanged.connect(lambda _v: self._show_current(keep_text=True))
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(top)
        self.vsplit.addWidget(self.overview)
        self.vsplit.setStretchFactor(0, 3)
        self.vsplit.setStretchFactor(1, 1)
        self.vsplit.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.vsplit)

    def _make_shortcuts(self) -> None:
        handlers = {
            "accept": self.accept, "flag": self.actions.start_flag, "reset": self.reset_report,
            "next": self.next_report, "previous": self.previous_report, "revert": self.revert_current_field,
            "empty": self.empty_current_field, "overview": self.toggle_overview_focus, "help": self.show_shortcuts,
        }
        self.shortcuts: dict[str, list[QShortcut]] = {}
        for name, keys, _what in sc.SHORTCUTS:
            if name not in handlers:
                continue
            for k in keys:
                s = QShortcut(QKeySequence(k), self)
                s.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                s.activated.connect(handlers[name])
                self.shortcuts.setdefault(name, []).append(s)

    # ---- following a run ----------------------------------------------------------
    def set_engine_host(self, host: EngineHost) -> None:
        """Follow a run: each stored result refreshes its report; the end re-reads all."""
        host.worker.result.connect(self._on_result)
        host.worker.run_finished.connect(self._on_run_finished)

    @Slot(str, object)
    def _on_result(self, report_id: str, _extraction) -> None:
        self.refresh_report(report_id)

    @Slot(object)
    def _on_run_finished(self, _summary) -> None:
        self.refresh()

    # ---- public slots -----------------------------------------------------------
    @Slot(object)
    def set_project(self, project: Project | None) -> None:
        self.form.commit_pending()
        self.data.load(project, self.data.task)

    @Slot(object)
    def set_task(self, task: Task | None) -> None:
        self.form.commit_pending()
        self.data.load(self.data.project, task)

    @Slot(str)
    def show_report(self, report_id: str) -> None:
        if report_id == self.current and report_id in self.data.entries:
            return
        if report_id not in self.data.entries:
            self.data.reload()
            if report_id not in self.data.entries:
                return
        self.form.commit_pending()
        self.current = report_id
        self._show_current()
        self.overview.select_report(report_id)
        self.current_report_changed.emit(report_id)

    @Slot()
    def refresh(self, *_args) -> None:
        """Re-read everything (after a run finished or reports were added)."""
        self.form.commit_pending()
        self.data.reload()

    @Slot(str)
    def refresh_report(self, report_id: str) -> None:
        """Re-read one report (connect host.worker.result here)."""
        self.data.refresh(report_id)

    @Slot(str)
    def focus_field(self, key: str) -> None:
        self.form.focus_field(key)

    @staticmethod
    def shortcut_overview_text(rich: bool = False) -> str:
        return sc.overview_text(rich)

    @Slot()
    def show_shortcuts(self) -> None:
        if self._help is None:
            self._help = sc.ShortcutDialog(self)
        was_open = self._help.isVisible()
        self._help.show()
        if was_open and QGuiApplication.platformName() != "offscreen":
            self._help.raise_()

    # ---- navigation -------------------------------------------------------------
    @Slot()
    def next_report(self) -> None:
        rid = self.nav.neighbour(self.current, +1)
        if rid:
            self.show_report(rid)
        else:
            self.header.say("This is the last report in the list.")

    @Slot()
    def previous_report(self) -> None:
        rid = self.nav.neighbour(self.current, -1)
        if rid:
            self.show_report(rid)
        else:
            self.header.say("This is the first report in the list.")

    def next_unreviewed(self) -> str | None:
        return self.nav.next_unreviewed(self.current)

    # ---- reviewer actions -----------------------------------------------------------
    def _entry(self) -> ReportState | None:
        return self.data.entries.get(self.current) if self.current else None

    @Slot()
    def accept(self) -> None:
        e = self._entry()
        if e is None or not e.reviewable:
            return
        self.form.commit_pending()
        nxt = self.next_unreviewed()
        rid = self.current
        self.data.accept(rid)
        self.report_changed.emit(rid)
        self._go_on(nxt, "Accepted.")

    @Slot(str)
    def flag(self, comment: str) -> None:
        e = self._entry()
        if e is None or not e.reviewable:
            return
        self.form.commit_pending()
        nxt = self.next_unreviewed()
        rid = self.current
        self.data.flag(rid, comment)
        self.report_changed.emit(rid)
        self._go_on(nxt, "Flagged.")

    def _go_on(self, nxt: str | None, done: str) -> None:
        if nxt:
            self.show_report(nxt)
            first = next(iter(self.form.rows), None)
            if first:
                self.form.focus_field(first)
        else:
            self.header.say(f"{done} Every report in this list is reviewed.")

    @Slot()
    def reset_report(self) -> None:
        if self._entry() is not None:
            self.data.reset(self.current)
            self.report_changed.emit(self.current)

    @Slot()
    def reopen(self) -> None:
        if self._entry() is not None:
            self.data.reopen(self.current)
            self.report_changed.emit(self.current)

    @Slot(str)
    def revert_field(self, key: str) -> None:
        if self._entry() is not None:
            self.data.revert(self.current, key)
            self.report_changed.emit(self.current)

    @Slot(str)
    def use_model_value(self, key: str) -> None:
        """An accepted report takes the model's newest value for one field."""
        if self._entry() is not None:
            self.data.use_model_value(self.current, key)
            self.report_changed.emit(self.current)

    @Slot()
    def revert_current_field(self) -> None:
        key = self.form.current_key()
        if key:
            self.revert_field(key)

    @Slot()
    def empty_current_field(self) -> None:
        key = self.form.current_key()
        if key:
            self.form.rows[key].editor.clear_value()

    @Slot()
    def toggle_overview_focus(self) -> None:
        if self.overview.table.hasFocus():
            key = self.form.current_key() or self.form.last_focused_key() or next(iter(self.form.rows), None)
            if key:
                self.form.focus_field(key)
        else:
            self.overview.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _edited(self, key: str, value) -> None:
        e = self._entry()
        if e is None or not e.reviewable:
            return
        self.data.set_value(self.current, key, value)
        self.report_changed.emit(self.current)

    def _cell_opened(self, report_id: str, key: str) -> None:
        self.show_report(report_id)
        self.focus_field(key or next(iter(self.form.rows), ""))
        self.open_report_requested.emit(report_id)

    # ---- showing ------------------------------------------------------------------
    def _data_reset(self) -> None:
        if self._form_task != self.data.task_hash:  # rebuild the form only for another task
            self._form_task = self.data.task_hash
            self.form.set_fields(self.data.fields, {f.key: field_colour(i) for i, f in enumerate(self.data.fields)})
            self.overview.fields_changed()
        self._text_of = None
        if self.current not in self.data.entries:
            order = self.nav.order()
            self.current = order[0] if order else (self.data.ids[0] if self.data.ids else None)
            self.current_report_changed.emit(self.current or "")
        self._show_current()
        if self.current:
            self.overview.select_report(self.current)

    def _reselect(self, *_args) -> None:
        if self.current:
            self.overview.select_report(self.current)

    def _data_changed(self, report_id: str) -> None:
        if report_id == self.current:
            self._show_current(keep_text=True)
        self._update_header()

    def _show_nothing(self) -> None:
        self.text.set_report("")
        self.form.set_states({}, self.overview.threshold_value())
        self.form.set_raw_output(None)
        self.form.set_editable(False)
        self.actions.set_entry(None)
        if self.data.project is None:
            self.form.set_notice("Open a folder of reports to review them.")
        elif self.data.task is None:
            self.form.set_notice("Choose a task to review its results.")
        else:
            self.form.set_notice("There are no reports to review.")
        self._update_header()

    def _show_current(self, keep_text: bool = False) -> None:
        e = self._entry()
        if e is None or self.data.task is None:
            self._show_nothing()
            return
        same_report = keep_text and self._text_of == e.report_id
        if not same_report:
            self.text.set_report(self.data.report_text(e.report_id))
            self._text_of = e.report_id
        fields = self.data.fields
        labels = {f.key: f.title for f in fields}
        colours = {f.key: field_colour(i) for i, f in enumerate(fields)}
        self.text.set_evidence({f.key: e.evidence(f.key) for f in fields}, labels, colours)
        self.form.set_states(field_states(self.data, e), self.overview.threshold_value(), force=not same_report)
        self.form.set_editable(e.reviewable)
        self.form.set_raw_output(e.result.raw_output if e.failed else None)
        self.form.set_notice(*notice(e, self.data))
        self.actions.set_entry(e)
        self._update_header()

    def follow_list(self, list_order: ListOrder) -> None:
        """Alt+Down, Alt+Up and "accept and go on" follow the window's report list (see Navigator)."""
        self.nav.follow_list(list_order)

    @Slot(str, int, int, int)
    def set_list_position(self, report_id: str, row: int, listed: int, total: int) -> None:
        """The current report's place in the window's report list ("7 of 12" counts there)."""
        self._list_position = (report_id, row, listed, total)
        self._update_header()

    def _update_header(self) -> None:
        e = self._entry()
        status = e.status.label if e else ""
        if self._list_position is not None:
            rid, row, listed, total = self._list_position
            self.header.show_report(e.report_id if e else None, row if e and rid == e.report_id else -1,
                                    listed, total, status, where="list")
        else:   # on its own (no report list beside it): the overview's order
            self.header.show_report(e.report_id if e else None, self.nav.row(self.current),
                                    self.overview.proxy.rowCount(), len(self.data.ids), status)
