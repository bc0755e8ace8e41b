"""Help › About: the version, where the model runs (llama.cpp backend), and every bundled part's licence.

The facts come from :mod:`core.about`, the same source as ``abstractor --version``.
Each part's licence text opens in the dialog itself (no browser, no network).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPlainTextEdit,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout)

from core.about import Component, components, notice_path


def summary_html(version: str, backend: str) -> str:
    from core.models import DEMO_MODEL_NOTICE

    return (f"<h3>Abstractor {html.escape(version)}</h3>"
            "<p>Turns a folder of free-text clinical reports into a reviewed spreadsheet, with a "
            "language model that runs on this computer. Reports never leave it.</p>"
            f"<p>The model runs on: <b>{html.escape(backend)}</b> (llama.cpp).</p>"
            "<p><b>Always review the results.</b> A language model makes mistakes; every value comes "
            "with the sentence it was taken from so you can check it.</p>"
            f"<p><b>About the demo model:</b> {html.escape(DEMO_MODEL_NOTICE)}</p>"
            f"{stored_where_html()}"
            "<p>Bundled parts and their licences (select one to read its licence):</p>")


def stored_where_html() -> str:
    """What is stored where, in plain words (the README's 'What is stored where')."""
    from core.logs import log_dir
    from core.templates import user_tasks_dir

    return ("<p><b>What is stored where.</b> Everything stays on this computer; nothing is sent anywhere. "
            "Reports, results and review edits: in the project file you choose (<i>.abstractor</i>, readable "
            "by you only). Exports: where you save them (readable by you only). "
            f"Your tasks: {html.escape(str(user_tasks_dir()))}. "
            f"Log (no report text or values): {html.escape(str(log_dir()))}. "
            "Preferences: the system's settings store.</p>")


class AboutDialog(QDialog):
    """Version, backend, and a table of bundled parts; the selected part's licence text below it."""

    def __init__(self, parent=None, *, backend: str | None = None):
        super().__init__(parent)
        from core.about import llama_backend
        from core.locations import app_version

        self.setWindowTitle("About Abstractor")
        self.setObjectName("aboutDialog")
        self.backend = llama_backend() if backend is None else backend
        self.parts: list[Component] = components()
        self.summary = QLabel(summary_html(app_version(), self.backend))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(len(self.parts), 3)
        self.table.setHorizontalHeaderLabels(["Part", "Version", "Licence"])
        for row, c in enumerate(self.parts):
            for col, text in enumerate((c.name, c.version, c.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(c.note or str(notice_path(c)))
                self.table.setItem(row, col, item)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.licence = QPlainTextEdit()
        self.licence.setObjectName("licenceText")
        self.licence.setReadOnly(True)
        self.licence.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(720, 640)
        if self.parts:
            self.table.selectRow(0)

    def licence_text(self, component: Component) -> str:
        path = notice_path(component)
        head = f"{component.name} {component.version}: {component.licence}\n"
        if component.note:
            head += f"{component.note}\n"
        if not path.is_file():
            return f"{head}\nThe licence file {path} is not part of this copy."
        return f"{head}File: {path}\n\n{path.read_text('utf-8', errors='replace')}"

    def _show_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.licence.setPlainText(self.licence_text(self.parts[rows[0].row()]))
