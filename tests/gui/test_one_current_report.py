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


def test_the_position_counts_in_the_report_list_not_the_overview(qtbot, window, tmp_path):
    """"2 of 4" is the place in the report list on the left, in its own sort order and filter."""
    from gui.browser.model import COL_ID

    folder = tmp_path / "reports"
    folder.mkdir()
    for i, words in enumerate(["No nodules.", "Emfyseem.", "Emfyseem apicaal.", "Normal."]):
        (folder / f"report_{i}.txt").write_text(f"CT thorax. {words}", "utf-8")
    window.open_folder(folder)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    with qtbot.wait_signal(window.task_changed):
        window.set_task(load_bundled("prostate_mri"))
    review, browser = window.review, window.browser
    browser._enable_sorting(COL_ID)                            # a click on the header ...
    browser.table.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)   # ... and another: report_3 first
    browser.select_report("report_3.txt")
    qtbot.wait_until(lambda: review.current == "report_3.txt")
    assert review.nav.row("report_3.txt") == 3                # last in the overview (folder order)
    assert review.position.text() == "1 of 4 in the report list"
    browser.select_report("report_0.txt")
    qtbot.wait_until(lambda: review.current == "report_0.txt")
    assert review.position.text() == "4 of 4 in the report list"
    browser.search.setText("emfyseem")                         # the list shows 2 of the 4
    qtbot.wait_until(lambda: browser.visible_row_count() == 2)
    browser.select_report("report_1.txt")
    qtbot.wait_until(lambda: review.current == "report_1.txt")
    assert review.position.text() == "2 of 2 (of 4) in the report list"     # report_2 comes first (descending)
    assert review.overview.proxy.rowCount() == 4 and review.nav.row("report_1.txt") == 1
    review.show_report("report_3.txt")                         # shown in the review, filtered out of the list
    assert review.position.text() == "not in the report list (2 of 4 shown)"
