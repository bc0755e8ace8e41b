"""Numbered migrations: older project files open and are upgraded in place."""
import sqlite3

from core.review import ReportStatus, load_state
from core.store.migrations import MIGRATIONS
from core.store.project import Project


def _version_1_project(path) -> None:
    """A project file as the first Abstractor wrote it: one report, one result, accepted without a snapshot."""
    con = sqlite3.connect(path)
    con.executescript("BEGIN;" + MIGRATIONS[0] + "PRAGMA user_version = 1; COMMIT;")
    con.execute("INSERT INTO reports(id, source, text, text_hash, size, status, reason, seq, added_at)"
                " VALUES('r0.txt', 'r0.txt', 'report', 'h', 6, 'ready', NULL, 1, '2025-01-01T10:00:00+00:00')")
    con.execute("INSERT INTO tasks(hash, name, json, created_at) VALUES('th', 't', '{}', '2025-01-01T10:00:00+00:00')")
    con.execute("INSERT INTO runs(task_hash, model_path, model_name, model_size, model_sha256, backend, settings,"
                " app_version, started_at) VALUES('th', '/m', 'm', 1, 'abc', 'CPU', '{}', '0.1',"
                " '2025-01-01T10:00:00+00:00')")
    con.execute("INSERT INTO results(run_id, report_id, task_hash, status, \"values\", created_at)"
                " VALUES(1, 'r0.txt', 'th', 'ok', '{\"size\": 8.0}', '2025-01-01T10:00:01+00:00')")
    con.execute("INSERT INTO review_states(report_id, task_hash, state, reviewer, at)"
                " VALUES('r0.txt', 'th', 'accepted', 'dr_a', '2025-01-01T10:00:02+00:00')")
    con.commit()
    con.close()


def test_migration_2_upgrades_a_version_1_project_and_keeps_its_reviews(tmp_path):
    path = tmp_path / "old.abstractor"
    _version_1_project(path)
    p = Project(path)
    assert p.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3
    cols = [r["name"] for r in p.conn.execute("PRAGMA table_info(review_states)")]
    assert "accepted_values" in cols
    st = load_state(p, "r0.txt", "th")
    # accepted before snapshots were kept: still reviewed, with the model's values
    assert st.status is ReportStatus.REVIEWED and st.accepted_values is None
    assert st.values == {"size": 8.0}
    p.close()
    Project(path).close()  # opening again applies nothing twice


def test_migration_3_review_events_name_their_source(tmp_path):
    path = tmp_path / "old.abstractor"
    _version_1_project(path)
    p = Project(path)
    cols = [r["name"] for r in p.conn.execute("PRAGMA table_info(review_events)")]
    assert "source" in cols
    p.set_review_value("r0.txt", "th", "size", 9.0, 8.0, reviewer="dr_a")
    with p.transaction(source="imported from r.xlsx"):
        p.set_review_value("r0.txt", "th", "size", 10.0, 8.0, reviewer="dr_a")
    assert [e["source"] for e in p.review_events("th")] == [None, "imported from r.xlsx"]
    p.close()


def test_transaction_stores_all_or_nothing(tmp_path):
    path = tmp_path / "old.abstractor"
    _version_1_project(path)
    p = Project(path)
    try:
        with p.transaction(source="imported from r.xlsx"):
            p.set_review_value("r0.txt", "th", "size", 10.0, 8.0, reviewer="dr_a")
            raise OSError("disk full")
    except OSError:
        pass
    assert p.review_values("r0.txt", "th") == {} and p.review_events("th") == []
    p.set_review_value("r0.txt", "th", "size", 11.0, 8.0, reviewer="dr_a")   # no source once it is over
    assert [e["source"] for e in p.review_events("th")] == [None]
    p.close()
