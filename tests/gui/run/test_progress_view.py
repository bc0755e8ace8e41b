"""The run progress shows "part k of m" while a long report is read in parts."""
from __future__ import annotations

from core.runner import Progress
from gui.run.progress_view import RunProgress


def test_part_k_of_m_is_shown_inside_a_long_report(qtbot):
    view = RunProgress()
    qtbot.addWidget(view)
    view.start(3)
    p = Progress(done=1, total=3, current="export_2019.txt", part=2, parts=5, elapsed_s=30,
                 units_total=7, units_done=2)
    view.show_progress(p, live=True)
    assert view.current.text() == "Reading report 2 of 3: export_2019.txt (part 2 of 5)"
    assert view.eta.text() == "About 1 min 15 s left"     # 5 of 7 parts to go at 15 s a part
    view.show_progress(Progress(done=1, total=3, current="short.txt", elapsed_s=30), live=True)
    assert view.current.text() == "Reading report 2 of 3: short.txt"
