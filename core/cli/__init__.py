"""The headless command line: ``abstractor run|tasks|export|evaluate|dragon|bench|accuracy|review|key``.

Running ``abstractor`` with no subcommand opens the desktop app; that is
handled by ``gui.launcher``, which calls :func:`main` for everything else.
Each subcommand lives in its own module with a ``register(sub)`` function;
:func:`build_parser` lists them explicitly.
"""
from __future__ import annotations

import argparse
import sys

from core.cli import accuracy, bench, evaluate, review, run, server
from core.cli.common import CliError, progress_line

__all__ = ["CliError", "build_parser", "main", "progress_line"]


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="abstractor", description=(
        "Turn a folder of clinical reports into a reviewed spreadsheet with a local LLM. "
        "Without a command, the desktop app opens."))
    ap.add_argument("--version", action="store_true",
                    help="show the version, the llama.cpp backend and the licences of the bundled parts")
    ap.add_argument("--self-test", action="store_true", help=(
        "check this installation without a display: run the bundled model on the demo reports, "
        "export to Excel and read it back; exit status 0 when every step passes"))
    ap.add_argument("--demo", action="store_true", help="open the desktop app on the demo project")
    sub = ap.add_subparsers(dest="command")

    run.register(sub)
    evaluate.register(sub)
    bench.register(sub)
    accuracy.register(sub)
    review.register(sub)
    server.register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.version:
        from core.about import version_text

        print(version_text())
        return 0
    if args.self_test:
        from core.selftest import run_selftest

        return run_selftest()
    if not getattr(args, "command", None):
        ap.print_help()
        return 0
    from core.logs import setup_logging

    setup_logging(warn=lambda m: print(f"abstractor: warning: {m}", file=sys.stderr))
    try:
        return args.func(args)
    except CliError as exc:
        print(f"abstractor: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("abstractor: interrupted; results stored so far are kept", file=sys.stderr)
        return 130
