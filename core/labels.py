"""The names the app shows for its settings, for every message that names one.

Preferences (:mod:`gui.settings`) labels its editors with these names, and
messages from the engine, the runner and the CLI say them the same way, so
a message never tells the user to change a setting the window calls
something else (it said "max output tokens" where Preferences says
"Longest answer").
"""
from __future__ import annotations

#: setting key -> the name Preferences shows
SETTING_LABELS: dict[str, str] = {
    "n_ctx": "Context size",
    "n_gpu_layers": "Layers on the GPU",
    "n_threads": "CPU threads",
    "temperature": "Temperature",
    "seed": "Random seed",
    "max_output_tokens": "Longest answer",
    "max_report_tokens": "Longest report",
    "evidence": "Ask for evidence quotes",
    "parallel": "Reports at once",
}

#: where the settings are changed in the app
PREFERENCES_PLACE = "File › Preferences"


def setting(key: str) -> str:
    """“Longest answer” (in File › Preferences): a setting named as the user sees it."""
    return f"“{SETTING_LABELS[key]}” (in {PREFERENCES_PLACE})"


def parallel_mode(n: int) -> str:
    """How a run decoded its reports, as the Run sheet and the run panel say it."""
    if n <= 1:
        return "Reproducible: one report at a time"
    return f"Fast: {n} reports at once"


def answer_too_long(limit: int, retry: int = 0) -> str:
    """Why a report failed when the model's answer reached the length limit (*retry*: a second try's)."""
    tried = f"{limit:,} tokens" + (f", nor within {retry:,} on a second try" if retry > limit else "")
    return (f"The answer did not finish within {tried}; the raw output is kept. Fix: simplify the task "
            f"(fewer or shorter fields) or raise {setting('max_output_tokens')}.")


def report_cut(kept: int, total: int) -> str:
    """The warning for a report longer than the model's context (only its start was read)."""
    return (f"The report is longer than the model's context: only the first {kept:,} of {total:,} characters "
            f"were read. Check the rest by hand, or raise {setting('n_ctx')}.")
