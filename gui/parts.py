"""The parts of the main window written as separate packages, loaded lazily.

The task builder (``gui.builder.TaskBuilder()``), the review
(``gui.review.ReviewView()``) and the run panel (``gui.run.RunPanel(host)``).
A part that cannot be imported or created is replaced by a placeholder
label, so the rest of the app keeps working.

:func:`hook` wires a part to the window: ``attach(window)`` when the part
defines it; otherwise whichever of these it has: ``set_engine_host(host)``,
``set_project`` (<- ``project_opened``), ``set_task`` (<- ``task_changed``;
not for the builder, which gets tasks on *Edit task*), ``set_selection``
(<- the browser's selection), ``task_saved`` (-> ``window.set_task``),
``open_report_requested`` (-> ``window.select_report``) and
``report_changed`` (-> ``window.refresh_report_status``).
"""
from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

log = logging.getLogger(__name__)

PARTS = {  # key: (module, class, what it is, in plain words)
    "builder": ("gui.builder", "TaskBuilder", "The task editor"),
    "review": ("gui.review", "ReviewView", "The review"),
    "run": ("gui.run", "RunPanel", "The run panel"),
}


def placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("placeholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label


def is_placeholder(part: QWidget) -> bool:
    return isinstance(part, QLabel) and part.objectName() == "placeholder"


def make_part(key: str, host) -> QWidget:
    module, cls_name, what = PARTS[key]
    try:
        cls = getattr(importlib.import_module(module), cls_name)
    except (ImportError, AttributeError):
        log.info("%s.%s not available", module, cls_name, exc_info=True)
        return placeholder(f"{what} is not available in this version of Abstractor.")
    try:
        return cls(host) if key == "run" else cls()
    except Exception:  # noqa: BLE001 - a broken part must not stop the app
        log.exception("could not create %s.%s", module, cls_name)
        return placeholder(f"{what} could not be started. The rest of Abstractor works as usual.")


def hook(part: QWidget, window, *, follows_task: bool = True) -> None:
    if is_placeholder(part):
        return
    if hasattr(part, "attach"):
        part.attach(window)
        return
    if hasattr(part, "set_engine_host"):
        part.set_engine_host(window.host)
    if hasattr(part, "set_project"):
        window.project_opened.connect(part.set_project)
        if window.project is not None:
            part.set_project(window.project)
    if follows_task and hasattr(part, "set_task"):
        window.task_changed.connect(part.set_task)
        if window.task is not None:
            part.set_task(window.task)
    if hasattr(part, "set_selection"):
        window.browser.selection_changed.connect(part.set_selection)
    if hasattr(part, "task_saved"):
        part.task_saved.connect(window._on_task_saved)
    if hasattr(part, "open_report_requested"):
        part.open_report_requested.connect(window.select_report)
    if hasattr(part, "report_changed"):
        part.report_changed.connect(window.refresh_report_status)
