"""Scoring a project against gold labels: what the Evaluate dialog and ``abstractor evaluate`` share.

:func:`read_gold_columns` reads a gold file's header and a few example values
and proposes the id column and the column -> field mapping;
:func:`evaluate` loads the gold labels with that mapping, aligns their ids to
the project's reports and scores every labelled field against the reports'
values now, as :mod:`core.review` decides them (the reviewer's, else the
accepted one, else the model's newest).  Nothing is dropped silently: gold
rows that match no report, cells that cannot be read and labelled reports
without a result are all returned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.evaluation.dragon_tasks import SPECS as DRAGON_TASKS, gold_from_ground_truth
from core.evaluation.gold import (GoldImportError, align_gold_ids, default_mapping, find_id_column, load_gold,
                                  read_table)
from core.evaluation.metrics import FieldMetrics, evaluate_task
from core.review import load_states
from core.store.project import Project
from core.task import FieldType, Task

EXAMPLES = 3


@dataclass
class GoldColumns:
    path: Path
    columns: list[str]                       # empty for DRAGON ground truth
    examples: dict[str, list[str]]           # column -> a few non-empty values, as text
    id_column: str | None                    # proposed; None if no column looks like one
    mapping: dict[str, str]                  # proposed column -> field path
    rows: int = 0

    @property
    def is_dragon(self) -> bool:
        return self.path.suffix.lower() == ".json"


@dataclass
class Evaluation:
    results: list[FieldMetrics]
    gold: dict[str, dict[str, Any]]          # report id -> field path -> gold value
    pred: dict[str, dict[str, Any]]          # report id -> the report's values now (core.review)
    unmatched: list[str] = field(default_factory=list)    # gold ids that match no report
    problems: list[str] = field(default_factory=list)     # gold cells that could not be read
    no_result: list[str] = field(default_factory=list)    # labelled reports without a result yet
    n_reports: int = 0                                    # reports in the project

    def result(self, path: str) -> FieldMetrics | None:
        return next((r for r in self.results if r.path == path), None)


def mappable_fields(task: Task) -> list[tuple[str, str]]:
    """(path, label) of the fields a gold column can fill: leaves outside repeating groups."""
    out = []

    def walk(fields, prefix: str, label: str) -> None:
        for f in fields:
            if f.type is FieldType.GROUP:
                walk(f.fields, prefix + f.key + ".", label + f.title + " › ")
            elif f.type is not FieldType.GROUP_LIST:
                out.append((prefix + f.key, label + f.title))

    walk(task.fields, "", "")
    return out


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_gold_columns(path: str | Path, task: Task) -> GoldColumns:
    """The columns of a gold file and a proposed mapping (raises on an unreadable file)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return GoldColumns(path, [], {}, None, {})
    header, rows = read_table(path)
    examples: dict[str, list[str]] = {}
    for i, col in enumerate(header):
        seen = [cell_text(r[i]) for r in rows if i < len(r) and cell_text(r[i])]
        examples[col] = list(dict.fromkeys(seen))[:EXAMPLES]
    try:
        id_column: str | None = find_id_column(header)
    except GoldImportError:
        id_column = None
    allowed = {p for p, _ in mappable_fields(task)}
    mapping = {c: p for c, p in default_mapping(task, header).items() if p in allowed and c != id_column}
    return GoldColumns(path, header, examples, id_column, mapping, len(rows))


def dragon_gold(path: str | Path, task: Task) -> dict[str, dict[str, Any]]:
    """DRAGON ground truth; the DRAGON task is told by the file name, else by the task's fields."""
    path = Path(path)
    name = next((n for n in DRAGON_TASKS if path.stem.startswith(n)), None)
    if name is None:
        keys = tuple(f.key for f in task.fields)
        name = next((n for n, spec in DRAGON_TASKS.items() if spec.fields == keys), None)
    if name is None:
        raise GoldImportError(f"{path.name} is not DRAGON ground truth for this task. Name the file after its "
                              "DRAGON task (for example Task101_Example_sl_bin_clf.json) or use a spreadsheet.")
    try:
        return gold_from_ground_truth(path, name)
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldImportError(f"{path.name} could not be read as DRAGON ground truth ({exc}).") from None


def value_text(v: Any) -> str:
    """A gold or model value in plain words; "(empty)" for a missing one."""
    if v is None or v == [] or v == "":
        return "(empty)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        return "; ".join(value_text(x) for x in v)
    return str(v)


def evaluate(project: Project, task: Task, gold_path: str | Path, *, id_column: str | None = None,
             mapping: dict[str, str] | None = None) -> Evaluation:
    """Score the project's values now for *task* against the gold file (raises on an unusable file)."""
    problems: list[str] = []
    if Path(gold_path).suffix.lower() == ".json":
        raw = dragon_gold(gold_path, task)
    else:
        raw = load_gold(gold_path, task, id_column=id_column, mapping=mapping, problems=problems)
    states = load_states(project, task.hash())
    report_ids = list(states)
    gold, unmatched = align_gold_ids(raw, report_ids)
    pred, conf, no_result = {}, {}, []
    for rid in gold:
        st = states[rid]
        pred[rid] = st.values or {}
        conf[rid] = st.confidences
        if not st.has_values and not st.reviews and st.accepted_values is None:
            no_result.append(rid)
    results = evaluate_task(task, gold, pred, conf)
    labelled = {k for values in gold.values() for k in values}
    if labelled:
        results = [r for r in results if r.path in labelled]
    return Evaluation(results, gold, pred, unmatched, problems, sorted(no_result), len(report_ids))
