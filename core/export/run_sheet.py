"""The Run sheet's settings: one readable row per setting, one column per run.

A run stores the engine settings it was started with (``EngineSettings``)
plus what the engine made of them (``gpu_layers``: the layers that really
ran on the GPU; ``n_ctx``: the context it sized).  The sheet shows what ran,
under the names Preferences uses, so no row contradicts another: the layers
on the GPU are the ones used (not the request "-1"), a "longest answer" of 0
(meaning "the task's own limit") is shown as that limit, and "0 threads"
as "all cores".
"""
from __future__ import annotations

from typing import Any

from core.labels import parallel_mode
from core.task import Task

# stored key -> label, in the order the sheet lists them (Preferences' words where it has the setting)
LABELS = {
    "parallel": "Reports at once",
    "n_ctx": "Context size (tokens)",
    "n_threads": "CPU threads",
    "gpu_layers": "Layers on the GPU",
    "max_output_tokens": "Longest answer (tokens)",
    "temperature": "Temperature",
    "seed": "Random seed",
    "n_batch": "Batch size (tokens)",
    "chat_template": "Chat template",
    "reuse_prefix": "Reuse the shared start of the prompt",
    "force_tokens": "Append forced tokens without sampling",
    "fast_forward": "Evaluate forced tokens in one batch",
    "think_budget": "Thinking budget (tokens)",
    "host": "Server address",
    "endpoint": "Server endpoint",
}
# what a stored 0 means
_ZERO = {"n_threads": "all cores"}


def readable(settings: dict[str, Any], task: Task) -> dict[str, Any]:
    """Label -> value of one run's settings, as they applied."""
    s = dict(settings or {})
    requested = s.pop("n_gpu_layers", None)
    if "gpu_layers" not in s and requested is not None:   # runs stored before the engine said what it used
        s["gpu_layers"] = "all" if requested < 0 else requested
    if not s.get("max_output_tokens"):
        s["max_output_tokens"] = task.options.max_output_tokens
    s["parallel"] = parallel_mode(int(s.get("parallel") or 1))   # runs before the setting: one at a time
    out: dict[str, Any] = {}
    for key in [*LABELS, *sorted(k for k in s if k not in LABELS)]:
        if key not in s or s[key] is None or isinstance(s[key], (dict, list)) and not s[key]:
            continue
        v = s[key]
        if key in _ZERO and v == 0:
            v = _ZERO[key]
        out[LABELS.get(key, key)] = v
    return out


def settings_rows(runs: list[Any], task: Task) -> list[list[Any]]:
    """A header row ("Setting", "Run 1", ...) and one row per setting; [] without runs."""
    if not runs:
        return []
    per_run = [readable(r.settings, task) for r in runs]
    labels = list(dict.fromkeys(label for s in per_run for label in s))
    return [["Setting", *[f"Run {r.id}" for r in runs]],
            *[[label, *[s.get(label) for s in per_run]] for label in labels]]
