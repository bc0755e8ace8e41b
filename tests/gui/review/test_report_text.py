"""The report text: evidence highlights sit on the right words, tooltips, flashing."""
from __future__ import annotations

from PySide6.QtGui import QColor

from gui.review.report_text import ReportText, display_text, qt_positions


def test_qt_positions_handle_crlf_and_astral_characters():
    text = "a\r\nb😀c"
    m = qt_positions(text)
    # a=0, \r\n -> one break at 1, b=2, 😀 takes two UTF-16 units, c=5
    assert m[0] == 0 and m[1] == 1 and m[2] == 1 and m[3] == 2 and m[4] == 3 and m[5] == 5
    assert m[len(text)] == 6
    assert display_text(text) == "a\nb😀c"


def test_highlights_cover_exactly_the_evidence(qtbot):
    text = "CT thorax\r\nIn de rechterbovenkwab een solide nodus van 9 mm 😀.\r\nGeen pleuravocht."
    view = ReportText()
    qtbot.addWidget(view)
    view.set_report(text)
    spans = {"lobe": (text.index("rechterbovenkwab"), text.index("rechterbovenkwab") + 16),
             "size": (text.index("9 mm"), text.index("9 mm") + 4),
             "after": (text.index("Geen pleuravocht"), len(text)),
             "none": None}
    view.set_evidence(spans, {"lobe": "Lobe", "size": "Largest diameter", "after": "Effusion", "none": "X"},
                      {k: QColor("#E69F00") for k in spans})
    assert set(view.spans()) == {"lobe", "size", "after"}
    assert view.highlighted_text("lobe") == "rechterbovenkwab"
    assert view.highlighted_text("size") == "9 mm"
    assert view.highlighted_text("after") == "Geen pleuravocht."
    assert len(view.extraSelections()) == 3
    start, _end = view.spans()["size"]
    assert view.keys_at(start) == ["size"]
    assert view.keys_at(start - 2) == []


def test_tooltip_names_the_field_under_the_pointer(qtbot):
    text = "Solide nodus van 9 mm in de rechterbovenkwab."
    view = ReportText()
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show()
    qtbot.waitExposed(view)
    view.set_report(text)
    s = text.index("rechterbovenkwab")
    view.set_evidence({"lobe": (s, s + 16)}, {"lobe": "Lobe"}, {"lobe": QColor("#56B4E9")})
    c = view.textCursor()
    c.setPosition(s + 4)
    rect = view.cursorRect(c)
    assert view.tooltip_at(rect.center()) == "Evidence for: Lobe"
    c.setPosition(2)
    assert view.tooltip_at(view.cursorRect(c).center()) == ""


def test_flash_scrolls_to_the_evidence_and_blinks(qtbot):
    text = "\n".join(f"line {i}" for i in range(200)) + "\nThe nodule is 9 mm.\n"
    view = ReportText()
    qtbot.addWidget(view)
    view.resize(400, 150)
    view.show()
    qtbot.waitExposed(view)
    view.set_report(text)
    s = text.index("9 mm")
    view.set_evidence({"size": (s, s + 4)}, {"size": "Size"}, {"size": QColor("#009E73")})
    assert view.verticalScrollBar().value() == 0
    assert view.flash("size")
    assert view.flashing_key == "size"
    assert view.verticalScrollBar().value() > 0
    assert view.textCursor().position() == view.spans()["size"][0]
    qtbot.waitUntil(lambda: not view._flash_timer.isActive(), timeout=3000)
    assert not view.flash("missing")
