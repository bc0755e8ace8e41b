"""The headless CLI, end to end with the embedded model."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.templates import demo_reports_dir

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, timeout=600, **kw):
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


@pytest.fixture
def ct_folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    for p in sorted(demo_reports_dir().glob("*.txt"))[:4]:
        shutil.copy(p, d / p.name)
    # odd files: empty, unsupported, hidden, Office lock file
    (d / "leeg.txt").write_text("")
    (d / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0binary")
    (d / ".verborgen.txt").write_text("hidden")
    (d / "~$lock.docx").write_text("lock")
    return d


def test_run_writes_one_record_per_report(ct_folder, tmp_path):
    out = tmp_path / "out.json"
    r = cli("run", "--task", "chest_ct_nodules", "--reports", ct_folder, "--out", out,
            "--project", tmp_path / "p.abstractor")
    assert r.returncode == 0, r.stderr
    records = json.loads(out.read_text("utf-8"))
    ids = [rec["report"] for rec in records]
    assert sorted(ids) == sorted([p.name for p in ct_folder.glob("ct_thorax_*.txt")] + ["leeg.txt", "oud.doc"])
    keys = {"nodule_present", "largest_diameter_mm", "lobe", "solidity"}
    for rec in records:
        assert set(rec) >= {"report", "source", "status", "reason", "fields", "evidence", "confidence"}
        if rec["status"] == "ok":
            assert set(rec["fields"]) == keys
        else:
            assert rec["status"] in ("failed", "skipped") and rec["reason"]
    skipped = {rec["report"]: rec["reason"] for rec in records if rec["status"] == "skipped"}
    assert set(skipped) == {"leeg.txt", "oud.doc"}
    assert "reports/min" in r.stderr and "finished: 4 reports" in r.stderr


def test_extractinator_task_file_runs(ct_folder, tmp_path):
    task = tmp_path / "Task001.json"
    task.write_text(json.dumps({"Description": "Extract nodule size.", "Parser_Format": {
        "size_mm": {"type": "float", "description": "largest nodule size in mm", "optional": True}}}))
    out = tmp_path / "o.json"
    r = cli("run", "--task", task, "--reports", ct_folder, "--out", out)
    assert r.returncode == 0, r.stderr
    recs = [x for x in json.loads(out.read_text()) if x["status"] == "ok"]
    assert len(recs) == 4 and all(set(x["fields"]) == {"size_mm"} for x in recs)


@pytest.mark.parametrize("args, msg", [
    (["run", "--task", "no_such_task", "--reports", "."], "No task file or bundled template"),
    (["run", "--task", "chest_ct_nodules", "--reports", "/nonexistent"], "Reports not found"),
    (["run", "--task", "chest_ct_nodules", "--reports", ".", "--model", "pyproject.toml"], "not a GGUF model"),
])
def test_bad_input_exits_nonzero_with_one_line(args, msg):
    r = cli(*args)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and msg in lines[0], r.stderr


def test_bad_arguments_exit_2():
    assert cli("run", "--task").returncode == 2


def test_tasks_and_version():
    r = cli("tasks")
    assert r.returncode == 0 and "chest_ct_nodules" in r.stdout and "recist_target_lesions" in r.stdout
    assert cli("--version").stdout.startswith("abstractor ")


def test_resume_after_sigkill_loses_nothing(tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(demo_reports_dir(), folder)
    n = len(list(folder.glob("*.txt")))
    project = tmp_path / "p.abstractor"
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "run", "--task", "chest_ct_nodules",
                             "--reports", str(folder), "--project", str(project)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stored() -> list[tuple]:
        if not project.exists():
            return []
        try:
            con = sqlite3.connect(project)
            rows = con.execute("SELECT report_id, created_at FROM results ORDER BY rowid").fetchall()
            con.close()
            return rows
        except sqlite3.OperationalError:
            return []

    deadline = time.time() + 300
    while len(stored()) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = stored()
    assert 2 <= len(before) < n, "the kill must land mid-run"
    r = cli("run", "--task", "chest_ct_nodules", "--reports", folder, "--project", project)
    assert r.returncode == 0, r.stderr
    after = stored()
    assert after[: len(before)] == before                  # nothing stored was lost or redone
    assert sorted(rid for rid, _ in after) == sorted(p.name for p in folder.glob("*.txt"))
    assert f"finished: {n - len(before)} reports" in r.stderr


def test_progress_line_shows_the_part_being_read():
    from core.cli.common import progress_line
    from core.runner import Progress

    p = Progress(done=1, total=3, ok=1, skipped=2, current="export.txt", part=3, parts=7, elapsed_s=40,
                 units_total=9, units_done=3)
    line = progress_line(p)
    assert line.endswith("export.txt (part 3 of 7)") and "skipped 2" in line
    assert "ETA 1:20" in line                                       # 6 parts left at 13.3 s a part
    assert "part" not in progress_line(Progress(done=1, total=3, current="short.txt", elapsed_s=4))


def test_max_report_tokens_skips_a_long_report_with_its_reason(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "kort.txt").write_text("CT thorax: nodule van 8 mm rechts.", "utf-8")
    (d / "lang.txt").write_text("Geen afwijkingen in dit segment. " * 300, "utf-8")
    out = tmp_path / "out.json"
    r = cli("run", "--task", "chest_ct_nodules", "--reports", d, "--out", out, "--threads", "1",
            "--max-report-tokens", "500")
    assert r.returncode == 0, r.stderr
    assert any(line.startswith("finished: 2 reports") and "1 skipped" in line for line in r.stderr.splitlines())
    records = {rec["report"]: rec for rec in json.loads(out.read_text("utf-8"))}
    assert records["lang.txt"]["status"] == "skipped"
    reason = records["lang.txt"]["reason"]
    assert "over the limit of 500 tokens" in reason and "--max-report-tokens" in reason
    assert records["kort.txt"]["status"] in ("ok", "failed")
