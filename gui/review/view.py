"""The review: the report with highlighted evidence beside a form of its fields.

Layout: a header (report name, position, previous/next), then a splitter
with the report text on the left and the actions and form on the right;
below, the overview grid with the filters.  Every edit goes straight to
the project (:class:`gui.review.data.ReviewData` writes it).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from core.store.project import Project
from core.task import Task
from gui.review import shortcuts as sc
from gui.review.actions import ReviewActions
from gui.review.data import Entry, ReviewData
from gui.review.field_row import _UNSET, FieldState
from gui.review.form import ReviewForm
from gui.review.overview import REPORT_ROLE, OverviewPane
from gui.review.palette import field_colour
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
        self._build()
        self._make_shortcuts()
        self.data.on_changed.append(self._data_changed)
        self.data.on_reset.append(self._data_reset)
        self._show_nothing()

    # ---- building -------------------------------------------------------------
    def _build(self) -> None:
        self.prev_button = QToolButton(self)
        self.prev_button.setArrowType(Qt.ArrowType.UpArrow)
        self.prev_button.setToolTip("Previous report (Alt+Up)")
        self.prev_button.clicked.connect(self.previous_report)
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.setToolTip("Next report (Alt+Down)")
        self.next_button.clicked.connect(self.next_report)
        for b in (self.prev_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.title = QLabel(self)
        self.title.setObjectName("review_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.position = QLabel(self)
        self.status = QLabel(self)
        self.status.setObjectName("review_status")
        self.help_button = QToolButton(self)
        self.help_button.setText("Shortcuts")
        self.help_button.setToolTip("Keyboard shortcuts of the review (Ctrl+/)")
        self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.help_button.clicked.connect(self.show_shortcuts)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        for w in (self.prev_button, self.next_button, self.title, self.position):
            head.addWidget(w)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.help_button)

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
        self.form.keep_requested.connect(self._edited)
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
        tl.addLayout(head)
        tl.addWidget(self.splitter, 1)
        self.overview = OverviewPane(self.data, self)
        self.overview.cell_opened.connect(self._cell_opened)
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

    # ---- wiring -----------------------------------------------------------------
    def attach(self, window) -> None:
        """Wire into the main window (its ``project_opened``, ``task_changed``,
        ``report_selected``, ``select_report``, ``refresh_report_status`` and ``host``)."""
        window.project_opened.connect(self.set_project)
        window.task_changed.connect(self.set_task)
        window.report_selected.connect(self.show_report)
        self.open_report_requested.connect(window.select_report)
        self.report_changed.connect(window.refresh_report_status)
        self.set_engine_host(window.host)
        workspace = getattr(window, "workspace", None)
        if workspace is not None and hasattr(workspace, "loading_finished"):
            workspace.loading_finished.connect(self.refresh)
        if workspace is not None and hasattr(workspace, "closing"):
            workspace.closing.connect(lambda: self.set_project(None))  # never touch a closed project
        if window.project is not None:
            self.set_project(window.project)
        if window.task is not None:
            self.set_task(window.task)

    def set_engine_host(self, host) -> None:
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
    def _order(self) -> list[str]:
        return self.overview.proxy.report_ids()

    def _proxy_row(self, report_id: str | None) -> int:
        """The report's row in the filtered, sorted overview (-1 when filtered out)."""
        model, proxy = self.overview.model, self.overview.proxy
        r = model.row_of(report_id) if report_id else -1
        return proxy.mapFromSource(model.index(r, 0)).row() if r >= 0 else -1

    def _proxy_id(self, row: int) -> str | None:
        proxy = self.overview.proxy
        return proxy.index(row, 0).data(REPORT_ROLE) if 0 <= row < proxy.rowCount() else None

    def _neighbour(self, step: int) -> str | None:
        proxy = self.overview.proxy
        if not proxy.rowCount():
            return None
        if self.current is None:
            return self._proxy_id(0)
        row = self._proxy_row(self.current)
        if row >= 0:
            return self._proxy_id(row + step)
        order = self._order()  # the current report is filtered out: go by folder order
        pos = {rid: i for i, rid in enumerate(self.data.ids)}
        here = pos.get(self.current, -1)
        after = [r for r in order if pos[r] > here] if step > 0 else [r for r in order if pos[r] < here]
        return (after[0] if step > 0 else after[-1]) if after else None

    @Slot()
    def next_report(self) -> None:
        rid = self._neighbour(+1)
        if rid:
            self.show_report(rid)
        else:
            self.status.setText("This is the last report in the list.")

    @Slot()
    def previous_report(self) -> None:
        rid = self._neighbour(-1)
        if rid:
            self.show_report(rid)
        else:
            self.status.setText("This is the first report in the list.")

    def next_unreviewed(self) -> str | None:
        order = self._order()
        if self.current in order:
            i = order.index(self.current)
            order = order[i + 1:] + order[:i]
        for rid in order:
            if rid != self.current and self.data.entries[rid].unreviewed:
                return rid
        return None

    # ---- reviewer actions -----------------------------------------------------------
    def _entry(self) -> Entry | None:
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
            self.status.setText(f"{done} Every report in this list is reviewed.")

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
            order = self._order()
            self.current = order[0] if order else (self.data.ids[0] if self.data.ids else None)
            self.current_report_changed.emit(self.current or "")
        self._show_current()
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
        self.form.set_states(self._states(e), self.overview.threshold_value(), force=not same_report)
        self.form.set_editable(e.reviewable)
        self.form.set_raw_output(e.result.raw_output if e.failed else None)
        self.form.set_notice(*self._notice(e))
        self.actions.set_entry(e)
        self._update_header()

    def _states(self, e: Entry) -> dict[str, FieldState]:
        ok = e.result is not None and e.result.status == "ok"
        with_evidence = ok and self.data.task.options.evidence
        accepted = self.data.model_values_when_reviewed(e.report_id) if e.rerun_after_review else None
        out = {}
        for f in self.data.fields:
            rv = e.reviews.get(f.key)
            out[f.key] = FieldState(
                value=e.value(f.key), model_value=e.model_value(f.key), has_result=ok, corrected=rv is not None,
                corrected_from=rv.model_value if rv else None, confidence=e.confidence(f.key),
                evidence=(e.evidence(f.key) is not None) if with_evidence else None, warnings=e.warnings(f.key),
                accepted_model_value=accepted.get(f.key) if accepted is not None else _UNSET)
        return out

    @staticmethod
    def _notice(e: Entry) -> tuple[str | None, str]:
        if not e.reviewable:
            return f"This file could not be read: {e.skip_reason or 'unknown reason'}.", "error"
        if e.result is None:
            return "The model has not read this report yet. You can fill in the values by hand.", "info"
        if e.failed:
            return (f"The model could not read this report. {e.result.reason or ''} "
                    "Fill in the values by hand, or run 'Failed reports only' again.", "error")
        general = e.warnings("")
        if e.rerun_after_review:
            what = "accepted" if e.state.state == "accepted" else "flagged"
            return (f"The model read this report again after it was {what}. Fields where it now says "
                    "something else are marked; accept again to confirm.", "warning")
        if general:
            return " ".join(general), "warning"
        return None, "info"

    def _update_header(self) -> None:
        e = self._entry()
        if e is None:
            self.title.setText("")
            self.position.setText("")
            self.status.setText("")
            return
        self.title.setText(f"<b>{html.escape(e.report_id)}</b>")
        total, shown = len(self.data.ids), self.overview.proxy.rowCount()
        row = self._proxy_row(self.current)
        if row >= 0:
            self.position.setText(f"{row + 1} of {shown}" + (f" (of {total})" if shown != total else ""))
        else:
            self.position.setText(f"not in the filtered list ({shown} of {total})")
        self.status.setText(e.status.capitalize())
