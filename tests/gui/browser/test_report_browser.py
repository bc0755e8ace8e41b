"""The browser widget (search, status filter, selection) and the text viewer."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from core.reports import Report
from gui.browser import ReportBrowser, ReportTextView


def test_selection_emits_report_id(qtbot, make_project):
    project = make_project(5)
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.set_project(project)
    browser.show()
    with qtbot.wait_signal(browser.report_selected) as blocker:
        assert browser.select_report("r00003.txt")
    assert blocker.args == ["r00003.txt"]
    assert browser.current_id() == "r00003.txt"
    assert browser.selected_ids() == ["r00003.txt"]


def test_a_report_opened_while_ctrl_is_held_replaces_the_selection(qtbot, make_project):
    """Ctrl+Return accepts a report and opens the next one: the list must then select only that
    report (a selection of two would make "Run on: selected reports" run both)."""
    project = make_project(5)
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.set_project(project)
    browser.show()
    assert browser.select_report("r00002.txt")
    qtbot.keyPress(browser.table, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)  # Ctrl held
    try:
        assert browser.select_report("r00003.txt")
    finally:
        qtbot.keyRelease(browser.table, Qt.Key.Key_Control)
    assert browser.selected_ids() == ["r00003.txt"]
    assert browser.current_id() == "r00003.txt"


def test_search_and_status_filter(qtbot, make_project):
    project = make_project(12, skipped=2)
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.set_project(project)
    qtbot.keyClicks(browser.search, "r0001")
    qtbot.wait_until(lambda: browser.visible_row_count() == 2)  # r00010, r00011
    browser.search.clear()
    qtbot.wait_until(lambda: browser.visible_row_count() == 14)
    browser.status_filter.setCurrentIndex(browser.status_filter.findData("skipped"))
    assert browser.visible_row_count() == 2


def test_search_finds_words_in_the_report_text_and_says_no_matches(qtbot, make_project):
    project = make_project(3)
    project.add_reports([Report.make_ready("ct_long.txt", "ct_long.txt",
                                          "CT thorax. Centrilobulair Emfyseem in beide bovenkwabben.", 60)])
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.set_project(project)
    browser.show()
    qtbot.keyClicks(browser.search, "emfyseem")          # a word of the text, not of the file name
    qtbot.wait_until(lambda: browser.visible_row_count() == 1)
    assert browser.proxy.index(0, 0).data() == "ct_long.txt"
    assert browser.no_matches.isHidden()
    browser.search.clear()
    qtbot.keyClicks(browser.search, "pneumothorax")
    qtbot.wait_until(lambda: browser.visible_row_count() == 0)
    assert not browser.no_matches.isHidden()
    assert browser.no_matches.text() == "No matches: no report contains “pneumothorax”."
    browser.search.clear()
    qtbot.wait_until(lambda: browser.visible_row_count() == 4)
    assert browser.no_matches.isHidden()


def test_source_column_only_for_table_rows(qtbot, make_project):
    project = make_project(2)
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.set_project(project)
    assert browser.table.isColumnHidden(1)
    project.add_reports([Report.make_ready("list.csv#7", "list.csv", "text", 4)])
    browser.reports_added()
    assert not browser.table.isColumnHidden(1)


def test_empty_hint_without_project(qtbot):
    browser = ReportBrowser()
    qtbot.addWidget(browser)
    browser.show()
    assert browser.empty.isVisible() and not browser.table.isVisible()


def test_text_view_keeps_line_breaks_and_wraps(qtbot, make_project):
    project = make_project(1)
    long_line = "word " * 400
    project.add_reports([Report.make_ready("long.txt", "long.txt", f"first line\n\n{long_line}\nlast", 9)])
    view = ReportTextView()
    qtbot.addWidget(view)
    view.show_report(project.report("long.txt"), "not run")
    assert view.plain_text() == f"first line\n\n{long_line}\nlast"
    assert view.text.isReadOnly()
    assert view.text.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert "long.txt" in view.header.text()


def test_text_view_skipped_report_says_why(qtbot, make_project):
    project = make_project(0, skipped=1)
    view = ReportTextView()
    qtbot.addWidget(view)
    view.show_report(project.report("s0.doc"))
    assert "skipped" in view.plain_text() and "Unsupported file type .doc" in view.plain_text()
