"""`abstractor evaluate` on a labelled folder prints per-field metrics."""
import shutil
import subprocess
import sys
from pathlib import Path

from core.templates import demo_reports_dir

ROOT = Path(__file__).resolve().parents[2]


def test_evaluate_prints_per_field_metrics(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in sorted(demo_reports_dir().glob("*.txt"))[:4]:
        shutil.copy(p, folder / p.name)
    project = tmp_path / "p.abstractor"
    run = subprocess.run([sys.executable, "-m", "core.cli", "run", "--task", "chest_ct_nodules",
                          "--reports", str(folder), "--project", str(project)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    gold = demo_reports_dir().parent / "chest_ct_gold.csv"
    r = subprocess.run([sys.executable, "-m", "core.cli", "evaluate", "--project", str(project),
                        "--gold", str(gold)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "4 labelled reports" in out
    for key in ("nodule_present", "largest_diameter_mm", "lobe", "solidity"):
        assert key in out
    assert "accuracy" in out and "kappa" in out.lower() and "mae" in out.lower()
    assert "match no report" in r.stderr  # the other 8 gold rows are reported, not silently dropped
