"""What a report's values and status are now: one rule per test."""
import time

from core.engine.result import Extraction
from core.review import (Decision, ReportStatus, RunStatus, accept, flag, load_state, load_states, model_values_at,
                         report_statuses, reopen)
from tests.core.store.helpers import project_with_reports, start_run, store


def test_status_of_each_kind_of_report(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    assert report_statuses(p, None) == {"r0.txt": ReportStatus.NOT_RUN, "r1.txt": ReportStatus.NOT_RUN,
                                        "r2.txt": ReportStatus.NOT_RUN, "bad.pdf": ReportStatus.SKIPPED}
    store(p, h, "r0.txt", size=8.0)
    p.save_result(start_run(p), h, "r1.txt", Extraction(status="failed", reason="no JSON"))
    p.save_result(start_run(p), h, "r2.txt", Extraction(status="ok", values={"size": 1.0}))
    flag(p, "r2.txt", h, "check")
    states = load_states(p, h)
    assert list(states) == ["r0.txt", "r1.txt", "r2.txt", "bad.pdf"]             # folder order
    assert {rid: st.status for rid, st in states.items()} == {
        "r0.txt": "extracted", "r1.txt": "failed", "r2.txt": "flagged", "bad.pdf": "skipped"}
    assert {rid: st.run_status for rid, st in states.items()} == {
        "r0.txt": RunStatus.OK, "r1.txt": RunStatus.FAILED, "r2.txt": RunStatus.OK, "bad.pdf": RunStatus.SKIPPED}
    assert states["r1.txt"].reason == "no JSON" and states["bad.pdf"].reason == "The PDF has no text layer"
    assert states["r0.txt"].unreviewed and not states["r2.txt"].unreviewed and not states["bad.pdf"].reviewable
    accept(p, "r0.txt", h)
    assert load_state(p, "r0.txt", h).status is ReportStatus.REVIEWED
    # one report read alone says the same as all reports read together
    assert report_statuses(p, h) == {rid: load_state(p, rid, h).status for rid in p.report_ids()}
    assert ReportStatus.NOT_RUN.label == "Not run"


def test_values_are_the_reviewers_else_the_models(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    assert load_state(p, "r0.txt", h).values is None                            # never run, never reviewed
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    p.set_review_value("r0.txt", h, "size", 9.0, model_value=8.0, reviewer="dr_a")
    st = load_state(p, "r0.txt", h)
    assert st.values == {"size": 9.0, "lobe": "RUL"}
    assert (st.value("size"), st.model_value("size"), st.corrected) == (9.0, 8.0, True)
    assert st.last_reviewer[0] == "dr_a"
    p.set_review_value("r1.txt", h, "lobe", "LUL", model_value=None)            # by hand, never run
    assert load_state(p, "r1.txt", h).values == {"lobe": "LUL"}


def test_an_accepted_report_keeps_its_values_after_a_rerun_until_reopened(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0, lobe="RUL")
    accept(p, "r0.txt", h, reviewer="dr. jansen")                              # accepted without corrections
    time.sleep(1.1)                                                             # stored times: one-second steps
    store(p, h, "r0.txt", size=7.0, lobe="LUL")
    st = load_state(p, "r0.txt", h)
    assert st.values == {"size": 8.0, "lobe": "RUL"} and st.value("lobe") == "RUL"
    assert st.model_value("lobe") == "LUL"                                      # the new answer is kept too
    assert st.rerun_after_review and st.status is ReportStatus.REVIEWED
    assert st.state.state is Decision.ACCEPTED and st.last_reviewer[0] == "dr. jansen"
    assert model_values_at(p, "r0.txt", h, st.state.at) == {"size": 8.0, "lobe": "RUL"}
    reopen(p, "r0.txt", h)                                                      # reopened: the newest counts
    assert load_state(p, "r0.txt", h).values == {"size": 7.0, "lobe": "LUL"}


def test_a_flag_keeps_no_values_of_its_own(tmp_path):
    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=8.0)
    flag(p, "r0.txt", h, "size unclear")
    store(p, h, "r0.txt", size=7.0)
    st = load_state(p, "r0.txt", h)
    assert st.flagged and st.accepted_values is None and st.values == {"size": 7.0}
