"""Labelled sets: reports with the values a person says are right.

* :func:`demo_set`: the 12 bundled chest CT reports (Dutch and English) with
  ``resources/demo/chest_ct_gold.csv``, run with the bundled chest CT task.
* :func:`dragon_sets`: the public DRAGON synthetic tasks (``../shared/dragon``):
  the first *N* cases of each task's fold-0 test set, the bundled Abstractor
  task for it, gold from ``ground-truth/``; scored with the DRAGON evaluator too.
* :func:`folder_set`: any task, folder of reports and gold table.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.locations import bundle_root, resources_dir
from core.task import Task

DEMO_REPORTS = resources_dir() / "demo" / "reports"
DEMO_GOLD = resources_dir() / "demo" / "chest_ct_gold.csv"
DEFAULT_DRAGON_DIR = bundle_root().parent / "shared" / "dragon"


class SetError(ValueError):
    """A labelled set that cannot be read, with the reason."""


@dataclass
class LabelledSet:
    name: str
    task: Task
    reports: list[tuple[str, str]]                 # (report id, text), in order
    gold: dict[str, dict[str, Any]]                # report id -> {field key: value}
    dragon_task: str | None = None                 # DRAGON task name: also scored with its evaluator
    dragon_records: dict[str, dict] = field(default_factory=dict)  # uid -> ground-truth record

    def __len__(self) -> int:
        return len(self.reports)


def folder_set(name: str, task: Task, reports_dir: str | Path, gold_path: str | Path,
               *, id_column: str | None = None, limit: int = 0) -> LabelledSet:
    """A task, a folder of reports and a gold table (.csv/.xlsx) keyed by report id or file name."""
    from core.evaluation import GoldImportError, align_gold_ids, load_gold
    from core.reports import READY, read_folder

    reports = [r for r in read_folder(Path(reports_dir)) if r.status == READY]
    if not reports:
        raise SetError(f"No readable reports in {reports_dir}")
    try:
        gold = load_gold(gold_path, task, id_column=id_column)
    except (GoldImportError, FileNotFoundError) as exc:
        raise SetError(f"Gold labels {gold_path}: {exc}") from None
    gold, unmatched = align_gold_ids(gold, [r.id for r in reports])
    if unmatched:
        raise SetError(f"{len(unmatched)} gold rows match no report, e.g. '{unmatched[0]}'")
    pairs = [(r.id, r.text) for r in reports if r.id in gold]
    if limit:
        pairs = pairs[:limit]
    return LabelledSet(name, task, pairs, {rid: gold[rid] for rid, _ in pairs})


def demo_set(limit: int = 0) -> LabelledSet:
    from core.templates import load_bundled

    return folder_set("demo chest CT", load_bundled("chest_ct_nodules"), DEMO_REPORTS, DEMO_GOLD,
                      id_column="report", limit=limit)


def dragon_task_names(dragon_dir: str | Path = DEFAULT_DRAGON_DIR) -> list[str]:
    synthetic = Path(dragon_dir) / "synthetic"
    if not synthetic.is_dir():
        raise SetError(f"DRAGON data not found at {synthetic}")
    return sorted(p.name.split("-fold")[0] for p in synthetic.glob("Task*-fold0"))


def dragon_set(task_name: str, dragon_dir: str | Path = DEFAULT_DRAGON_DIR, limit: int = 0) -> LabelledSet:
    """The first ``limit`` cases (0: all) of a DRAGON synthetic task's fold-0 test set."""
    from core.evaluation.dragon_tasks import load_dragon_task, report_text, spec, values_from_label

    dragon_dir = Path(dragon_dir)
    data = dragon_dir / "synthetic" / f"{task_name}-fold0" / "nlp-test-dataset.json"
    truth = dragon_dir / "ground-truth" / f"{task_name}.json"
    for p in (data, truth):
        if not p.is_file():
            raise SetError(f"DRAGON file missing: {p}")
    s = spec(task_name)
    records = json.loads(data.read_text("utf-8"))
    if limit:
        records = records[:limit]
    truth_by_uid = {str(r["uid"]): r for r in json.loads(truth.read_text("utf-8"))}
    reports, gold, chosen = [], {}, {}
    for r in records:
        uid = str(r["uid"])
        if uid not in truth_by_uid:
            raise SetError(f"{truth.name} has no label for case {uid}")
        t = truth_by_uid[uid]
        words = t.get("text_parts") or str(t.get("text", "")).split()
        reports.append((uid, report_text(task_name, r)))
        gold[uid] = values_from_label(task_name, t[s.label_name], words)
        chosen[uid] = t
    return LabelledSet(f"DRAGON {task_name}", load_dragon_task(task_name), reports, gold,
                       dragon_task=task_name, dragon_records=chosen)


def dragon_sets(dragon_dir: str | Path = DEFAULT_DRAGON_DIR, limit: int = 0,
                tasks: list[str] | None = None) -> list[LabelledSet]:
    names = dragon_task_names(dragon_dir)
    if tasks:
        unknown = [t for t in tasks if not any(n.startswith(t) for n in names)]
        if unknown:
            raise SetError(f"No DRAGON task matches {unknown[0]!r}; there are: {', '.join(names)}")
        names = [n for n in names if any(n.startswith(t) for t in tasks)]
    return [dragon_set(n, dragon_dir, limit) for n in names]


#: The quick subset (CI and ``abstractor accuracy --quick``): small enough for the test suite.
QUICK_DEMO_REPORTS = 6
QUICK_DRAGON_TASKS = ["Task101", "Task105", "Task106"]
QUICK_DRAGON_CASES = 2


def quick_sets(dragon_dir: str | Path = DEFAULT_DRAGON_DIR) -> list[LabelledSet]:
    """The first 6 demo reports and the first 2 cases of three DRAGON tasks (yes/no, choices, a number)."""
    return [demo_set(limit=QUICK_DEMO_REPORTS),
            *dragon_sets(dragon_dir, limit=QUICK_DRAGON_CASES, tasks=QUICK_DRAGON_TASKS)]
