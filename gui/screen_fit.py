"""Windows that fit the screen they open on, frame and title bar included.

Hospital laptops have 1366×768 or 1280×800 screens with a task bar: a window
asked for 1280×800 (or restored from a larger screen) would put its status bar
below the screen's edge.  :func:`fit_to_screen` shrinks and moves a window so
that its frame lies inside the screen's available area; before the window is
shown the window manager has not said how thick its frame is, so a typical
frame (:data:`ASSUMED_FRAME`) is allowed for.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

ASSUMED_FRAME = QMargins(8, 38, 8, 8)   # left, title bar, right, bottom


def available_area(window: QWidget) -> QRect:
    """The free part of the window's screen (without task bars and docks)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around *window*: measured once shown, else :data:`ASSUMED_FRAME`."""
    if not window.isVisible():
        return ASSUMED_FRAME
    frame, inner = window.frameGeometry(), window.geometry()
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())


def fitted(geometry: QRect, margins: QMargins, area: QRect, minimum: QSize, centre: bool = False) -> QRect:
    """*geometry* (without frame) shrunk and moved so that it and its frame lie inside *area*.

    Never smaller than *minimum*; *centre* places it in the middle of *area*
    (a first start), else it moves only as far as it must.
    """
    room = area.marginsRemoved(margins)
    width = max(min(geometry.width(), room.width()), minimum.width())
    height = max(min(geometry.height(), room.height()), minimum.height())
    if centre:
        x = room.left() + max(0, (room.width() - width) // 2)
        y = room.top() + max(0, (room.height() - height) // 2)
    else:
        x = min(max(geometry.left(), room.left()), max(room.left(), room.right() + 1 - width))
        y = min(max(geometry.top(), room.top()), max(room.top(), room.bottom() + 1 - height))
    return QRect(x, y, width, height)


def fit_to_screen(window: QWidget, centre: bool = False) -> None:
    """Shrink and move *window* into its screen's available area (a maximised window is left alone)."""
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    target = fitted(window.geometry(), frame_margins(window), available_area(window), minimum, centre)
    if target != window.geometry():
        window.setGeometry(target)


def shrink_to_screen(window: QWidget) -> None:
    """Make a window that is not shown yet no larger than its screen's free area, frame included.

    Unlike :func:`fit_to_screen` it leaves the position alone, so a dialog is
    still centred over its parent when it opens.
    """
    room = available_area(window).marginsRemoved(frame_margins(window))
    size = window.size().boundedTo(room.size()).expandedTo(window.minimumSizeHint())
    if size != window.size():
        window.resize(size)
