"""``abstractor review import``: read back the Excel export after a review in Excel.

Changed values become reviewer corrections (the audit trail names the file),
the Review and Review comment columns set each report's decision, and the
summary says what changed.  A spreadsheet that breaks the task's rules is
rejected as a whole, with every problem listed, and the project is left as
it was.
"""
from __future__ import annotations

from pathlib import Path

from core.cli.common import CliError


def cmd_import(args) -> int:
    from core.export.importing import ImportRejected, import_review
    from core.store.project import Project

    if not Path(args.project).is_file():
        raise CliError(f"Project not found: {args.project}")
    if not Path(args.source).is_file():
        raise CliError(f"Spreadsheet not found: {args.source}")
    with Project(args.project) as project:
        try:
            summary = import_review(project, args.source, reviewer=args.reviewer)
        except ImportRejected as exc:
            raise CliError(str(exc)) from None
    print(summary.text())
    return 0


def register(sub) -> None:
    r = sub.add_parser("review", help="review results outside the app")
    actions = r.add_subparsers(dest="review_command", required=True)
    i = actions.add_parser("import", help="import a reviewed Excel export: corrected values, Review and comments")
    i.add_argument("--project", required=True, help="the project file the spreadsheet was exported from")
    i.add_argument("--from", dest="source", required=True, metavar="FILE.xlsx",
                   help="the Excel export, with values corrected and the Review column filled in")
    i.add_argument("--reviewer", help="the name the audit trail records (default: your user name)")
    i.set_defaults(func=cmd_import)
