"""``abstractor run``, ``tasks`` and ``export``."""
from __future__ import annotations

import sys
from pathlib import Path

from core.cli.common import CliError, engine_settings, fmt_s, progress_line
from core.cli.server import add_run_arguments, server_from_args
from core.labels import parallel_mode


def cmd_run(args) -> int:
    from core import api
    from core.engine.engine import ModelLoadError
    from core.remote.errors import ServerError
    from core.task_import import TaskFileError

    try:
        task = api.load_task(args.task)
    except TaskFileError as exc:
        raise CliError(str(exc)) from None
    if args.no_evidence:
        task = task.model_copy(update={"options": task.options.model_copy(update={"evidence": False})})
    problems = task.problems()
    if problems:
        raise CliError(f"The task is not valid: {problems[0].path or 'task'}: {problems[0].message}")
    if not Path(args.reports).exists():
        raise CliError(f"Reports not found: {args.reports}")
    tty = sys.stderr.isatty()

    def on_progress(p):
        line = progress_line(p)
        print(("\r" + line + "\x1b[K") if tty else line, file=sys.stderr, end="" if tty else "\n", flush=True)

    server, api_key = server_from_args(args)   # --server: an inference server (core/cli/server.py)
    try:
        proj, summary = api.run(task, args.reports, project=args.project, model=args.model,
                                settings=engine_settings(args), which=args.rerun, on_progress=on_progress,
                                on_warning=lambda m: print(f"warning: {m}", file=sys.stderr),
                                server=server, api_key=api_key)
    except (ModelLoadError, ServerError) as exc:
        raise CliError(str(exc)) from None
    if tty:
        print(file=sys.stderr)
    p = summary.progress
    info = summary.engine_info
    skipped = f", {p.skipped} skipped" if p.skipped else ""
    print(f"{summary.state}: {p.done} reports in {fmt_s(p.elapsed_s)} ({p.ok} ok, {p.failed} failed{skipped}) "
          f"with {info.get('model')} on {info.get('backend')} ({parallel_mode(info.get('parallel') or 1)}); "
          f"project {proj.path}", file=sys.stderr)
    if args.out:
        api.export(proj, args.out, task)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0 if summary.state == "finished" else 1


def cmd_tasks(args) -> int:
    from core.templates import bundled_tasks

    for name, task in bundled_tasks():
        print(f"{name:28s} {task.name} ({len(task.fields)} fields)")
    return 0


def cmd_export(args) -> int:
    from core import api
    from core.export import ExportError

    if not Path(args.project).is_file():
        raise CliError(f"Project not found: {args.project}")
    try:
        api.export(args.project, args.out, multi_choice=args.multi_choice)
    except (ExportError, ValueError) as exc:  # what the user can fix: say it in one line
        raise CliError(str(exc)) from None
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def register(sub) -> None:
    from core.limits import DEFAULT_MAX_REPORT_TOKENS

    r = sub.add_parser("run", help="run a task over a folder of reports")
    r.add_argument("--task", required=True, help="task file (Abstractor or llm_extractinator) or bundled name")
    r.add_argument("--reports", required=True, help="folder, tabular file, or DRAGON nlp-test-dataset.json")
    r.add_argument("--model", help="GGUF model file (default: the embedded demo model)")
    r.add_argument("--project", help="project file to store results in and resume from")
    r.add_argument("--out", help="write results to .json, .csv or .xlsx")
    r.add_argument("--rerun", choices=["not_run", "failed", "all"], default="not_run",
                   help="which reports to process (default: those without a result)")
    r.add_argument("--no-evidence", action="store_true", help="do not ask for evidence quotes")
    r.add_argument("--threads", type=int, default=0)
    r.add_argument("--parallel", type=int, metavar="N",
                   help="reports at once: 1 = reproducible, one report at a time; N > 1 = fast, N reports in one "
                        "batch (a report read beside others can get a slightly different answer than alone; the "
                        "same folder with the same N gives the same answers); default: automatic (1 on the CPU, "
                        "8 on a GPU)")
    r.add_argument("--gpu-layers", type=int)
    r.add_argument("--temperature", type=float)
    r.add_argument("--seed", type=int)
    r.add_argument("--max-output-tokens", type=int, default=0)
    r.add_argument("--max-report-tokens", type=int, metavar="N",
                   help="skip reports longer than N tokens, with the reason stored "
                        f"(default {DEFAULT_MAX_REPORT_TOKENS}; 0: no limit)")
    add_run_arguments(r)
    r.set_defaults(func=cmd_run)

    t = sub.add_parser("tasks", help="list the bundled task templates")
    t.set_defaults(func=cmd_tasks)

    e = sub.add_parser("export", help="export a project's results")
    e.add_argument("--project", required=True)
    e.add_argument("--out", required=True, help=".xlsx, .csv or .json")
    e.add_argument("--multi-choice", choices=["columns", "joined"], default="columns")
    e.set_defaults(func=cmd_export)
