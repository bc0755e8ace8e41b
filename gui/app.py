"""Start the desktop app: ``abstractor [--demo] [FOLDER | PROJECT.abstractor]``.

The window shows first; the model loads afterwards on the engine thread
(the last model used, else the embedded demo model), so the app is usable
at once.  Heavy modules (llama.cpp, the model's metadata reader, the task
builder, the review) load lazily.
"""
from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "Abstractor"
ORG_NAME = "Abstractor"


def parse_args(args: list[str]) -> tuple[bool, str | None]:
    """``(demo, path)`` from the command line (Qt's own options already removed)."""
    demo, path = False, None
    for a in args:
        if a == "--demo":
            demo = True
        elif not a.startswith("-") and path is None:
            path = a
    return demo, path


def initial_model_path(settings) -> tuple[str | None, str | None]:
    """``(model path, note for the user)``: the last model used when it still exists, else the demo model."""
    from core.models import embedded_model_path

    embedded = embedded_model_path()
    last = settings.get("model_path")
    if last and Path(last).is_file():
        return last, None
    if embedded.is_file():
        note = f"The model {Path(last).name} was not found; using the demo model." if last else None
        return str(embedded), note
    return None, "No model found. Choose one with Run › Choose model…"


def create_window(args: list[str], settings=None, *, load_model: bool = True):
    """The main window, shown, with the demo or the given folder/project open."""
    from PySide6.QtCore import QTimer

    from gui.main_window import MainWindow

    demo, path = parse_args(args)
    window = MainWindow(settings)
    window.show()
    if demo:
        window.open_demo()
    elif path:
        window.open_path(path)
    if load_model:
        model, note = initial_model_path(window.settings)
        if note:
            window.status.showMessage(note, 20000)
        if model:
            QTimer.singleShot(0, lambda: window.load_model(model))
    return window


def run_app(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from core.logs import setup_logging

    setup_logging(warn=lambda m: print(f"abstractor: warning: {m}", file=sys.stderr))
    existing = QApplication.instance()
    app = existing or QApplication([sys.argv[0] if sys.argv else "abstractor", *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    window = create_window(list(argv) if existing else app.arguments()[1:])
    code = app.exec()
    window.shutdown()
    return code
