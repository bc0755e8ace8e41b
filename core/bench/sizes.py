"""``abstractor bench export`` and ``abstractor bench read``: the large-project timings.

* export: 10,000 reports x 20 fields (every field type, reviewer corrections
  on every 50th report) to Excel; target under 10 s, bound 20 s.
* read: a folder of 10,000 small text files in 10 sub-folders; bound 5 s.

The projects and folders are built by the same functions the unit tests
use to check that the export and the reading are *right*; only here is the
time taken compared with a target.
"""
from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from core.bench.record import Measurement
from core.engine.result import Extraction
from core.reports import Report, read_folder
from core.store.project import Project
from core.task import Field, FieldType, Option, Task

N_REPORTS = 10_000
CORRECTED_EVERY = 50


def twenty_field_task() -> Task:
    fields = [Field(key=f"text_{i}", type=FieldType.TEXT) for i in range(4)]
    fields += [Field(key=f"int_{i}", type=FieldType.INTEGER) for i in range(4)]
    fields += [Field(key=f"dec_{i}", type=FieldType.DECIMAL, unit="mm") for i in range(3)]
    fields += [Field(key=f"yn_{i}", type=FieldType.YES_NO) for i in range(3)]
    fields += [Field(key=f"date_{i}", type=FieldType.DATE) for i in range(2)]
    fields += [Field(key=f"choice_{i}", type=FieldType.CHOICE, options=[Option(value=v) for v in "abc"])
               for i in range(2)]
    fields += [Field(key="multi", type=FieldType.MULTI_CHOICE, options=[Option(value=v) for v in "xyz"]),
               Field(key="items", type=FieldType.TEXT_LIST)]
    return Task(name="Speed", fields=fields)


def _values(rng: random.Random, i: int) -> dict:
    v: dict = {f"text_{k}": f"finding {i} {'=x' if k == 3 else ''}" for k in range(4)}
    v.update({f"int_{k}": rng.randint(0, 100) for k in range(4)})
    v.update({f"dec_{k}": round(rng.random() * 50, 1) for k in range(3)})
    v.update({f"yn_{k}": rng.random() < 0.5 for k in range(3)})
    v.update({f"date_{k}": (dt.date(2020, 1, 1) + dt.timedelta(days=i % 1000)).isoformat() for k in range(2)})
    v.update({f"choice_{k}": rng.choice("abc") for k in range(2)})
    v.update({"multi": ["x", "z"], "items": ["one", "two"]})
    return v


def large_project(path: Path, task: Task, n: int = N_REPORTS) -> Project:
    """A project with ``n`` results of ``task`` and a reviewer's correction on every 50th report."""
    rng = random.Random(1)
    p = Project(path)
    p.add_reports(Report.make_ready(f"r{i:05d}.txt", f"r{i:05d}.txt", f"report {i}", 100) for i in range(n))
    h = p.save_task(task)
    run = p.start_run(task, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="bench")
    p.conn.execute("BEGIN")
    for i in range(n):
        p.save_result(run, h, f"r{i:05d}.txt", Extraction(status="ok", values=_values(rng, i)))
    p.conn.execute("COMMIT")
    for i in range(0, n, CORRECTED_EVERY):
        p.set_review_value(f"r{i:05d}.txt", h, "int_0", 999, None, reviewer="dr_a")
    return p


def small_files_folder(root: Path, n: int = N_REPORTS, per_folder: int = 1000) -> Path:
    """``n`` one-line reports, ``per_folder`` to a sub-folder (d0/r0000.txt, ...)."""
    root.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        sub, i = root / f"d{k // per_folder}", k % per_folder
        if i == 0:
            sub.mkdir()
        (sub / f"r{i:04d}.txt").write_bytes(b"Verslag %d: geen afwijkingen.\n" % i)
    return root


def measure_export() -> Measurement:
    from core.export import export_xlsx

    task = twenty_field_task()
    with tempfile.TemporaryDirectory() as tmp:
        project = large_project(Path(tmp) / "big.abstractor", task)
        try:
            t0 = time.perf_counter()
            export_xlsx(project, task, Path(tmp) / "big.xlsx")
            elapsed = time.perf_counter() - t0
        finally:
            project.close()
    return Measurement(f"export_xlsx_{N_REPORTS}x{len(task.fields)}_s", elapsed, "s", 20.0,
                       note="target 10 s; 20 s bound for slow machines")


def measure_read() -> Measurement:
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_files_folder(Path(tmp))
        t0 = time.perf_counter()
        n = sum(1 for _ in read_folder(folder))
        elapsed = time.perf_counter() - t0
    return Measurement(f"read_folder_{n}_files_s", elapsed, "s", 5.0)
