"""The ``abstractor`` entry point.

With a subcommand it runs the headless CLI (``core.cli``) and never
imports Qt.  ``bench-ui`` measures the desktop app's timings (``gui.bench``).
Without a subcommand (or with ``--demo``) it opens the desktop app.
"""
from __future__ import annotations

import sys

SUBCOMMANDS = {"run", "tasks", "export", "evaluate", "dragon", "bench", "accuracy", "review", "key"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench-ui"]:
        from gui.bench import main as bench_ui

        return bench_ui(argv[1:])
    wants_cli = any(a in SUBCOMMANDS for a in argv[:1]) or any(
        a in ("-h", "--help", "--version", "--self-test") for a in argv)
    if wants_cli:
        from core.cli import main as cli_main

        return cli_main(argv)
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    raise SystemExit(main())
