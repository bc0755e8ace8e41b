"""Reviewer edits are durable the moment they are shown as saved (issue 10): a process makes an
edit through core's review API, says so, and is SIGKILLed at once; the reopened project has the
edit and its audit event.  Takes a few seconds."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Task

ROOT = Path(__file__).resolve().parents[2]
TASK = Task(name="P", fields=[Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")])
EDIT = """
import sys, time
from core.review import actions
from core.store.project import Project
p = Project(sys.argv[1])
field = p.current_task().fields[0]
for value in (11.0, 12.5):
    actions.set_value(p, "a.txt", sys.argv[2], field, value, reviewer="dr_a")
    actions.accept(p, "a.txt", sys.argv[2], reviewer="dr_a")
    print("saved", value, flush=True)    # what the review panel shows once the call returns
time.sleep(120)
"""


def test_edit_survives_a_kill_right_after_it_is_saved(tmp_path):
    path = tmp_path / "p.abstractor"
    with Project(path) as p:
        p.add_reports([Report.make_ready("a.txt", "a.txt", "Nodule 8 mm.", 12)])
        h = p.set_current_task(TASK)
    proc = subprocess.Popen([sys.executable, "-c", EDIT, str(path), h], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = [proc.stdout.readline(), proc.stdout.readline()]
    os.kill(proc.pid, signal.SIGKILL)   # right after the second edit was reported saved
    proc.wait()
    proc.stdout.close()
    assert lines == ["saved 11.0\n", "saved 12.5\n"]
    with Project(path) as p:
        assert p.review_values("a.txt", h)["size_mm"].value == 12.5
        assert p.review_state("a.txt", h).state == "accepted"
        edits = [e for e in p.review_events(h) if e["action"] == "edit"]
        assert [e["new_value"] for e in edits][-1] in (12.5, "12.5")
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
