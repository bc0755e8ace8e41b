"""10,000 reports x 20 fields must export to Excel in well under 10 seconds."""
from __future__ import annotations

import datetime as dt
import random
import time

import openpyxl

from core.engine.result import Extraction
from core.export import export_xlsx
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Option, Task

N_REPORTS = 10_000


def _task() -> Task:
    fields = [Field(key=f"text_{i}", type=FieldType.TEXT) for i in range(4)]
    fields += [Field(key=f"int_{i}", type=FieldType.INTEGER) for i in range(4)]
    fields += [Field(key=f"dec_{i}", type=FieldType.DECIMAL, unit="mm") for i in range(3)]
    fields += [Field(key=f"yn_{i}", type=FieldType.YES_NO) for i in range(3)]
    fields += [Field(key=f"date_{i}", type=FieldType.DATE) for i in range(2)]
    fields += [Field(key=f"choice_{i}", type=FieldType.CHOICE, options=[Option(value=v) for v in "abc"])
               for i in range(2)]
    fields += [Field(key="multi", type=FieldType.MULTI_CHOICE, options=[Option(value=v) for v in "xyz"]),
               Field(key="items", type=FieldType.TEXT_LIST)]
    assert len(fields) == 20
    return Task(name="Speed", fields=fields)


def _values(rng: random.Random, i: int) -> dict:
    v = {f"text_{k}": f"finding {i} {'=x' if k == 3 else ''}" for k in range(4)}
    v.update({f"int_{k}": rng.randint(0, 100) for k in range(4)})
    v.update({f"dec_{k}": round(rng.random() * 50, 1) for k in range(3)})
    v.update({f"yn_{k}": rng.random() < 0.5 for k in range(3)})
    v.update({f"date_{k}": (dt.date(2020, 1, 1) + dt.timedelta(days=i % 1000)).isoformat() for k in range(2)})
    v.update({f"choice_{k}": rng.choice("abc") for k in range(2)})
    v.update({"multi": ["x", "z"], "items": ["one", "two"]})
    return v


def test_ten_thousand_reports_export_fast(tmp_path):
    task = _task()
    rng = random.Random(1)
    p = Project(tmp_path / "big.abstractor")
    p.add_reports(Report.make_ready(f"r{i:05d}.txt", f"r{i:05d}.txt", f"report {i}", 100) for i in range(N_REPORTS))
    h = p.save_task(task)
    run = p.start_run(task, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    p.conn.execute("BEGIN")
    for i in range(N_REPORTS):
        p.save_result(run, h, f"r{i:05d}.txt", Extraction(status="ok", values=_values(rng, i)))
    p.conn.execute("COMMIT")
    for i in range(0, N_REPORTS, 50):
        p.set_review_value(f"r{i:05d}.txt", h, "int_0", 999, None, reviewer="dr_a")

    t0 = time.perf_counter()
    out = export_xlsx(p, task, tmp_path / "big.xlsx")
    elapsed = time.perf_counter() - t0
    print(f"\nexported {N_REPORTS} reports x 20 fields in {elapsed:.2f} s")
    assert elapsed < 20, elapsed          # target < 10 s; slack for slow CI machines

    wb = openpyxl.load_workbook(out, read_only=True)
    rows = list(wb["Results"].iter_rows(values_only=True))
    assert len(rows) == N_REPORTS + 1
    assert rows[1][0] == "r00000.txt" and rows[1][7] == "finding 0 " and rows[1][10] == "finding 0 =x"
    assert rows[-1][0] == f"r{N_REPORTS - 1:05d}.txt"
    assert sum(1 for _ in wb["Corrections"].iter_rows()) == N_REPORTS // 50 + 1
    p.close()
