"""10,000 reports x 20 fields export to Excel completely and correctly.

How long it takes is measured by ``abstractor bench export`` (target under
10 s), not here: a unit test on a busy machine cannot judge speed.
"""
from __future__ import annotations

import openpyxl

from core.bench.sizes import CORRECTED_EVERY, N_REPORTS, large_project, twenty_field_task
from core.export import export_xlsx


def test_ten_thousand_reports_export_completely(tmp_path):
    task = twenty_field_task()
    assert len(task.fields) == 20
    p = large_project(tmp_path / "big.abstractor", task)
    try:
        out = export_xlsx(p, task, tmp_path / "big.xlsx")
    finally:
        p.close()
    wb = openpyxl.load_workbook(out, read_only=True)       # read-only: holds the file until closed
    try:
        rows = list(wb["Results"].iter_rows(values_only=True))
        corrections = sum(1 for _ in wb["Corrections"].iter_rows())
    finally:
        wb.close()
    assert len(rows) == N_REPORTS + 1
    first = rows[0].index("Evidence warnings") + 1     # the first field column
    assert rows[1][0] == "r00000.txt" and rows[1][first] == "finding 0 " and rows[1][first + 3] == "finding 0 =x"
    assert rows[-1][0] == f"r{N_REPORTS - 1:05d}.txt"
    assert corrections == N_REPORTS // CORRECTED_EVERY + 1
