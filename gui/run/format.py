"""Plain-language text for run progress (pure Python, no Qt)."""
from __future__ import annotations

from core.runner import Progress, RunSummary

WHICH_LABELS = {
    "not_run": "Reports not yet run",
    "all": "All reports",
    "failed": "Failed reports only",
    "selection": "Selected reports",
}


def duration(seconds: float | None) -> str:
    """'45 s', '3 min', '1 h 5 min'."""
    if seconds is None:
        return ""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s} s" if m < 10 and s else f"{m} min"
    h, m = divmod(m, 60)
    return f"{h} h {m} min" if m else f"{h} h"


def eta_text(p: Progress) -> str:
    if p.done >= p.total:
        return ""
    if p.eta_s is None:
        return "Estimating time left…"
    if p.eta_s < 60:
        return "Less than a minute left"
    return f"About {duration(p.eta_s)} left"


def speed_text(p: Progress) -> str:
    parts = []
    if p.done:
        parts.append(f"{p.reports_per_min:.1f} reports/min")
    if p.tokens_per_s:
        parts.append(f"{p.tokens_per_s:.0f} tokens/s")
    return " · ".join(parts)


def counts_text(p: Progress) -> str:
    return f"{p.ok} ok · {p.failed} failed · {p.skipped} skipped"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_text(s: RunSummary) -> str:
    """One sentence on how a run ended."""
    p = s.progress
    counts = f"{p.ok} ok, {p.failed} failed" + (f", {p.skipped} skipped" if p.skipped else "")
    took = f" in {duration(p.elapsed_s)}" if p.elapsed_s >= 1 else ""
    if s.state == "finished":
        if p.total == 0:
            return "Nothing to run: every chosen report already has a result."
        return f"Finished: {plural(p.done, 'report')} read ({counts}){took}."
    if s.state == "cancelled":
        return (f"Cancelled after {p.done} of {plural(p.total, 'report')} ({counts}). "
                "Results stored so far are kept; run 'Reports not yet run' to continue.")
    return (s.error or "The run stopped because of an error.") + " Results stored so far are kept."
