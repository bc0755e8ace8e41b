"""What a reviewer does: each action's rule, stored at once and audited."""
import time

import pytest

from core.review import accept, flag, load_state, reopen, reset, revert, set_value, use_model_value
from tests.core.store.helpers import TASK, project_with_reports, store

SIZE, LOBE = TASK.fields


@pytest.fixture
def accepted_then_rerun(tmp_path):
    """r0 accepted at size 8 / RUL, then read again by the model as size 7 / LUL."""
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    accept(p, "r0.txt", h)
    time.sleep(1.1)
    store(p, h, "r0.txt", size=7.0, lobe="LUL")
    return p, h


def test_a_value_equal_to_the_one_now_stores_nothing(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    assert not set_value(p, "r0.txt", h, SIZE, 8)                    # 8 == 8.0 for a decimal field
    assert set_value(p, "r0.txt", h, SIZE, 9.0, reviewer="dr_a")
    assert not set_value(p, "r0.txt", h, SIZE, 9.0)
    assert p.review_values("r0.txt", h)["size"].model_value == 8.0
    assert [e["action"] for e in p.review_events(h)] == ["edit"]
    assert revert(p, "r0.txt", h, "size") and not revert(p, "r0.txt", h, "size")
    assert load_state(p, "r0.txt", h).values == {"size": 8.0, "lobe": "RUL"}


def test_accepting_again_after_a_rerun_keeps_what_was_accepted(accepted_then_rerun):
    p, h = accepted_then_rerun
    accept(p, "r0.txt", h)
    assert load_state(p, "r0.txt", h).values == {"size": 8.0, "lobe": "RUL"}


def test_taking_the_models_new_value_is_not_a_correction(accepted_then_rerun):
    p, h = accepted_then_rerun
    assert use_model_value(p, "r0.txt", h, "lobe")
    assert set_value(p, "r0.txt", h, SIZE, 7.0)                      # typing the model's new value: the same
    st = load_state(p, "r0.txt", h)
    assert st.values == {"size": 7.0, "lobe": "LUL"} and not st.corrected and st.accepted
    assert [e["action"] for e in p.review_events(h)][-2:] == ["take", "take"]


def test_reverting_on_an_accepted_report_takes_the_models_newest_value(accepted_then_rerun):
    p, h = accepted_then_rerun
    set_value(p, "r0.txt", h, LOBE, "RML")
    assert load_state(p, "r0.txt", h).value("lobe") == "RML"
    revert(p, "r0.txt", h, "lobe")
    st = load_state(p, "r0.txt", h)
    assert st.values == {"size": 8.0, "lobe": "LUL"} and st.accepted


def test_reset_drops_corrections_and_the_acceptance_but_not_a_flag(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    for rid in ("r0.txt", "r1.txt"):
        store(p, h, rid, size=8.0, lobe="RUL")
        set_value(p, rid, h, SIZE, 9.0)
    accept(p, "r0.txt", h)
    flag(p, "r1.txt", h, "")
    reset(p, "r0.txt", h)
    reset(p, "r1.txt", h)
    r0, r1 = load_state(p, "r0.txt", h), load_state(p, "r1.txt", h)
    assert r0.state is None and r0.values == {"size": 8.0, "lobe": "RUL"}
    assert r1.flagged and r1.state.comment is None and not r1.corrected
    assert use_model_value(p, "r1.txt", h, "size") is False          # only an accepted report has values of its own
    assert reopen(p, "r1.txt", h) and not reopen(p, "r1.txt", h)
