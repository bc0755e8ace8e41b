"""ReviewData: every report of a project under one task, its listeners and the review filters."""
from core.review import ReviewData, ReviewFilter, matches
from tests.core.store.helpers import TASK, project_with_reports, store


def test_actions_are_stored_and_listeners_hear_of_them(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    data = ReviewData()
    heard: list[str] = []
    data.on_reset.append(lambda: heard.append("reset"))
    data.on_changed.append(heard.append)
    data.load(p, TASK)
    assert data.ids == ["r0.txt", "r1.txt", "r2.txt", "bad.pdf"] and data.task_hash == h
    data.set_value("r0.txt", "size", 9.0)
    data.accept("r0.txt")
    data.flag("r1.txt", "empty report")
    assert heard == ["reset", "r0.txt", "r0.txt", "r1.txt"]
    assert data.entry("r0.txt").values == {"size": 9.0, "lobe": "RUL"} and data.entry("r0.txt").accepted
    assert data.model_values_when_reviewed("r0.txt") == {"size": 8.0, "lobe": "RUL"}
    fresh = ReviewData()
    fresh.load(p, TASK)                                      # all of it is in the project file
    assert fresh.entry("r1.txt").state.comment == "empty report"


def test_filters(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="right upper lobe")
    store(p, h, "r1.txt", size=3.0, lobe="left lower lobe")
    data = ReviewData()
    data.load(p, TASK)
    data.set_value("r1.txt", "size", 4.0)
    data.flag("r0.txt", "")

    def shown(kind, text="", field_key=""):
        return [rid for rid in data.ids if matches(data.entry(rid), kind, 0.5, data.fields, field_key, text)]

    assert shown(ReviewFilter.ALL) == data.ids
    assert shown("unreviewed") == ["r1.txt"]
    assert shown(ReviewFilter.FLAGGED) == ["r0.txt"]
    assert shown(ReviewFilter.CORRECTED) == ["r1.txt"]
    assert shown(ReviewFilter.ALL, "LOWER", "lobe") == ["r1.txt"]
    assert shown(ReviewFilter.ALL, "lower", "size") == []
    assert [k.label for k in ReviewFilter][0] == "All reports"
