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


def test_going_on_in_the_review_follows_the_report_list(qtbot, window, tmp_path):
    """Seen in the 1366×768 walk-through: with the list searched for "emfyseem", flagging a report moved the
    review to a report the list did not show, so list and review disagreed."""
    from gui.browser.model import COL_ID
    from tests.gui.review.conftest import build_project

    build_project(tmp_path / "reports").close()       # ct_thorax_01-03 with results, 04 failed
    window.open_project(tmp_path / "reports.abstractor")
    qtbot.wait_until(lambda: window.review.current is not None)
    review, browser = window.review, window.browser
    browser._enable_sorting(COL_ID)
    browser.table.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)    # 04, 03, 02, 01
    browser.select_report("ct_thorax_03.txt")
    qtbot.wait_until(lambda: review.current == "ct_thorax_03.txt")
    review.next_report()                                                 # Alt+Down: the next in the list
    assert review.current == "ct_thorax_02.txt" == browser.current_id()
    assert review.position.text() == "3 of 4 in the report list"
    review.previous_report()
    assert review.current == "ct_thorax_03.txt" == browser.current_id()
    browser.search.setText("noduli")                                     # the list: 04, 03, 02
    qtbot.wait_until(lambda: browser.visible_row_count() == 3)
    browser.select_report("ct_thorax_03.txt")
    review.flag("check the lobe")                      # flag and go on: to 02, the next in the list (not 01)
    assert review.current == "ct_thorax_02.txt" == browser.current_id()
    review.flag("check this one too")                  # round to the top of the list: 04 (failed) needs a look
    assert review.current == "ct_thorax_04.txt" == browser.current_id()
    assert review.position.text() == "1 of 3 (of 4) in the report list"
