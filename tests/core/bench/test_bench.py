"""The benchmark, quick version: one run, three pipelines, and the check that
speed never changes answers (fast path == plain constrained path).  The
speed-up itself is recorded against its target, not asserted: wall-clock
numbers from a busy test machine do not judge the code."""
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_quick_bench_prints_the_summary_line_and_answers_are_identical(tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, "-m", "core.cli", "bench", "--quick", "--reports", "3", "--check-equality",
                        "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    m = re.fullmatch(r"speedup_vs_baseline=(\d+\.\d\d) floor_ratio=(\d+\.\d\d) "
                     r"no_evidence_vs_reference=(\d+\.\d\d) default_vs_reference=(\d+\.\d\d)", lines[-1])
    assert m, lines[-1]
    assert "identical_to_plain_constrained=True" in lines
    data = json.loads(out.read_text())
    assert data["identical_to_plain_constrained"] is True
    eng, base, floor, plain, ref = (data["pipelines"][k] for k in
                                    ("engine", "baseline", "floor", "engine_no_evidence", "reference"))
    assert eng["reports"] == base["reports"] == floor["reports"] == plain["reports"] == ref["reports"] == 3
    # the reference way as users see it has no evidence: fewer output tokens than with quotes
    assert ref["output_tokens"] < base["output_tokens"]
    assert data["default_vs_reference"] == ref["total_s"] / eng["total_s"]
    assert data["no_evidence_vs_reference"] == ref["total_s"] / plain["total_s"]
    # the floor replays exactly the engine's forward passes
    assert floor["prompt_tokens"] == eng["prompt_tokens"]
    # prefix reuse: the engine evaluates far fewer prompt tokens than the reference way
    assert eng["prompt_tokens"] < 0.7 * base["prompt_tokens"]
    targets = {t["name"]: t for t in data["targets"]}
    assert targets["speedup_vs_baseline"]["value"] == data["speedup_vs_baseline"]
    assert targets["speedup_vs_baseline"]["limit"] == 1.0 and targets["speedup_vs_baseline"]["below"] is False
    assert any(line.startswith("speedup_vs_baseline=") and "(target > 1 x:" in line for line in lines)
    assert targets["default_vs_reference"]["limit"] == 1.0
    assert targets["no_evidence_vs_reference"]["limit"] == 1.8
    print(lines[-1])
