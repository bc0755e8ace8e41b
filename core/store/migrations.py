"""Numbered schema migrations for the project file.

``PRAGMA user_version`` holds the number of the last migration applied.
Migrations are only ever appended, never edited.
"""
from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        size INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ready', 'skipped')),
        reason TEXT,
        seq INTEGER NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX reports_seq ON reports(seq);
    CREATE TABLE tasks (
        hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_hash TEXT NOT NULL REFERENCES tasks(hash),
        model_path TEXT NOT NULL,
        model_name TEXT NOT NULL,
        model_size INTEGER NOT NULL,
        model_sha256 TEXT NOT NULL,
        backend TEXT NOT NULL,
        settings TEXT NOT NULL,
        app_version TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        state TEXT NOT NULL DEFAULT 'running'
    );
    CREATE TABLE results (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        report_id TEXT NOT NULL REFERENCES reports(id),
        task_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
        reason TEXT,
        "values" TEXT,
        raw_output TEXT,
        quotes TEXT,
        evidence TEXT,
        confidence TEXT,
        warnings TEXT,
        prompt_tokens INTEGER,
        cached_tokens INTEGER,
        output_tokens INTEGER,
        timings TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, report_id)
    );
    CREATE INDEX results_task_report ON results(task_hash, report_id, created_at);
    CREATE TABLE reviews (
        report_id TEXT NOT NULL REFERENCES reports(id),
        task_hash TEXT NOT NULL,
        field_key TEXT NOT NULL,
        value TEXT,
        model_value TEXT,
        reviewer TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        PRIMARY KEY (report_id, task_hash, field_key)
    );
    CREATE TABLE review_states (
        report_id TEXT NOT NULL REFERENCES reports(id),
        task_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('accepted', 'flagged')),
        comment TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (report_id, task_hash)
    );
    CREATE TABLE review_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL,
        task_hash TEXT NOT NULL,
        field_key TEXT,
        action TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: what the reviewer accepted, so a later run cannot change an accepted report's values
    """
    ALTER TABLE review_states ADD COLUMN accepted_values TEXT;
    """,
    # 3: where a review change came from when not from the app (the spreadsheet a review was imported from)
    """
    ALTER TABLE review_events ADD COLUMN source TEXT;
    """,
]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations; return the schema version."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()  # one value, no columns to mix up
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"This project file was written by a newer Abstractor (schema {version}, "
            f"this version knows {len(MIGRATIONS)}).")
    for number in range(version + 1, len(MIGRATIONS) + 1):
        conn.executescript("BEGIN;\n" + MIGRATIONS[number - 1] + f"\nPRAGMA user_version = {number};\nCOMMIT;")
    return len(MIGRATIONS)
