"""The headless command line: ``abstractor run|tasks|export|evaluate|bench``.

Running ``abstractor`` with no subcommand opens the desktop app; that is
handled by ``gui.launcher``, which calls :func:`main` for everything else.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core import __version__


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def _fmt_s(s: float | None) -> str:
    if s is None:
        return "--:--"
    s = int(s)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def progress_line(p) -> str:
    width = 24
    filled = int(width * p.done / p.total) if p.total else width
    bar = "#" * filled + "." * (width - filled)
    return (f"[{bar}] {p.done}/{p.total}  ok {p.ok}  failed {p.failed}  "
            f"{p.reports_per_min:.1f} reports/min  ETA {_fmt_s(p.eta_s)}  {p.current[-40:]}")


def _engine_settings(args):
    from core.engine.engine import EngineSettings

    s = EngineSettings()
    if args.threads:
        s.n_threads = args.threads
    if args.gpu_layers is not None:
        s.n_gpu_layers = args.gpu_layers
    if args.temperature is not None:
        s.temperature = args.temperature
    if args.seed is not None:
        s.seed = args.seed
    if args.max_output_tokens:
        s.max_output_tokens = args.max_output_tokens
    return s


def cmd_run(args) -> int:
    from core import api
    from core.engine.engine import ModelLoadError
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

    try:
        proj, summary = api.run(task, args.reports, project=args.project, model=args.model,
                                settings=_engine_settings(args), which=args.rerun, on_progress=on_progress,
                                on_warning=lambda m: print(f"warning: {m}", file=sys.stderr))
    except ModelLoadError as exc:
        raise CliError(str(exc)) from None
    if tty:
        print(file=sys.stderr)
    p = summary.progress
    info = summary.engine_info
    print(f"{summary.state}: {p.done} reports in {_fmt_s(p.elapsed_s)} ({p.ok} ok, {p.failed} failed) "
          f"with {info.get('model')} on {info.get('backend')}; project {proj.path}", file=sys.stderr)
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

    if not Path(args.project).is_file():
        raise CliError(f"Project not found: {args.project}")
    try:
        api.export(args.project, args.out, multi_choice=args.multi_choice)
    except Exception as exc:
        from core.export import ExportError

        if isinstance(exc, (ExportError, ValueError)):
            raise CliError(str(exc)) from None
        raise
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="abstractor", description=(
        "Turn a folder of clinical reports into a reviewed spreadsheet with a local LLM. "
        "Without a command, the desktop app opens."))
    ap.add_argument("--version", action="version", version=f"abstractor {__version__}")
    ap.add_argument("--demo", action="store_true", help="open the desktop app on the demo project")
    sub = ap.add_subparsers(dest="command")

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
    r.add_argument("--gpu-layers", type=int)
    r.add_argument("--temperature", type=float)
    r.add_argument("--seed", type=int)
    r.add_argument("--max-output-tokens", type=int, default=0)
    r.set_defaults(func=cmd_run)

    t = sub.add_parser("tasks", help="list the bundled task templates")
    t.set_defaults(func=cmd_tasks)

    e = sub.add_parser("export", help="export a project's results")
    e.add_argument("--project", required=True)
    e.add_argument("--out", required=True, help=".xlsx, .csv or .json")
    e.add_argument("--multi-choice", choices=["columns", "joined"], default="columns")
    e.set_defaults(func=cmd_export)

    from core.cli_more import add_more_commands

    add_more_commands(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if not getattr(args, "command", None):
        ap.print_help()
        return 0
    try:
        return args.func(args)
    except CliError as exc:
        print(f"abstractor: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("abstractor: interrupted; results stored so far are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
