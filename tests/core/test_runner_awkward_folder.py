"""The awkward-folder run (issue 10): a folder of odd files, including a 3 MB text file and a
200,000-character single-line report, finishes with the embedded model.  The long ones are
skipped with a reason that states their size, the limit and how to raise it; a report read in
parts shows "part k of m".  Takes about a minute on 2 busy cores."""
from __future__ import annotations

import pytest

from core import api
from core.cli.common import progress_line
from core.engine.engine import EngineSettings
from core.limits import DEFAULT_MAX_REPORT_TOKENS
from core.runner import RunCallbacks, Runner
from core.task import Field, FieldType, Task, TaskOptions
from tests.core.awkward import make_awkward_folder

TASK = Task(name="Nodule", instructions="Chest CT report.", fields=[
    Field(key="nodule_present", type=FieldType.YES_NO, description="Is a nodule described?"),
    Field(key="size_mm", type=FieldType.DECIMAL, unit="mm", description="Largest nodule size")],
    options=TaskOptions(max_output_tokens=96, long_report_policy="split"))


@pytest.mark.model
def test_awkward_folder_run_finishes_and_explains_every_skip(model_path, tmp_path, capfd):
    expect = make_awkward_folder(tmp_path / "reports", part_chars=5000)
    project = api.open_project(tmp_path / "p.abstractor")
    project.add_reports(api.read_reports(tmp_path / "reports"))
    statuses = {rid: project.report(rid) for rid in project.report_ids()}
    hidden = {k for k, v in expect.items() if v == "hidden"}
    assert not hidden & set(statuses), "lock files are never listed as reports"
    for rid, kind in expect.items():
        if kind == "skipped-file":
            assert statuses[rid].status == "skipped" and statuses[rid].reason, rid
        elif kind != "hidden":
            assert statuses[rid].status == "ready", (rid, statuses[rid].reason)

    lines: list[str] = []
    parts_seen: list[tuple[str, int, int]] = []

    def on_progress(p) -> None:
        lines.append(progress_line(p))
        if p.parts:
            parts_seen.append((p.current, p.part, p.parts))
        assert p.eta_s is None or p.eta_s >= 0

    project.set_current_task(TASK)
    # The context is kept small (as for a model trained on 2k tokens) so that the 5,000-character
    # report is read in parts; the report length limit is the default one.
    settings = EngineSettings(n_threads=1)
    assert settings.max_report_tokens == DEFAULT_MAX_REPORT_TOKENS
    runner = Runner(project, TASK, model_path, settings, callbacks=RunCallbacks(progress=on_progress),
                    max_context=1024)
    try:
        summary = runner.run()
    finally:
        runner.engine.close()
    assert summary.state == "finished"
    results = project.latest_results(TASK.hash())
    ready = [rid for rid, r in statuses.items() if r.status == "ready"]
    assert sorted(results) == sorted(ready), "every readable report has exactly one result"

    for rid, kind in expect.items():
        if kind == "too-long":
            res = results[rid]
            assert res.status == "skipped" and res.raw_output in ("", None)
            reason = res.reason
            assert "tokens long" in reason and f"{DEFAULT_MAX_REPORT_TOKENS:,} tokens" in reason
            assert f"{len(project.report(rid).text):,} characters" in reason
            assert "raise 'Longest report' in Preferences" in reason and "--max-report-tokens" in reason
        elif kind in ("ok", "parts"):
            assert results[rid].status in ("ok", "failed"), (rid, results[rid].reason)
            if results[rid].status == "failed":
                assert results[rid].reason and results[rid].raw_output is not None
    m = max(m for rid, _, m in parts_seen if rid == "lang.txt")
    assert m >= 2
    assert [k for rid, k, _ in parts_seen if rid == "lang.txt"] == list(range(1, m + 1))
    assert any(f"lang.txt (part {m} of {m})" in line for line in lines)
    assert any(f"read in {m} parts" in w for w in results["lang.txt"].warnings.get("", []))
    p = summary.progress
    assert p.skipped >= 2 and p.units_done == p.units_total
    # a damaged PDF made pypdf complain ("EOF marker not found"): never on the terminal
    out, err = capfd.readouterr()
    assert "EOF marker" not in out + err
