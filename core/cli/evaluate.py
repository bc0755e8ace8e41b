"""``abstractor evaluate`` and ``dragon``: scores against gold labels, DRAGON predictions."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from core.cli.common import CliError, progress_line


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def print_field_metrics(results, out=sys.stdout) -> None:
    from core.evaluation.wording import COUNTING_RULES

    print(COUNTING_RULES, file=out)
    for fm in results:
        print(f"{fm.path}  ({fm.type}; scored {fm.n_scored}: gold {fm.n_gold}, answer missing {fm.n_pred_missing}, "
              f"invented {fm.n_pred_when_gold_missing}; compared {fm.n_compared})", file=out)
        for k, v in fm.metrics.items():
            unit = f" {fm.unit} (where both give a number)" if k == "mae" and v is not None and fm.unit else ""
            print(f"    {k:22s} {_fmt(v)}{unit}", file=out)
        if fm.note:
            print(f"    note: {fm.note}", file=out)


def cmd_evaluate(args) -> int:
    if args.dragon:
        from core.evaluation import evaluate_dragon

        if not (args.predictions and args.ground_truth):
            raise CliError("--dragon needs --predictions DIR and --ground-truth DIR")
        try:
            metrics = evaluate_dragon(args.predictions, args.ground_truth,
                                      task_names=args.tasks.split(",") if args.tasks else None)
        except (ValueError, FileNotFoundError) as exc:
            raise CliError(str(exc)) from None
        text = json.dumps(metrics, indent=2)
        if args.out:
            Path(args.out).write_text(text + "\n", "utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        overall = metrics["aggregates"]["overall"]
        print(f"overall: mean {overall['mean']:.4f}, std {overall['std']:.4f}")
        return 0
    if not (args.project and args.gold):
        raise CliError("evaluate needs --project P --gold FILE (or --dragon ...)")
    from core.evaluation import GoldImportError
    from core.evaluation.project import evaluate
    from core.store.project import Project

    if not Path(args.project).is_file():
        raise CliError(f"Project not found: {args.project}")
    with Project(args.project) as proj:
        task = proj.current_task()
        if task is None:
            raise CliError("This project has no task yet: run a task first.")
        try:
            ev = evaluate(proj, task, args.gold, id_column=args.id_column)
        except (GoldImportError, FileNotFoundError) as exc:
            raise CliError(str(exc)) from None
    if ev.unmatched:
        print(f"warning: {len(ev.unmatched)} gold rows match no report (e.g. {ev.unmatched[0]})", file=sys.stderr)
    for problem in ev.problems:
        print(f"warning: {problem} (counted as no gold label)", file=sys.stderr)
    if ev.no_result:
        print(f"warning: {len(ev.no_result)} labelled reports have no result yet (e.g. {ev.no_result[0]})",
              file=sys.stderr)
    print(f"Task: {task.name}; {len(ev.gold)} labelled reports")
    print_field_metrics(ev.results)
    if args.out:
        Path(args.out).write_text(json.dumps([r.as_dict() for r in ev.results], indent=2), "utf-8")
    return 0


def cmd_dragon(args) -> int:
    """Run a bundled DRAGON task over a DRAGON nlp-test-dataset.json and write predictions."""
    from core import api
    from core.evaluation import dragon_config, load_dragon_task, predictions_from_values, write_predictions
    from core.evaluation.dragon_tasks import report_text
    from core.reports import read_dragon_dataset
    from core.store.rows import ResultStatus

    task_dir = Path(args.task_dir)
    data = task_dir / "nlp-test-dataset.json"
    if not data.is_file():
        raise CliError(f"{data} not found")
    name = task_dir.name.split("-fold")[0]
    task = load_dragon_task(name)
    dragon_config(task_dir)
    records = json.loads(data.read_text("utf-8"))[: args.limit or None]
    reports = [r for r in read_dragon_dataset(data) if r.id in {str(x["uid"]) for x in records}]
    proj = api.open_project(args.project)
    proj.add_reports(reports)
    proj.set_current_task(task)
    _, summary = api.run(task, None, project=proj, model=args.model,
                         on_progress=lambda p: print(progress_line(p), file=sys.stderr))
    latest = proj.latest_results(task.hash())
    values = {rid: r.values for rid, r in latest.items() if r.status == ResultStatus.OK}
    conf = {rid: r.confidence for rid, r in latest.items()}
    preds = predictions_from_values(name, [(str(r["uid"]), report_text(name, r)) for r in records], values, conf)
    path = write_predictions(Path(args.out), preds)
    failed = sum(1 for r in latest.values() if r.status != ResultStatus.OK)
    print(f"wrote {path} ({len(preds)} predictions, {failed} failed reports scored as missing)", file=sys.stderr)
    return 0


def register(sub) -> None:
    e = sub.add_parser("evaluate", help="score results against gold labels (or DRAGON predictions)")
    e.add_argument("--project", help="project file with results")
    e.add_argument("--gold", help="gold labels: .csv, .xlsx or DRAGON ground-truth .json")
    e.add_argument("--id-column", help="column with the report id or file name")
    e.add_argument("--dragon", action="store_true", help="DRAGON mode: score prediction folders")
    e.add_argument("--predictions", help="DRAGON: folder with Task*-fold*/nlp-predictions-dataset.json")
    e.add_argument("--ground-truth", help="DRAGON: folder with Task*.json ground truth")
    e.add_argument("--tasks", help="DRAGON: comma-separated task names (default: all)")
    e.add_argument("--out", help="write metrics as JSON")
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("dragon", help="run a DRAGON task folder and write nlp-predictions-dataset.json")
    d.add_argument("--task-dir", required=True, help="e.g. ../shared/dragon/synthetic/Task101_...-fold0")
    d.add_argument("--out", required=True, help="output folder or .json file")
    d.add_argument("--model")
    d.add_argument("--project")
    d.add_argument("--limit", type=int, default=0, help="only the first N cases")
    d.set_defaults(func=cmd_dragon)
