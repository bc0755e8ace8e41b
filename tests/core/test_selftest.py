"""``abstractor --self-test`` from the source tree (the frozen bundle runs the same: packaging/build-linux.sh)."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from core.selftest import STEPS, run_selftest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.model
def test_self_test_passes_with_one_line_per_step(model_path):
    proc = subprocess.run([sys.executable, "-m", "gui.launcher", "--self-test"], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={"PATH": "/nonexistent", "HOME": str(Path.home()),
                                                      "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0].split()[-1] for line in lines[:len(STEPS)]] == [
        name.split()[-1] for name, _ in STEPS]
    assert all(line.startswith("ok ") for line in lines[:len(STEPS)])
    assert "12 reports" in lines[3] and "match the project" in lines[5]
    assert lines[-1].startswith("self-test passed")
    assert "PySide6" not in proc.stderr


def test_a_missing_model_fails_the_resources_step_by_name(monkeypatch, tmp_path):
    monkeypatch.setenv("ABSTRACTOR_EMBEDDED_MODEL", str(tmp_path / "gone.gguf"))
    out = io.StringIO()
    assert run_selftest(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok    install:")
    assert lines[-2].startswith("FAIL  resources: ModelMissing:") and "gone.gguf" in lines[-2]
    assert lines[-1] == "self-test failed at step 'resources'"


def test_reading_back_compares_every_cell_with_the_project(tmp_path):
    """No model needed: a project whose reports were never run exports a row per report too."""
    from openpyxl import load_workbook

    from core import api
    from core.selftest import Context, StepFailed, step_export, step_read_back
    from core.templates import demo_reports_dir, demo_task

    ctx = Context(workdir=tmp_path, task=demo_task())
    ctx.project = api.open_project(tmp_path / "p.abstractor")
    ctx.project.add_reports(api.read_reports(demo_reports_dir()))
    ctx.project.set_current_task(ctx.task)
    step_export(ctx)
    assert "12 rows" in step_read_back(ctx)
    wb = load_workbook(ctx.workbook)
    wb["Results"]["C5"] = "ok"   # the Status column of the fourth report: it was never run
    wb.save(ctx.workbook)
    with pytest.raises(StepFailed, match="column 'Status'"):
        step_read_back(ctx)
    ctx.project.close()
