"""Reviews as stored: reviewer values beside the model's, decisions, the accepted snapshot, the audit trail."""
import pytest

from core.store.rows import Decision
from tests.core.store.helpers import project_with_reports, store


def test_reviewer_values_survive_reruns_and_every_change_is_audited(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    p.set_review_value("r0.txt", h, "size", 9.0, model_value=8.0, reviewer="dr. jansen")
    store(p, h, "r0.txt", size=7.0, lobe="RUL")
    rv = p.review_values("r0.txt", h)["size"]
    assert (rv.value, rv.model_value, rv.reviewer) == (9.0, 8.0, "dr. jansen")
    assert p.all_review_values(h) == {"r0.txt": {"size": rv}}
    p.revert_review_value("r0.txt", h, "size", reviewer="dr. jansen")
    assert p.review_values("r0.txt", h) == {}
    p.revert_review_value("r0.txt", h, "size")  # nothing to revert: nothing stored, nothing audited
    actions = [(e["action"], e["field_key"], e["old_value"], e["new_value"], e["reviewer"])
               for e in p.review_events(h)]
    assert actions == [("edit", "size", 8.0, 9.0, "dr. jansen"), ("revert", "size", 9.0, 8.0, "dr. jansen")]


def test_an_acceptance_stores_its_values_and_a_flag_stores_none(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    with pytest.raises(ValueError, match="core.review.accept"):
        p.set_review_state("r0.txt", h, Decision.ACCEPTED)
    with pytest.raises(ValueError):
        p.set_review_state("r0.txt", h, Decision.FLAGGED, accepted_values={"size": 1.0})
    p.set_review_state("r0.txt", h, Decision.ACCEPTED, reviewer="dr_a", accepted_values={"size": 8.0})
    p.set_review_state("r1.txt", h, "flagged", "check the size", reviewer="dr_b")
    st = p.review_state("r0.txt", h)
    assert (st.state, st.reviewer, st.accepted_values) == (Decision.ACCEPTED, "dr_a", {"size": 8.0})
    assert st.state is Decision.ACCEPTED
    flagged = p.all_review_states(h)["r1.txt"]
    assert (flagged.state, flagged.comment, flagged.accepted_values) == ("flagged", "check the size", None)
    p.clear_review_state("r1.txt", h, reviewer="dr_b")
    assert p.review_state("r1.txt", h) is None
    assert [e["action"] for e in p.review_events(h)] == ["accepted", "flagged", "reopen"]


def test_accepted_values_change_only_on_an_accepted_report(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    with pytest.raises(ValueError, match="not accepted"):
        p.set_accepted_value("r0.txt", h, "size", 7.0)
    p.set_review_state("r0.txt", h, Decision.ACCEPTED, accepted_values={"size": 8.0, "lobe": "RUL"})
    p.set_accepted_value("r0.txt", h, "size", 7.0, reviewer="dr_a")
    assert p.review_state("r0.txt", h).accepted_values == {"size": 7.0, "lobe": "RUL"}
    p.set_review_value("r0.txt", h, "lobe", "LUL", model_value="RUL")
    p.revert_review_value("r0.txt", h, "lobe", accepted_value="RML")
    assert p.review_state("r0.txt", h).accepted_values == {"size": 7.0, "lobe": "RML"}
    assert [(e["action"], e["old_value"], e["new_value"]) for e in p.review_events(h)][1] == ("take", 8.0, 7.0)


def test_an_edit_and_its_audit_event_are_stored_together_or_not_at_all(tmp_path, monkeypatch):
    """A failure (or a kill) between the value and its audit row must not keep an unaudited edit."""
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")

    def audit_fails(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(p, "_event", audit_fails)
    with pytest.raises(OSError):
        p.set_review_value("r0.txt", h, "size", 9.0, model_value=8.0)
    with pytest.raises(OSError):
        p.set_review_state("r0.txt", h, Decision.FLAGGED, comment="check")
    monkeypatch.undo()
    assert p.review_values("r0.txt", h) == {}
    assert p.review_state("r0.txt", h) is None
    assert p.review_events(h) == []
    # inside an outer transaction the change joins it, under the outer source
    with p.transaction(source="imported from reviewed.xlsx"):
        p.set_review_value("r0.txt", h, "size", 9.0, model_value=8.0)
    assert [e["source"] for e in p.review_events(h)] == ["imported from reviewed.xlsx"]
