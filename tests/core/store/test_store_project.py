"""The project file: reports, tasks, runs and results, read by column name."""
import sqlite3
from types import SimpleNamespace

import pytest

from core.engine.result import Extraction
from core.reports import Report
from core.store.migrations import MIGRATIONS
from core.store.project import Project
from tests.core.store.helpers import TASK, reports as _reports, start_run as _run


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
    assert [r.status for r in p.result_history("r1.txt", h)] == ["ok", "failed"]   # newest first
    assert p.report_count() == 4 and p.report_count("skipped") == 1


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


def test_rows_are_read_by_column_name_so_a_new_column_shifts_nothing(tmp_path):
    """A later migration that adds columns (even in a different order) must not move any field."""
    p = Project(tmp_path / "p.abstractor")
    p.add_reports(_reports(1))
    h = p.save_task(TASK)
    run = _run(p)
    p.save_result(run, h, "r0.txt", Extraction(status="ok", values={"size": 8.0}, confidence={"size": 0.5}))
    for table in ("runs", "results", "reports"):
        p.conn.execute(f"ALTER TABLE {table} ADD COLUMN added_later TEXT DEFAULT 'x'")
    r = p.run(run)
    assert (r.id, r.task_hash, r.settings, r.state) == (run, h, {"n_ctx": 2048}, "running")
    res = p.result("r0.txt", h)
    assert (res.report_id, res.status, res.values, res.confidence) == ("r0.txt", "ok", {"size": 8.0}, {"size": 0.5})
    assert p.report("r0.txt").text == "report 0"
    assert isinstance(p.conn.execute("SELECT id FROM runs").fetchone(), sqlite3.Row)


def test_task_versions_keep_the_results_and_reviews_of_each_version(tmp_path):
    from core.review import accept, flag, set_value
    from tests.core.store.helpers import TASK, project_with_reports, store

    p, h = project_with_reports(tmp_path / "p.abstractor")
    store(p, h, "r0.txt", size=5.0, lobe="RUL")
    store(p, h, "r1.txt", size=7.0, lobe="LUL")
    store(p, h, "r1.txt", size=7.5, lobe="LUL")     # a re-run: still one report with a result
    set_value(p, "r0.txt", h, TASK.fields[0], 6.0)
    accept(p, "r0.txt", h)
    flag(p, "r1.txt", h, "check")
    changed = TASK.model_copy(update={"instructions": "Dutch reports."})
    p.set_current_task(changed)
    old, new = p.task_versions()
    assert (old.hash, old.results, old.decided, old.corrected) == (h, 2, 2, 1) and not old.empty
    assert new.hash == changed.hash() and new.empty and new.name == "t"
    assert p.task_version(h) == old
    with pytest.raises(KeyError):
        p.task_version("nope")
    # nothing of the previous version was touched by the change
    assert p.latest_results(h)["r1.txt"].values["size"] == 7.5
    assert p.all_review_states(h).keys() == {"r0.txt", "r1.txt"}
