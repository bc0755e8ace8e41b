"""The README's screenshots at 1366×768: the review, the task builder and the exported sheet.

Run from the repository root after a demo run stored results in the demo project::

    ABSTRACTOR_DATA_DIR=/tmp/shots .venv/bin/abstractor run --task chest_ct_nodules \
        --reports resources/demo/reports --project /tmp/shots/demo/demo.abstractor
    ABSTRACTOR_DATA_DIR=/tmp/shots QT_QPA_PLATFORM=offscreen \
        .venv/bin/python docs/screenshots/take_screenshots.py docs/screenshots

The window is grabbed offscreen with Qt (``QWidget.grab``).  The sheet is the
Excel export as LibreOffice prints it (``soffice --headless`` to PDF, page 1 to
PNG with Ghostscript, cut in two halves with ImageMagick); without those tools
that picture is left out and the script says so.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1366, 768)


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def sheet_picture(xlsx: Path, tmp: Path, png: Path) -> bool:
    """The Results sheet as LibreOffice prints it (page 1), in two halves one above the other, 1366 wide."""
    tools = [shutil.which(t) for t in ("soffice", "gs", "convert")]
    if None in tools:
        return False
    soffice, gs, convert = tools
    run = {"check": True, "timeout": 300, "capture_output": True}
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(xlsx)], **run)
    page = tmp / "page1.png"
    subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", "-r300", "-dFirstPage=1",
                    "-dLastPage=1", f"-sOutputFile={page}", str(xlsx.with_suffix(".pdf"))], **run)
    subprocess.run([convert, str(page), "-trim", "+repage", "-bordercolor", "white", "-border", "20",
                    "-colorspace", "sRGB", "-crop", "2x1@", "+repage", "-background", "white", "-append",
                    "-resize", "1366x>", "-bordercolor", "#888888", "-border", "1", str(png)], **run)
    return True


def main(out: Path) -> int:
    from core import api
    from gui.main_window import MainWindow
    from gui.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        w = MainWindow(Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)))
        w.resize(*SIZE)
        w.show()
        w.open_demo()
        while w.workspace.is_loading():
            settle(app)
        settle(app)
        w.browser.select_report("ct_thorax_02.txt")
        w.tabs.setCurrentWidget(w.review)
        settle(app)
        w.grab().save(str(out / "review.png"))
        w.tabs.setCurrentWidget(w.builder)
        w.builder.select_field("largest_diameter_mm")
        settle(app)
        w.grab().save(str(out / "builder.png"))
        project, task = w.project, w.task
        assert project is not None and task is not None
        xlsx = Path(tmp) / "chest_ct_nodules.xlsx"
        api.export(project, xlsx, task)
        w.shutdown()
        if not sheet_picture(xlsx, Path(tmp), out / "export.png"):
            print("LibreOffice, Ghostscript or ImageMagick is missing: no picture of the exported sheet",
                  file=sys.stderr)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
