"""The limit on one report's length (kept free of heavy imports: the CLI's help and the
preferences read it without loading llama.cpp).

A report longer than the limit is not read: the runner stores it as skipped with a
reason that states its size, the limit and how to raise it.  Without a limit, one
concatenated 3 MB export kept a run busy for more than 15 minutes.
"""
from __future__ import annotations

#: about four 8k-token context windows (~130,000 characters of prose)
DEFAULT_MAX_REPORT_TOKENS = 32768


def too_long_reason(tokens: int, chars: int, limit: int, *, exact: bool = True) -> str:
    about = "" if exact else "about "
    return (f"Not read: the report is {about}{tokens:,} tokens long ({chars:,} characters), over the limit of "
            f"{limit:,} tokens for one report. To read it, raise 'Longest report' in Preferences "
            f"(or --max-report-tokens on the command line), or split the file into smaller reports.")
