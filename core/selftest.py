"""``abstractor --self-test``: does this installation work? Headless, offline, one line per step.

The steps are what a clinician's first use does, without a window: find the
bundled files, load the bundled model, extract the demo reports with the demo
task, export the results to Excel in a temporary folder, and read the
workbook back and compare it with the project.  It works the same from the
source tree and from a frozen installer bundle, and writes nothing outside a
temporary folder (the model's checksum cache in the user's cache folder
excepted).  Exit status 0 when every step passes; otherwise 1, after a line
naming the step that failed and why.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TextIO

EXPECTED_DEMO_REPORTS = 12
SELFTEST_THREADS = 1


class StepFailed(Exception):
    """A check inside a step did not hold; the message says which."""


@dataclass
class Context:
    """What the steps hand on to each other."""

    workdir: Path
    task: Any = None
    reports_dir: Path | None = None
    model: Path | None = None
    project: Any = None
    workbook: Path | None = None


def _given(value: Any, what: str) -> Any:
    """A value an earlier step made; a step run out of order fails with a plain message."""
    if value is None:
        raise StepFailed(f"{what} is missing: an earlier step did not run")
    return value


def step_install(ctx: Context) -> str:
    from core.locations import app_version, bundle_root, is_frozen

    kind = "frozen bundle" if is_frozen() else "source/package"
    return f"Abstractor {app_version()} ({kind}) at {bundle_root()}"


def step_resources(ctx: Context) -> str:
    from core.models import require_embedded_model
    from core.templates import bundled_names, demo_reports_dir, demo_task

    ctx.task = demo_task()
    ctx.reports_dir = demo_reports_dir()
    n = len([p for p in ctx.reports_dir.iterdir() if p.is_file()])
    if n != EXPECTED_DEMO_REPORTS:
        raise StepFailed(f"expected {EXPECTED_DEMO_REPORTS} demo reports in {ctx.reports_dir}, found {n}")
    ctx.model = require_embedded_model()
    return (f"{len(bundled_names())} task templates, {n} demo reports, "
            f"model {ctx.model.name} ({ctx.model.stat().st_size / 1e6:.0f} MB)")


def step_model(ctx: Context) -> str:
    from core.engine.engine import Engine, EngineSettings

    engine = Engine(_given(ctx.model, "the model"), EngineSettings(n_ctx=2048, n_threads=SELFTEST_THREADS))
    try:
        info = engine.info
        described = engine.describe()
        tokens = engine.tokenize("Conclusie: geen longnoduli.")
    finally:
        engine.close()
    if info.vocab_size <= 0 or not tokens:
        raise StepFailed(f"the model loaded but does not tokenize (vocabulary {info.vocab_size})")
    return (f"{info.name} ({info.parameters_label}, {info.quantization}), chat template "
            f"{described['chat_template']}, backend {described['backend']}")


def step_extract(ctx: Context) -> str:
    from core import api
    from core.engine.engine import EngineSettings

    project_path = ctx.workdir / "selftest.abstractor"
    # One thread: llama.cpp's OpenMP threads spin at every step's barrier, and on a busy computer
    # (measured: a shared 2-core machine) two threads were over ten times slower than one.  This is
    # a check, not a benchmark (that is `abstractor bench`).
    ctx.project, summary = api.run(ctx.task, ctx.reports_dir, project=project_path,
                                   settings=EngineSettings(n_threads=SELFTEST_THREADS))
    p = summary.progress
    if summary.state != "finished":
        raise StepFailed(f"the run ended as {summary.state!r}: {summary.error}")
    if p.done != EXPECTED_DEMO_REPORTS:
        raise StepFailed(f"{p.done} of {EXPECTED_DEMO_REPORTS} reports were extracted")
    if p.ok == 0:
        raise StepFailed(f"no report gave a valid answer ({p.failed} failed)")
    return f"{p.done} reports: {p.ok} ok, {p.failed} failed, {p.reports_per_min:.1f} reports/min"


def step_export(ctx: Context) -> str:
    from core import api

    ctx.workbook = api.export(ctx.project, ctx.workdir / "selftest.xlsx", task=ctx.task)
    size = ctx.workbook.stat().st_size
    if size == 0:
        raise StepFailed(f"{ctx.workbook} is empty")
    return f"{ctx.workbook.name} written ({size / 1024:.0f} KiB) in {ctx.workdir}"


def _plain(v: Any) -> Any:
    """A cell value as Excel gives it back: numbers as float, dates as date, text as text."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time() else v.replace(microsecond=0)
    if isinstance(v, dt.date):
        return v
    return str(v)


def step_read_back(ctx: Context) -> str:
    from openpyxl import load_workbook

    from core.export.table import build

    expected = build(ctx.project, ctx.task).results
    workbook = _given(ctx.workbook, "the workbook")
    wb = load_workbook(workbook, read_only=True)
    try:
        if "Results" not in wb.sheetnames:
            raise StepFailed(f"no 'Results' sheet in {workbook.name} (sheets: {wb.sheetnames})")
        rows = [list(r) for r in wb["Results"].iter_rows(values_only=True)]
    finally:
        wb.close()
    header, body = rows[0], rows[1:]
    if list(header[:len(expected.headers)]) != expected.headers:
        raise StepFailed(f"the header row is {header}, expected {expected.headers}")
    if len(body) != len(expected.rows):
        raise StepFailed(f"{len(body)} result rows, expected {len(expected.rows)}")
    cells = 0
    for got, want in zip(body, expected.rows):
        for h, g, w in zip(expected.headers, got, want):
            if _plain(g) != _plain(w):
                raise StepFailed(f"report {want[0]}, column {h!r}: the workbook holds {g!r}, the project {w!r}")
            cells += 1
    return f"{len(body)} rows x {len(expected.headers)} columns match the project ({cells} cells)"


STEPS: tuple[tuple[str, Callable[[Context], str]], ...] = (
    ("install", step_install),
    ("resources", step_resources),
    ("model", step_model),
    ("extract", step_extract),
    ("export", step_export),
    ("read back", step_read_back),
)


def run_selftest(out: TextIO | None = None) -> int:
    """Run every step in order, stop at the first failure; return the exit status."""
    out = out or sys.stdout
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="abstractor-selftest-") as tmp:
        ctx = Context(workdir=Path(tmp))
        try:
            for name, step in STEPS:
                t0 = time.perf_counter()
                try:
                    detail = step(ctx)
                except Exception as exc:  # noqa: BLE001 - reported with the step's name, then the test stops
                    print(f"FAIL  {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                    print(f"self-test failed at step '{name}'", file=out, flush=True)
                    return 1
                print(f"ok    {name}: {detail} ({time.perf_counter() - t0:.1f} s)", file=out, flush=True)
        finally:
            if ctx.project is not None:
                ctx.project.close()
    print(f"self-test passed ({time.perf_counter() - t_all:.1f} s)", file=out, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(run_selftest())
