"""A small project with stored results and reviews, built from real Project and Task objects."""
from __future__ import annotations

import pytest

from core.engine.result import Extraction
from core.review import accept
from core.store.project import Project
from core.task import Task
from core.reports import Report
from export_sample import R1_VALUES, R2_VALUES, make_task


def _ex(status="ok", values=None, reason=None, evidence=None, confidence=None) -> Extraction:
    return Extraction(status=status, reason=reason, values=values or {}, evidence=evidence or {},
                      confidence=confidence or {})


@pytest.fixture
def task() -> Task:
    return make_task()


@pytest.fixture
def project(tmp_path, task):
    p = Project(tmp_path / "p.abstractor")
    p.add_reports([
        Report.make_ready("ct/r1.txt", "ct/r1.txt", "Nodule 12 mm.", 10),
        Report.make_ready("ct/r2.txt", "ct/=HYPERLINK(\"http://x\",\"y\").txt", "Nothing.", 10),
        Report.make_ready("ct/r3.txt", "ct/r3.txt", "Garbled", 10),
        Report.make_skipped("ct/r4.pdf", "ct/r4.pdf", "The file contains no text", 10),
        Report.make_ready("ct/r5.txt", "ct/r5.txt", "Not yet run.", 10),
    ])
    h = p.save_task(task)
    run = p.start_run(task, model_path="/models/m.gguf", model_name="m.gguf", model_size=1234,
                      model_sha256="ab" * 32, backend="cpu", settings={"temperature": 0, "n_ctx": 4096},
                      app_version="0.1.0")
    p.save_result(run, h, "ct/r1.txt", _ex(values=R1_VALUES, evidence={"size_mm": [7, 12], "count": None},
                                           confidence={"size_mm": 0.91, "count": 0.5}))
    p.save_result(run, h, "ct/r2.txt", _ex(values=R2_VALUES))
    p.save_result(run, h, "ct/r3.txt", _ex(status="failed", reason="-The output was not valid JSON"))
    p.finish_run(run, "finished")
    p.set_review_value("ct/r1.txt", h, "size_mm", 13.0, 12.5, reviewer="dr_a")
    p.set_review_value("ct/r1.txt", h, "count", 3, 3, reviewer="dr_a")  # confirmed, not a correction
    accept(p, "ct/r1.txt", h, reviewer="dr_a")
    yield p
    p.close()
