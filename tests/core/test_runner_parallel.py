"""Several reports at once ("Fast: N reports at once", issue 13), with the embedded model.

The same folder run twice with the same settings gives identical answers, in both modes; every
report gets exactly one result; the run records its mode; a cancel in the middle loses nothing
that was stored and the next run reads the rest.  About a minute on 2 cores."""
from __future__ import annotations

import shutil

import pytest

from core import api
from core.engine.engine import EngineSettings
from core.export.run_sheet import readable
from core.runner import RunCallbacks, RunControl, Runner
from core.templates import demo_reports_dir, demo_task

TASK = demo_task()


def _project(tmp_path, name: str, n: int):
    folder = tmp_path / f"{name}-reports"
    folder.mkdir()
    for src in sorted(demo_reports_dir().glob("*.txt"))[:n]:
        shutil.copy(src, folder / src.name)
    project = api.open_project(tmp_path / f"{name}.abstractor")
    project.add_reports(api.read_reports(folder))
    project.set_current_task(TASK)
    return project


def _answers(project) -> dict[str, tuple]:
    out = {}
    for rid, r in project.latest_results(TASK.hash()).items():
        out[rid] = (r.status, r.raw_output)
    return out


def _run(project, model_path, parallel: int, control: RunControl | None = None, callbacks=None, keep=False):
    runner = Runner(project, TASK, model_path, EngineSettings(n_threads=1, parallel=parallel),
                    control=control, callbacks=callbacks)
    try:
        return (runner.run(), runner.engine) if keep else runner.run()
    finally:
        if not keep:
            runner.engine.close()


@pytest.mark.model
@pytest.mark.parametrize("parallel", [1, 3])
def test_same_folder_twice_gives_identical_answers(model_path, tmp_path, parallel):
    n = 3 if parallel > 1 else 1
    first, second = _project(tmp_path, "a", n), _project(tmp_path, "b", n)
    seen: list[str] = []
    s1 = _run(first, model_path, parallel, callbacks=RunCallbacks(result=lambda rid, ex: seen.append(rid)))
    s2 = _run(second, model_path, parallel)
    assert s1.state == s2.state == "finished"
    assert sorted(seen) == sorted(first.report_ids()), "every report gets exactly one result"
    a, b = _answers(first), _answers(second)
    assert len(a) == n and sorted(a) == sorted(b)
    assert a == b
    assert s1.engine_info["parallel"] == parallel
    run = first.runs(TASK.hash())[-1]
    assert run.settings["parallel"] == parallel
    expected = "Reproducible: one report at a time" if parallel == 1 else f"Fast: {parallel} reports at once"
    assert readable(run.settings, TASK)["Reports at once"] == expected
    # reports read together are checked like single ones: every quote aligned to the report's words
    for rid, r in first.latest_results(TASK.hash()).items():
        assert r.status == "ok", (rid, r.reason)
        text = first.report(rid).text
        for key, quote in r.quotes.items():
            if quote:
                span = r.evidence.get(key)
                assert span is not None and text[span[0]:span[1]].strip(), (rid, key, quote)
        assert r.cached_tokens > 0 or rid == min(a), "the shared start of the prompt is reused"


@pytest.mark.model
def test_cancel_while_several_are_in_flight_keeps_what_was_stored(model_path, tmp_path):
    project = _project(tmp_path, "p", 3)
    control = RunControl()
    stored: list[str] = []

    def on_result(rid, ex):
        stored.append(rid)
        if len(stored) == 1:
            control.request_cancel()

    summary, engine = _run(project, model_path, 2, control=control, callbacks=RunCallbacks(result=on_result),
                           keep=True)
    assert summary.state == "cancelled"
    assert sorted(project.latest_results(TASK.hash())) == sorted(stored)
    assert len(stored) == 1
    # the rest, on the same loaded model, with the setting changed to one at a time
    runner = Runner(project, TASK, model_path, EngineSettings(n_threads=1, parallel=1), engine=engine)
    try:
        rest = runner.run()
    finally:
        engine.close()
    assert rest.state == "finished" and rest.engine_info["parallel"] == 1
    assert rest.run_id != summary.run_id, "a run records one mode: the rest is a new run"
    assert [r.settings["parallel"] for r in project.runs(TASK.hash())] == [2, 1]
    assert sorted(project.latest_results(TASK.hash())) == sorted(project.report_ids())
    assert rest.progress.done == 2
