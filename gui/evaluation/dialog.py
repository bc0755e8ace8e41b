"""Evaluate against gold labels: gold file and columns first, then the results.

Emits ``open_report_requested(report id)`` when a disagreeing report is
double-clicked (the main window selects it).  Every problem with the gold
file is shown in the dialog in plain words.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QProgressBar, QStackedWidget, QVBoxLayout, QWidget)

from core.export import ExportError
from core.export.evaluation_sheet import export_evaluation_xlsx
from gui.dialogs.model_dialog import ERROR_STYLE
from core.evaluation.project import Evaluation, evaluate, mappable_fields, read_gold_columns
from gui.evaluation.mapping import MappingPage
from gui.evaluation.results import ResultsPage
from gui.screen_fit import shrink_to_screen

log = logging.getLogger(__name__)


def _reason(path: str | Path, exc: Exception) -> str:
    name = Path(path).name
    if isinstance(exc, FileNotFoundError):
        return f"{name} was not found."
    if isinstance(exc, PermissionError):
        return f"{name} cannot be opened: it may be open in another program, or you may not have permission."
    if isinstance(exc, UnicodeDecodeError):
        return f"{name} is not a UTF-8 text file. Save it from Excel as “CSV UTF-8” or as .xlsx."
    text = str(exc).strip() or type(exc).__name__
    return f"{name} cannot be used: {text[0].lower() + text[1:] if text[:1].isupper() else text}"


class _Finished(QObject):
    done = Signal()     # emitted from the scoring thread; delivered in the GUI thread


def in_background(fn: Callable[[], Any]) -> Any:
    """Run *fn* on a helper thread while the GUI keeps painting (a local event loop, user input
    held back); return its result or raise its exception here."""
    box: dict[str, Any] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box["error"] = exc
        finally:
            finished.done.emit()

    thread = threading.Thread(target=work, name="abstractor-evaluate", daemon=True)
    thread.start()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


class EvaluationDialog(QDialog):
    open_report_requested = Signal(str)
    busy_changed = Signal(bool)    # scores are being computed

    def __init__(self, project: Any, task: Any, start_dir: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self.task = project, task
        self.start_dir = start_dir
        self.evaluation: Evaluation | None = None
        self.setWindowTitle(f"Evaluate against gold labels — {task.name}")
        self.mapping = MappingPage(mappable_fields(task), start_dir)
        self.mapping.file_selected.connect(self.load_gold)
        self.mapping.changed.connect(self._update_buttons)
        self.results = ResultsPage()
        self.results.open_report_requested.connect(self.open_report_requested)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.mapping)
        self.pages.addWidget(self.results)
        self.message = QLabel()
        self.message.setObjectName("evaluationMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.back_button = self.buttons.addButton("‹ Gold file and columns", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = self.buttons.addButton("Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setToolTip("Save these results as an Excel workbook")
        self.evaluate_button = self.buttons.addButton("Evaluate", QDialogButtonBox.ButtonRole.ActionRole)
        self.evaluate_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self.show_page(0))
        self.export_button.clicked.connect(self.choose_export)
        self.evaluate_button.clicked.connect(self.run_evaluation)
        self.buttons.rejected.connect(self.reject)
        self.busy_label = QLabel("Computing the scores…")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)                 # no end known: a moving busy bar
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(220)
        self.busy = QWidget()
        busy_row = QHBoxLayout(self.busy)
        busy_row.setContentsMargins(0, 0, 0, 0)
        busy_row.addWidget(self.busy_label)
        busy_row.addWidget(self.busy_bar)
        busy_row.addStretch(1)
        self.busy.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1100, 700)
        shrink_to_screen(self)      # 700 px and a title bar are more than a 1366×768 laptop has free
        self.show_page(0)

    # ---- pages ---------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.message.hide()
        self._update_buttons()

    def on_results(self) -> bool:
        return self.pages.currentIndex() == 1

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    @Slot()
    def _update_buttons(self) -> None:
        results = self.on_results()
        self.back_button.setVisible(results)
        self.export_button.setVisible(results)
        self.evaluate_button.setVisible(not results)
        self.evaluate_button.setEnabled(self.mapping.problem() is None)
        self.evaluate_button.setToolTip(self.mapping.problem() or "Compare the results with the gold labels")

    # ---- step 1 ----------------------------------------------------------------------------------
    @Slot(str)
    def load_gold(self, path: str | Path) -> bool:
        """Read the gold file's columns and propose a mapping; False (and a message) if it cannot be read."""
        self.message.hide()
        if self.mapping.path() != str(path):
            self.mapping.path_edit.setText(str(path))
        try:
            gold = read_gold_columns(path, self.task)
        except Exception as exc:  # noqa: BLE001 - any unreadable file: say why, never a traceback
            log.info("gold file %s unreadable", path, exc_info=True)
            self.mapping.show_columns(None)
            self.show_message(_reason(path, exc))
            return False
        self.mapping.show_columns(gold)
        return True

    @Slot()
    def run_evaluation(self) -> Evaluation | None:
        problem = self.mapping.problem()
        if problem:
            self.show_message(problem)
            return None
        gold = self.mapping.gold
        id_column, mapping = self.mapping.id_column(), self.mapping.mapping()
        self._set_busy(True)
        try:
            ev = in_background(lambda: evaluate(self.project, self.task, gold.path, id_column=id_column,
                                                mapping=mapping))
        except Exception as exc:  # noqa: BLE001
            log.info("evaluation failed", exc_info=True)
            self.show_message(_reason(gold.path, exc))
            return None
        finally:
            self._set_busy(False)
        if not ev.gold:
            self.show_message(f"None of the {len(ev.unmatched)} gold rows matches a report of this project. "
                              "Check the report id column: it should hold the reports' file names.")
            return None
        self.evaluation = ev
        self.results.show_evaluation(ev)
        self.show_page(1)
        return ev

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)
        self.mapping.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self.busy_changed.emit(busy)

    # ---- export ------------------------------------------------------------------------------------
    @Slot()
    def choose_export(self) -> None:
        from core.templates import slugify

        start = str(Path(self.start_dir or Path.home()) / f"{slugify(self.task.name)}-evaluation.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Export the evaluation", start, "Excel workbook (*.xlsx)")
        if path:
            self.export_to(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export_to(self, path: str | Path) -> Path | None:
        if self.evaluation is None:
            return None
        try:
            written = export_evaluation_xlsx(path, self.task, self.evaluation.results)
        except ExportError as exc:
            self.show_message(str(exc))
            return None
        except Exception as exc:  # noqa: BLE001
            log.exception("evaluation export failed")
            self.show_message(f"The export failed: {exc}")
            return None
        self.message.hide()
        return written
