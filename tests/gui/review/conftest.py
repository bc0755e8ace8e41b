"""Fixtures for the review tests: a project with stored (hand-made) results."""
from __future__ import annotations

import shutil

import pytest

from core.engine.result import Extraction
from core.reports import read_folder
from core.store.project import Project
from core.templates import demo_reports_dir, demo_task

# (values, quotes, confidence) per demo report; report 4 fails
FAKE = {
    "ct_thorax_01.txt": (
        {"nodule_present": True, "largest_diameter_mm": 9.0, "lobe": "right upper lobe", "solidity": "solid"},
        {"nodule_present": "een solide nodus met gladde begrenzing", "largest_diameter_mm": "9 mm",
         "lobe": "In de rechterbovenkwab", "solidity": "solide nodus"},
        {"nodule_present": 0.97, "largest_diameter_mm": 0.42, "lobe": 0.88, "solidity": 0.91}),
    "ct_thorax_02.txt": (
        {"nodule_present": True, "largest_diameter_mm": 4.0, "lobe": "left lower lobe", "solidity": "solid"},
        {"nodule_present": "Meerdere noduli in beide longen", "largest_diameter_mm": "solide nodus van 4 mm",
         "lobe": "linkeronderkwab, laterobasaal", "solidity": None},
        {"nodule_present": 0.99, "largest_diameter_mm": 0.31, "lobe": 0.64, "solidity": 0.8}),
    "ct_thorax_03.txt": (
        {"nodule_present": False, "largest_diameter_mm": None, "lobe": None, "solidity": None},
        {"nodule_present": "Geen noduli", "largest_diameter_mm": None, "lobe": None, "solidity": None},
        {"nodule_present": 0.93, "largest_diameter_mm": 0.95, "lobe": 0.96, "solidity": 0.97}),
}


def fake_extraction(rid: str, text: str) -> Extraction:
    if rid not in FAKE:
        return Extraction(status="failed", reason="The model's answer is not valid JSON: Expecting ',' delimiter.",
                          raw_output='{"nodule_present.quote":"matglasnodus","nodule_present":true,"largest')
    values, quotes, conf = FAKE[rid]
    ex = Extraction(status="ok", values=dict(values), quotes=dict(quotes), confidence=dict(conf),
                    raw_output="{}")
    for key, q in quotes.items():
        pos = text.find(q) if q else -1
        ex.evidence[key] = [pos, pos + len(q)] if pos >= 0 else None
    if rid == "ct_thorax_02.txt":
        ex.add_warning("largest_diameter_mm", "4.0 mm is small for the largest of several nodules.")
    return ex


def build_project(folder, n: int = 4, results: bool = True) -> Project:
    folder.mkdir(parents=True, exist_ok=True)
    for p in sorted(demo_reports_dir().glob("*.txt"))[:n]:
        shutil.copy(p, folder / p.name)
    project = Project(folder.parent / (folder.name + ".abstractor"))
    project.add_reports(read_folder(folder))
    task = demo_task()
    project.set_current_task(task)
    if results:
        run_id = project.start_run(task, model_path="fake.gguf", model_name="fake.gguf", model_size=1,
                                   model_sha256="0" * 64, backend="CPU", settings={}, app_version="test")
        for rid in project.report_ids():
            project.save_result(run_id, task.hash(), rid, fake_extraction(rid, project.report(rid).text))
        project.finish_run(run_id, "finished")
    return project


@pytest.fixture
def project(tmp_path):
    p = build_project(tmp_path / "reports")
    yield p
    p.close()


@pytest.fixture
def task():
    return demo_task()
