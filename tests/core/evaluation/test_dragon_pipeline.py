"""The small model over a few cases of every synthetic DRAGON task, end to end:
run -> nlp-predictions-dataset.json in DRAGON's format -> scored by the evaluator.
The point is that the pipeline is right, not the score."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.evaluation.dragon import score_task
from core.evaluation.dragon_tasks import spec

ROOT = Path(__file__).resolve().parents[3]
N = 2


def _tasks(dragon_dir):
    return sorted(p for p in (dragon_dir / "synthetic").iterdir() if p.is_dir())


def test_every_synthetic_task_runs_and_scores(dragon_dir, tmp_path):
    task_dirs = _tasks(dragon_dir)
    assert len(task_dirs) == 9
    for task_dir in task_dirs:
        name = task_dir.name.split("-fold")[0]
        out = tmp_path / task_dir.name
        r = subprocess.run([sys.executable, "-m", "core.cli", "dragon", "--task-dir", str(task_dir),
                            "--limit", str(N), "--out", str(out), "--project", str(tmp_path / f"{name}.abstractor")],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, (name, r.stderr[-2000:])
        preds = json.loads((out / "nlp-predictions-dataset.json").read_text("utf-8"))
        cases = json.loads((task_dir / "nlp-test-dataset.json").read_text("utf-8"))[:N]
        assert [p["uid"] for p in preds] == [c["uid"] for c in cases]
        s = spec(name)
        truth = {str(g["uid"]): g[s.label_name] for g in
                 json.loads((dragon_dir / "ground-truth" / f"{name}.json").read_text("utf-8"))}
        y_true = [truth[str(p["uid"])] for p in preds]
        y_pred = [p[s.prediction_name] for p in preds]
        if s.is_ner:  # one BIO tag (or tag list) per word of the case
            for case, tags in zip(cases, y_pred):
                words = case.get("text_parts") or case["text"].split()
                assert len(tags) == len(words), name
        score = score_task(name, y_true, y_pred) if len({json.dumps(t) for t in y_true}) > 1 or s.is_ner \
            else None
        if score is not None:
            assert score == score or s.kind in ("binary", "multi_binary"), (name, score)  # a number, not NaN


def test_evaluate_cli_reproduces_expected_metrics(dragon_dir, tmp_path):
    out = tmp_path / "metrics.json"
    r = subprocess.run([sys.executable, "-m", "core.cli", "evaluate", "--dragon",
                        "--predictions", str(dragon_dir / "eval-check" / "test-predictions"),
                        "--ground-truth", str(dragon_dir / "ground-truth"), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(out.read_text())
    want = json.loads((dragon_dir / "eval-check" / "expected-metrics.json").read_text())
    assert got["aggregates"]["overall"] == pytest.approx(want["aggregates"]["overall"], abs=1e-9)
    assert "overall: mean" in r.stdout
