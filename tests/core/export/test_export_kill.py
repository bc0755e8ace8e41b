"""A kill during an Excel export never leaves a corrupt file at the target path: the workbook is
written beside it, fsync'd and moved over it in one step (core.atomic).  A subprocess exports in
a loop and is SIGKILLed at random moments; after every kill the target opens and is whole.
Once the loop writes, each kill lands at a random moment within about one export.  Took 141 s
on the shared 2-core machine at load average 16 (mostly starting Python 8 times)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

from core.atomic import atomic_path, write_atomic
from core.engine.result import Extraction
from core.export import export_xlsx
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Task

ROOT = Path(__file__).resolve().parents[3]
N_REPORTS = 1500
TASK = Task(name="Kill", fields=[Field(key=f"text_{i}", type=FieldType.TEXT) for i in range(6)]
            + [Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")])
LOOP = "import sys\nfrom core import api\nwhile True:\n    api.export(sys.argv[1], sys.argv[2])\n"


def _project(path: Path) -> Project:
    p = Project(path)
    p.add_reports([Report.make_ready(f"r{i:04d}.txt", f"r{i:04d}.txt", f"Report {i}", 10) for i in range(N_REPORTS)])
    h = p.set_current_task(TASK)
    run = p.start_run(TASK, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    with p.transaction():   # one commit: building the sample is not what is tested
        for i in range(N_REPORTS):
            values = {f"text_{k}": f"finding {i} {k} " * 4 for k in range(6)} | {"size_mm": i / 10}
            p.save_result(run, h, f"r{i:04d}.txt", Extraction(status="ok", values=values))
    p.finish_run(run, "finished")
    return p


def _whole(path: Path) -> bool:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in wb["Results"].iter_rows()) == N_REPORTS + 1
    finally:
        wb.close()


def test_kill_during_excel_export_never_leaves_a_corrupt_target(tmp_path):
    project = tmp_path / "p.abstractor"
    _project(project).close()
    target = tmp_path / "results.xlsx"
    t0 = time.perf_counter()
    with Project(project) as p:
        export_xlsx(p, TASK, target)
    one_export = time.perf_counter() - t0
    assert _whole(target)
    rng = random.Random(11)
    mid_write = 0
    for kill in range(1, 9):
        proc = subprocess.Popen([sys.executable, "-c", LOOP, str(project), str(target)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 300        # once the loop writes its first workbook, kill at a random moment
        while not any(tmp_path.glob(".~results.*")) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.5 * one_export))
        assert proc.poll() is None, "the export loop stopped by itself"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _whole(target), f"corrupt target after kill {kill}"
        # a kill leaves at most a stray temp file beside the target, never a partial target
        others = [p for p in tmp_path.iterdir() if p.name != "results.xlsx" and not p.name.startswith("p.abstractor")]
        assert all(p.name.startswith(".~results.") and p.name.endswith(".xlsx.tmp") for p in others), others
        mid_write += bool(others)
        for p in others:
            p.unlink()
    assert mid_write, "no kill landed while a workbook was being written"
    assert (os.stat(target).st_mode & 0o777) == 0o600 or os.name != "posix"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "t.json"
    write_atomic(target, "old")
    try:
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise OSError("disk full")
    except OSError:
        pass
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]
    write_atomic(target, b"new", mode=0o644)
    assert target.read_bytes() == b"new"
    if os.name == "posix":
        assert os.stat(target).st_mode & 0o777 == 0o644
