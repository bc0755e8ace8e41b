import sqlite3
from types import SimpleNamespace

import pytest

from core.engine.result import Extraction
from core.reports import Report
from core.store.migrations import MIGRATIONS
from core.store.project import Project
from core.task import Field, FieldType, Task

TASK = Task(name="t", fields=[Field(key="size", type=FieldType.DECIMAL), Field(key="lobe", type=FieldType.TEXT)])


def _reports(n=3):
    return [Report(id=f"r{i}.txt", source=f"r{i}.txt", text=f"report {i}", status="ready", reason=None, size=8)
            for i in range(n)] + [Report(id="bad.pdf", source="bad.pdf", text="", status="skipped",
                                         reason="The PDF has no text layer", size=10)]


def _run(p, task=TASK):
    return p.start_run(task, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="abc",
                       backend="CPU", settings={"n_ctx": 2048}, app_version="test")


def test_new_project_is_wal_and_migrated(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    assert p.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert p.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    p.close()
    # reopening applies nothing twice
    Project(tmp_path / "p.abstractor").close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.abstractor"
    Project(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.close()
    with pytest.raises(RuntimeError, match="newer Abstractor"):
        Project(path)


def test_reports_added_once_and_changes_detected(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    assert p.add_reports(_reports()) == (4, 0)
    assert p.add_reports(_reports()) == (0, 0)
    changed = [Report(id="r0.txt", source="r0.txt", text="new text", status="ready", reason=None, size=8)]
    assert p.add_reports(changed) == (0, 1)
    assert p.report("r0.txt").text == "new text"
    assert p.report_ids() == ["r0.txt", "r1.txt", "r2.txt", "bad.pdf"]
    assert [r.id for r in p.reports_page(1, 2)] == ["r1.txt", "r2.txt"]


def test_results_latest_wins_and_selection_modes(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    p.add_reports(_reports())
    h = p.save_task(TASK)
    run = _run(p)
    assert p.reports_to_run(h, "not_run") == ["r0.txt", "r1.txt", "r2.txt"]  # skipped file never runs
    p.save_result(run, h, "r0.txt", Extraction(status="ok", values={"size": 8.0, "lobe": "RUL"}))
    p.save_result(run, h, "r1.txt", Extraction(status="failed", reason="boom", raw_output="{"))
    assert p.reports_to_run(h, "not_run") == ["r2.txt"]
    assert p.reports_to_run(h, "failed") == ["r1.txt"]
    assert p.reports_to_run(h, "selection", ["r1.txt", "bad.pdf"]) == ["r1.txt"]
    run2 = _run(p)
    p.save_result(run2, h, "r1.txt", Extraction(status="ok", values={"size": 5.0, "lobe": None}))
    latest = p.latest_results(h)
    assert latest["r1.txt"].status == "ok" and latest["r1.txt"].run_id == run2
    assert p.result("r0.txt", h).values == {"size": 8.0, "lobe": "RUL"}
    statuses = p.report_statuses(h)
    assert statuses == {"r0.txt": "extracted", "r1.txt": "extracted", "r2.txt": "not run", "bad.pdf": "skipped"}


def test_reviews_never_overwritten_by_reruns_and_audited(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    p.add_reports(_reports())
    h = p.save_task(TASK)
    run = _run(p)
    p.save_result(run, h, "r0.txt", Extraction(status="ok", values={"size": 8.0, "lobe": "RUL"}))
    p.set_review_value("r0.txt", h, "size", 9.0, model_value=8.0, reviewer="dr. jansen")
    p.set_review_state("r0.txt", h, "accepted", reviewer="dr. jansen")
    p.save_result(_run(p), h, "r0.txt", Extraction(status="ok", values={"size": 7.0, "lobe": "RUL"}))
    assert p.effective_values("r0.txt", h) == {"size": 9.0, "lobe": "RUL"}
    rv = p.review_values("r0.txt", h)["size"]
    assert (rv.value, rv.model_value, rv.reviewer) == (9.0, 8.0, "dr. jansen")
    assert p.report_statuses(h)["r0.txt"] == "reviewed"
    p.revert_review_value("r0.txt", h, "size", reviewer="dr. jansen")
    assert p.effective_values("r0.txt", h)["size"] == 7.0
    actions = [(e["action"], e["field_key"], e["old_value"], e["new_value"]) for e in p.review_events(h)]
    assert actions == [("edit", "size", 8.0, 9.0), ("accepted", None, None, None), ("revert", "size", 9.0, 8.0)]


def test_current_task_and_meta_survive_reopen(tmp_path):
    path = tmp_path / "p.abstractor"
    p = Project(path)
    p.set_current_task(TASK)
    p.set_meta("layout", {"a": 1})
    p.close()
    q = Project(path)
    assert q.current_task() == TASK
    assert q.get_meta("layout") == {"a": 1}


def test_save_result_accepts_plain_timings_dict(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    p.add_reports(_reports(1))
    h = p.save_task(TASK)
    ex = SimpleNamespace(status="ok", reason=None, values={}, raw_output="", quotes={}, evidence={},
                         confidence={}, warnings={}, prompt_tokens=1, cached_tokens=0, output_tokens=2,
                         timings={"total_s": 1.0})
    p.save_result(_run(p), h, "r0.txt", ex)
    assert p.result("r0.txt", h).timings == {"total_s": 1.0}


def test_accepted_report_keeps_its_values_after_a_rerun(tmp_path):
    p = Project(tmp_path / "p.abstractor")
    p.add_reports(_reports())
    h = p.save_task(TASK)
    p.save_result(_run(p), h, "r0.txt", Extraction(status="ok", values={"size": 8.0, "lobe": "RUL"}))
    p.set_review_state("r0.txt", h, "accepted", reviewer="dr. jansen")  # accepted without corrections
    p.save_result(_run(p), h, "r0.txt", Extraction(status="ok", values={"size": 7.0, "lobe": "LUL"}))
    assert p.effective_values("r0.txt", h) == {"size": 8.0, "lobe": "RUL"}
    assert p.result("r0.txt", h).values == {"size": 7.0, "lobe": "LUL"}  # the new model answer is kept too
    p.clear_review_state("r0.txt", h)                                       # reopened: the model's latest counts
    assert p.effective_values("r0.txt", h) == {"size": 7.0, "lobe": "LUL"}


def test_migration_2_upgrades_a_version_1_project(tmp_path):
    path = tmp_path / "old.abstractor"
    con = sqlite3.connect(path)
    con.executescript("BEGIN;" + MIGRATIONS[0] + "PRAGMA user_version = 1; COMMIT;")
    con.close()
    p = Project(path)
    assert p.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    cols = [r[1] for r in p.conn.execute("PRAGMA table_info(review_states)")]
    assert "accepted_values" in cols
