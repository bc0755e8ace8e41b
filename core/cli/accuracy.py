"""``abstractor accuracy``: fields right per prompt variant on labelled sets (``core.accuracy``)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from core.cli.common import CliError

#: Cases per DRAGON task in a full run (first N of each fold-0 test set).
DEFAULT_DRAGON_CASES = 5


def _sets(args):
    from core import api
    from core.accuracy import demo_set, dragon_sets, folder_set
    from core.accuracy.sets import quick_sets
    from core.task_import import TaskFileError

    if args.task or args.reports or args.gold:
        if not (args.task and args.reports and args.gold):
            raise CliError("a labelled set of your own needs --task, --reports and --gold")
        try:
            task = api.load_task(args.task)
        except TaskFileError as exc:
            raise CliError(str(exc)) from None
        return [folder_set(Path(args.reports).name, task, args.reports, args.gold,
                           id_column=args.id_column, limit=args.limit)]
    from core.accuracy.sets import DEFAULT_DRAGON_DIR

    dragon_dir = args.dragon_dir or DEFAULT_DRAGON_DIR
    if args.quick:
        return quick_sets(dragon_dir)
    which = set(args.sets.split(","))
    unknown = which - {"demo", "dragon"}
    if unknown:
        raise CliError(f"unknown set '{sorted(unknown)[0]}' (choose demo, dragon)")
    out = []
    if "demo" in which:
        out.append(demo_set(limit=args.limit))
    if "dragon" in which:
        tasks = args.dragon_tasks.split(",") if args.dragon_tasks else None
        out.extend(dragon_sets(dragon_dir, limit=args.dragon_cases or DEFAULT_DRAGON_CASES, tasks=tasks))
    return out


def cmd_accuracy(args) -> int:
    from core.accuracy import QUICK_VARIANTS, SetError, measure, variants
    from core.accuracy.report import as_json, full_report
    from core.cli.common import engine_settings
    from core.engine.engine import ModelLoadError
    from core.models import require_embedded_model

    try:
        chosen = variants(args.variants.split(",") if args.variants else (QUICK_VARIANTS if args.quick else None))
        sets = _sets(args)
    except (KeyError, SetError) as exc:
        raise CliError(str(exc).strip("'\"")) from None
    model = Path(args.model) if args.model else require_embedded_model()
    n = sum(len(s) for s in sets) * len(chosen)
    print(f"accuracy: {len(sets)} sets, {len(chosen)} variants, {n} extractions with {model.name}",
          file=sys.stderr)

    def progress(done: int, total: int, what: str) -> None:
        if done == total or done % 10 == 0:
            print(f"  {done}/{total}  {what}", file=sys.stderr, flush=True)

    def keep(results) -> None:  # written after every set, so a long run that stops keeps what it did
        if args.json:
            Path(args.json).write_text(json.dumps(as_json(results), indent=1, ensure_ascii=False) + "\n", "utf-8")

    try:
        results = measure(sets, chosen, model, engine_settings(args), progress, keep)
    except ModelLoadError as exc:
        raise CliError(str(exc)) from None
    print(f"Model: {model.name}; temperature {engine_settings(args).temperature:g}; greedy constrained "
          "decoding (Abstractor's engine) for every variant.\n")
    print(full_report(results))
    if args.markdown:
        Path(args.markdown).write_text(full_report(results, markdown=True), "utf-8")
        print(f"wrote {args.markdown}", file=sys.stderr)
    if args.json:
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


def register(sub) -> None:
    a = sub.add_parser("accuracy", help="fields right per prompt variant on labelled sets (demo, DRAGON)")
    a.add_argument("--quick", action="store_true",
                   help="quick subset (as in CI): 6 demo reports + 2 cases of DRAGON Task101, 105 and 106; "
                        "variants reference and default")
    a.add_argument("--sets", default="demo,dragon", help="demo, dragon or both (default: demo,dragon)")
    a.add_argument("--variants", help="comma-separated variants (default: all; see docs/accuracy.md)")
    a.add_argument("--dragon-dir", help="DRAGON data (default: ../shared/dragon beside the repository)")
    a.add_argument("--dragon-tasks", help="comma-separated DRAGON task prefixes, e.g. Task101,Task106")
    a.add_argument("--dragon-cases", type=int, default=0,
                   help=f"first N cases of each DRAGON task (default {DEFAULT_DRAGON_CASES})")
    a.add_argument("--task", help="your own set: task file or bundled name (with --reports, --gold)")
    a.add_argument("--reports", help="your own set: folder of reports")
    a.add_argument("--gold", help="your own set: gold table (.csv/.xlsx) keyed by report id or file name")
    a.add_argument("--id-column", help="your own set: the gold table's report id column")
    a.add_argument("--limit", type=int, default=0, help="only the first N reports of the demo set or your own")
    a.add_argument("--model", help="GGUF model (default: the embedded model)")
    a.add_argument("--json", help="also write every answer and score as JSON")
    a.add_argument("--markdown", help="also write the tables as Markdown")
    a.add_argument("--threads", type=int, default=0)
    a.add_argument("--gpu-layers", type=int)
    a.add_argument("--temperature", type=float)
    a.add_argument("--seed", type=int)
    a.add_argument("--max-output-tokens", type=int, default=0)
    a.set_defaults(func=cmd_accuracy)
