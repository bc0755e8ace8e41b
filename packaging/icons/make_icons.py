"""Render packaging/icons/abstractor.svg to the PNG and ICO files the installers use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/icons/make_icons.py

Run after changing the SVG; the outputs are committed (so builds need no image tools).
The multi-size .ico (Windows, NSIS) is written with Pillow.
PyInstaller turns the PNG into the macOS .icns itself (with Pillow, from the packaging extra).
"""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def render(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    QSvgRenderer(str(HERE / "abstractor.svg")).render(painter)
    painter.end()
    return img


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - painting needs one
    render(256).save(str(HERE / "abstractor.png"))
    render(48).save(str(HERE / "abstractor-48.png"))
    from PIL import Image  # the packaging extra

    render(256).save(str(HERE / "abstractor-256.tmp.png"))
    with Image.open(HERE / "abstractor-256.tmp.png") as img:  # one .ico with every Windows size
        img.save(HERE / "abstractor.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (256, 256)])
    (HERE / "abstractor-256.tmp.png").unlink()


if __name__ == "__main__":
    main()
