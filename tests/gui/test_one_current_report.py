"""One current report: the report list, the review form and the overview grid agree."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.templates import load_bundled
from tests.gui.test_main_window import _folder


def test_moving_in_the_review_moves_the_list_and_the_grid(qtbot, window, tmp_path):
    window.open_folder(_folder(tmp_path, 4))
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    with qtbot.wait_signal(window.task_changed):
        window.set_task(load_bundled("prostate_mri"))
    review = window.review
    qtbot.wait_until(lambda: review.current is not None)
    first = review.current
    review.next_report()                                      # what Alt+Down does
    assert review.current != first
    assert window.browser.current_id() == review.current      # the list follows
    grid = review.overview.table
    assert grid.currentIndex().data(Qt.ItemDataRole.DisplayRole) == review.current
    assert "2 of 4" in review.position.text()


def test_moving_in_the_grid_moves_the_form_and_the_list(qtbot, window, tmp_path):
    window.open_folder(_folder(tmp_path, 4))
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    with qtbot.wait_signal(window.task_changed):
        window.set_task(load_bundled("prostate_mri"))
    window.tabs.setCurrentWidget(window.review)
    window.show()
    qtbot.wait_exposed(window)
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    review = window.review
    qtbot.wait_until(lambda: review.current is not None)
    grid = review.overview.table
    grid.setFocus()
    qtbot.wait_until(grid.hasFocus)
    target = review.overview.proxy.index(2, 0)
    grid.setCurrentIndex(target)                              # an arrow key or a click in the grid
    rid = target.data(Qt.ItemDataRole.DisplayRole)
    assert review.current == rid
    assert window.browser.current_id() == rid
