"""The 20-kill test (issue 10): a real extraction in a subprocess over 36 short reports is
killed with SIGKILL at random moments, at least 20 times, and resumed after each kill.  At the
end every report is done exactly once, nothing stored was lost or redone, no result is
half-written, and SQLite's integrity check passes.  Takes one to two minutes on 2 busy cores
(most of it is starting the process and loading the model 25 times)."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.task import Field, FieldType, Task, TaskOptions

ROOT = Path(__file__).resolve().parents[2]
N_REPORTS = 36
KILLS = 20
TASK = Task(name="Nodule", instructions="Chest CT report.", fields=[
    Field(key="nodule_present", type=FieldType.YES_NO, description="Is a nodule described?"),
    Field(key="size_mm", type=FieldType.DECIMAL, unit="mm", description="Largest nodule size")],
    options=TaskOptions(max_output_tokens=96))


def rows(project: Path) -> dict[str, tuple]:
    """report id -> (rowid, created_at, status, values) of every stored result."""
    if not project.exists():
        return {}
    con = sqlite3.connect(project, timeout=30)
    try:
        con.row_factory = sqlite3.Row
        found = con.execute('SELECT rowid, report_id, created_at, status, "values" FROM results').fetchall()
    except sqlite3.OperationalError:  # killed before the schema was created
        return {}
    finally:
        con.close()
    out: dict[str, tuple] = {}
    for r in found:
        assert r["report_id"] not in out, f"two results for {r['report_id']}"
        out[r["report_id"]] = (r["rowid"], r["created_at"], r["status"], r["values"])
    return out


@pytest.mark.model
@pytest.mark.timeout(1800)   # one to two minutes alone on 2 cores; far more on a crowded machine
def test_twenty_sigkills_lose_nothing_and_do_nothing_twice(tmp_path):
    rng = random.Random(2026)
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(N_REPORTS):
        size = rng.randint(3, 25)
        text = rng.choice([f"CT thorax: nodule van {size} mm rechts.", "CT thorax: geen noduli.",
                           f"CT chest: {size} mm nodule in the left lower lobe."])
        (folder / f"r{i:02d}.txt").write_text(text, "utf-8")
    task_file = tmp_path / "task.json"
    TASK.save(task_file)
    project = tmp_path / "p.abstractor"
    cmd = [sys.executable, "-m", "core.cli", "run", "--task", str(task_file), "--reports", str(folder),
           "--project", str(project), "--threads", "1"]

    def wait_for_results(proc, count: int) -> float | None:
        """Wait until *count* results are stored; the time it happened (None if the process ended)."""
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            if len(rows(project)) >= count:
                return time.time()
            time.sleep(0.02)
        return None

    seen: dict[str, tuple] = {}
    kills, per_report = 0, None
    while kills < KILLS:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if kills % 5 == 4:   # now and then a kill while it starts (loading, counting, opening the run)
            time.sleep(rng.uniform(0.05, 1.5))
        else:                # mostly while reports are read and stored: at a random point after a new result
            t1 = wait_for_results(proc, len(seen) + 1)
            if t1 is not None and per_report is None:   # once: how long one report takes
                t2 = wait_for_results(proc, len(seen) + 2)
                per_report = (t2 - t1) if t2 else 1.0
            if t1 is not None:
                time.sleep(rng.uniform(0.0, per_report))
        if proc.poll() is not None:
            break   # it finished every report before this kill
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        now = rows(project)
        for rid, row in seen.items():           # nothing stored was lost or redone
            assert now.get(rid) == row, (kills, rid)
        seen = now
    assert kills >= KILLS, f"only {kills} kills landed before the run finished"
    assert len(seen) < N_REPORTS, "the last kill must leave work to resume"

    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    final = rows(project)
    for rid, row in seen.items():
        assert final[rid] == row, rid
    assert sorted(final) == sorted(p.name for p in folder.glob("*.txt"))   # every report exactly once
    keys = {f.key for f in TASK.fields}
    for rid, (_, created, status, values) in final.items():               # none half-written
        assert created and status in ("ok", "failed"), rid
        if status == "ok":
            assert set(json.loads(values)) == keys, rid
    con = sqlite3.connect(project)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == N_REPORTS
    finally:
        con.close()
