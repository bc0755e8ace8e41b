"""The main window on hospital laptop screens (issue 14, "Layout on real screens").

At 1366×768 the window fits with its status bar, the idle run panel is one
line, and the key widgets of the Report, Task and Review views are visible,
inside the window and do not overlap.  At 1366×700 the review still shows 15
report lines, every field of a 5-field task and 5 grid rows, and the builder
shows the field tree, the field editor and the preview without overlap.  The
first window fits the screen's free area with its frame, and opening the task
library keeps the window within 1366 px.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from core.task import Field, FieldType


def rect(w, widget: QWidget) -> QRect:
    """*widget*'s rectangle in window coordinates."""
    return QRect(widget.mapTo(w, QPoint(0, 0)), widget.size())


def check_no_overlap(w, named: dict[str, QWidget]) -> None:
    window = QRect(QPoint(0, 0), w.size())
    for name, widget in named.items():
        assert widget.isVisible(), f"{name} is not visible"
        r = rect(w, widget)
        assert r.width() > 20 and r.height() > 10, f"{name} is squeezed to {r}"
        assert window.contains(r), f"{name} {r} is not inside the window {window}"
    items = list(named.items())
    for i, (a, wa) in enumerate(items):
        for b, wb in items[i + 1:]:
            assert not rect(w, wa).intersects(rect(w, wb)), f"{a} {rect(w, wa)} overlaps {b} {rect(w, wb)}"


SCREEN = QRect(0, 0, 1366, 768)
TASK_BAR = 40


@pytest.fixture(autouse=True)
def laptop_screen(monkeypatch) -> QRect:
    """The screen is a 1366×768 laptop's with a 40 px task bar (offscreen Qt has an 800×800 one)."""
    import gui.screen_fit

    area = SCREEN.adjusted(0, 0, 0, -TASK_BAR)
    monkeypatch.setattr(gui.screen_fit, "available_area", lambda _window: QRect(area))
    return area


@pytest.fixture
def demo(qtbot, window):
    """The demo project with a 5-field task, the window at 1366×768."""
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.wait_signal(window.project_opened):
        window.open_demo()
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    task = window.task.model_copy(deep=True)
    task.fields.append(Field(key="calcified", type=FieldType.YES_NO, label="Calcified"))
    assert len(task.fields) == 5
    window.set_task(task)
    window.browser.select_report("ct_thorax_02.txt")
    return window


def show_tab(qtbot, w, index: int) -> None:
    w.tabs.setCurrentIndex(index)
    qtbot.wait(20)


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_the_first_window_fits_the_screen_with_its_frame_and_status_bar(qtbot, settings, laptop_screen):
    from gui.main_window import MainWindow
    from gui.screen_fit import ASSUMED_FRAME

    w = MainWindow(settings)               # first start: nothing saved in the settings
    qtbot.addWidget(w, before_close_func=lambda w: w.shutdown())
    assert laptop_screen.contains(w.geometry().marginsAdded(ASSUMED_FRAME)), w.geometry()
    w.show()
    qtbot.waitExposed(w)
    assert laptop_screen.contains(w.frameGeometry()) and laptop_screen.contains(global_rect(w))
    status = global_rect(w.statusBar())
    assert w.statusBar().isVisible() and laptop_screen.contains(status), f"status bar {status}"
    w.shutdown()


def test_at_1366x768_the_window_fits_and_nothing_overlaps(qtbot, demo):
    w = demo
    assert w.height() <= 768 and w.width() <= 1366
    status = rect(w, w.statusBar())
    assert w.statusBar().isVisible() and status.bottom() < 768 and status.height() >= 15
    # the idle run panel is one line
    panel = w.run_panel
    assert not panel.is_expanded() and not panel.log.isVisible() and not panel.bar.isVisible()
    assert w.run_dock.height() <= 2.5 * panel.start_button.sizeHint().height() + 30
    common = {"browser": w.browser.table, "tabs": w.tabs.tabBar(), "run start": panel.start_button,
              "run on": panel.which, "status bar": w.statusBar()}
    show_tab(qtbot, w, 0)
    check_no_overlap(w, {**common, "report text": w.text_view})
    show_tab(qtbot, w, 1)
    b = w.builder
    check_no_overlap(w, {**common, "task name": b.name_edit, "instructions": b.instructions_edit,
                         "prompt style": b.task_form.style_combo, "quote the report": b.evidence_check,
                         "field tree": b.tree, "field editor": b.editor, "preview": b.preview,
                         "save": b.save_button})
    show_tab(qtbot, w, 2)
    r = w.review
    check_no_overlap(w, {**common, "review header": r.header, "report": r.text, "accept": r.actions,
                         "fields": r.form, "grid": r.overview.table})


def test_a_run_expands_the_run_panel_and_it_folds_back(qtbot, demo, laptop_screen):
    panel = demo.run_panel
    one_line = demo.run_dock.height()
    show_tab(qtbot, demo, 1)             # the builder has the tallest minimum
    with qtbot.wait_signal(panel.expanded_changed) as blocker:
        panel.details_button.click()     # what a run does too: state starting/running/paused/cancelling
    assert blocker.args == [True]
    qtbot.wait_until(lambda: demo.run_dock.height() > one_line + 60)
    assert panel.log.isVisible() and panel.bar.isVisible()
    # the window does not grow below the screen's edge: the status bar stays in sight
    qtbot.wait(50)
    assert demo.minimumSizeHint().height() <= laptop_screen.height() - 40, demo.minimumSizeHint()
    assert laptop_screen.contains(global_rect(demo.statusBar())), global_rect(demo.statusBar())
    with qtbot.wait_signal(panel.expanded_changed) as blocker:
        panel.details_button.click()
    assert blocker.args == [False]
    qtbot.wait_until(lambda: demo.run_dock.height() == one_line)


def test_at_1366x700_review_and_builder_show_what_they_must(qtbot, demo):
    w = demo
    w.resize(1366, 700)
    qtbot.wait_until(lambda: w.height() == 700)
    assert rect(w, w.statusBar()).bottom() < 700
    show_tab(qtbot, w, 2)
    r = w.review
    lines = r.text.viewport().height() // r.text.fontMetrics().lineSpacing()
    assert lines >= 15, f"the review shows {lines} report lines"
    form_view = QRect(r.form.viewport().mapTo(w, QPoint(0, 0)), r.form.viewport().size())
    assert len(r.form.rows) == 5
    for key, row in r.form.rows.items():
        assert row.isVisible() and form_view.contains(rect(w, row.editor)), f"field {key} is not all shown"
    table = r.overview.table
    rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows >= 5, f"the grid shows {rows} rows"
    show_tab(qtbot, w, 1)
    b = w.builder
    check_no_overlap(w, {"task name": b.name_edit, "instructions": b.instructions_edit,
                         "prompt style": b.task_form.style_combo, "quote the report": b.evidence_check,
                         "field tree": b.tree, "field editor": b.editor, "preview": b.preview})


def test_with_the_task_library_open_the_window_stays_within_1366_px(qtbot, demo):
    w = demo
    w.window_actions.show_library()
    qtbot.wait_until(lambda: w.library.isVisible() and bool(w.library.entries()))
    qtbot.wait(50)
    assert w.width() <= 1366 and w.minimumSizeHint().width() <= 1366, f"{w.size()}, min {w.minimumSizeHint()}"
    assert rect(w, w.statusBar()).bottom() < w.height()
    common = {"task library": w.library.table, "browser": w.browser.table, "tabs": w.tabs.tabBar(),
              "run start": w.run_panel.start_button, "status bar": w.statusBar()}
    show_tab(qtbot, w, 1)
    b = w.builder
    # the narrow builder puts the preview under the field editor (its resizeEvent): let that layout settle
    qtbot.wait_until(lambda: QRect(QPoint(0, 0), w.size()).contains(rect(w, b.editor)))
    check_no_overlap(w, {**common, "task name": b.name_edit, "instructions": b.instructions_edit,
                         "prompt style": b.task_form.style_combo, "quote the report": b.evidence_check,
                         "field tree": b.tree, "field editor": b.editor, "preview": b.preview,
                         "save": b.save_button})
    # even at its narrowest the field editor's scroll area never scrolls sideways (the walk-through cut off
    # "May be absent (the report may not mention it)")
    scroll = b.editor.parentWidget().parentWidget()
    bar = scroll.verticalScrollBar().sizeHint().width()
    assert scroll.minimumWidth() >= b.editor.minimumSizeHint().width() + bar, "the field editor is cut off"
    assert scroll.viewport().width() >= b.editor.minimumSizeHint().width()
    show_tab(qtbot, w, 2)
    r = w.review
    check_no_overlap(w, {**common, "review header": r.header, "report": r.text, "accept": r.actions,
                         "fields": r.form, "grid": r.overview.table})
