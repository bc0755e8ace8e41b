"""The app's preferences, declared once with their defaults.

Every option lives in :data:`OPTIONS` (name, default, type, label, help).
:class:`Settings` reads and writes them through a ``QSettings`` it is given
(the app passes the default one; tests pass an INI file in a temp folder).
Dialogs only load and save values through this class; nothing else knows
the QSettings keys.  There is no module-level settings object: the main
window owns one :class:`Settings` and hands it to whoever needs it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from core.labels import SETTING_LABELS
from core.limits import DEFAULT_MAX_REPORT_TOKENS

RECENT_LIMIT = 10


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    type: type
    label: str = ""
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    special: str = ""   # shown instead of the minimum value (e.g. "Automatic" for 0)
    named: tuple[tuple[int, str], ...] = ()   # other values shown as words, e.g. ((1, "One at a time"),)
    suffix: str = ""    # after the other numbers, e.g. " reports"


_ALL = (
    # ---- model and decoding (shown in Preferences) --------------------------
    Option("n_ctx", 0, int, SETTING_LABELS["n_ctx"] + " (tokens)",
           "How much text the model reads at once. Automatic sizes it to the longest report.", 0, 131072,
           "Automatic"),
    Option("n_gpu_layers", -1, int, SETTING_LABELS["n_gpu_layers"],
           "How much of the model runs on the graphics card. All is fastest; lower it if memory runs out. "
           "Ignored when no graphics card is used.", -1, 999, "All"),
    Option("n_threads", 0, int, SETTING_LABELS["n_threads"],
           "Processor threads used by the model. Automatic uses all cores but one, so the window stays "
           "responsive while the model works.",
           0, 256, "Automatic"),
    Option("temperature", 0.0, float, SETTING_LABELS["temperature"],
           "0 gives the same answer every time (recommended for data extraction).", 0.0, 2.0),
    Option("seed", 1234, int, SETTING_LABELS["seed"], "Makes runs repeatable.", 0, 2_147_483_647),
    Option("max_output_tokens", 0, int, SETTING_LABELS["max_output_tokens"] + " (tokens)",
           "Upper limit for one report's answer. Task default uses the limit stored in the task.", 0, 32768,
           "Task default"),
    Option("max_report_tokens", DEFAULT_MAX_REPORT_TOKENS, int,
           SETTING_LABELS["max_report_tokens"] + " (tokens)",
           "Reports longer than this are not read: they are listed as skipped, with their size, so one "
           "huge file cannot hold up a run. Raise it to read them (they take long); No limit reads every "
           "report.", 0, 1_048_576, "No limit"),
    Option("parallel", 0, int, SETTING_LABELS["parallel"],
           "Reports the model reads together. One at a time is reproducible: a report always gets the same "
           "answer. Several at once is faster (2-3 times on the processor in our tests), "
           "but a report read beside others "
           "can get a slightly different answer than alone (the same folder with the same setting still "
           "gives the same answers). Automatic: one at a time on the processor, 8 on a graphics card.",
           0, 16, "Automatic", ((1, "One at a time"),), " reports"),
    Option("evidence", True, bool, SETTING_LABELS["evidence"],
           "New tasks ask the model to quote the sentence each value comes from, so reviewers can check it."),
    # ---- remembered state --------------------------------------------------
    Option("model_path", "", str),
    Option("server_url", "", str),          # the last inference server chosen (never its key)
    Option("server_model", "", str),
    Option("server_concurrency", 4, int, minimum=1, maximum=64),
    Option("server_timeout", 300, int, minimum=5, maximum=3600),
    Option("recent_models", [], list),
    Option("recent_projects", [], list),
    Option("last_dir", "", str),
    Option("window_geometry", QByteArray(), QByteArray),
    Option("window_state", QByteArray(), QByteArray),
    Option("splitter_state", QByteArray(), QByteArray),
)
OPTIONS: dict[str, Option] = {o.name: o for o in _ALL}
PREFERENCES = ("n_ctx", "n_gpu_layers", "n_threads", "temperature", "seed", "max_output_tokens",
               "max_report_tokens", "parallel", "evidence")


def _coerce(value: Any, opt: Option) -> Any:
    """QSettings returns strings from INI files and odd types for lists: normalise."""
    if value is None:
        return opt.default
    try:
        if opt.type is bool:
            return value.strip().lower() in ("true", "1", "yes") if isinstance(value, str) else bool(value)
        if opt.type is int:
            return int(float(value))
        if opt.type is float:
            return float(value)
        if opt.type is list:
            data = json.loads(value) if isinstance(value, str) else value
            return [str(v) for v in data] if isinstance(data, list) else list(opt.default)
        if opt.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray(bytes(value))
        return str(value)
    except (TypeError, ValueError):
        return opt.default


class Settings:
    """Typed access to :data:`OPTIONS` stored in a QSettings."""

    def __init__(self, qsettings: QSettings | None = None):
        self.qsettings = qsettings if qsettings is not None else QSettings()

    # ---- single options -----------------------------------------------------------
    def get(self, name: str) -> Any:
        opt = OPTIONS[name]
        value = _coerce(self.qsettings.value(name), opt)
        if opt.minimum is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = min(max(value, opt.type(opt.minimum)), opt.type(opt.maximum))
        return value

    def set(self, name: str, value: Any) -> None:
        opt = OPTIONS[name]
        if opt.type is list:
            value = json.dumps([str(v) for v in value])
        elif opt.type not in (QByteArray,):
            value = opt.type(value)
        self.qsettings.setValue(name, value)

    def reset(self, name: str) -> None:
        self.qsettings.remove(name)

    def preferences(self) -> dict[str, Any]:
        return {name: self.get(name) for name in PREFERENCES}

    def sync(self) -> None:
        self.qsettings.sync()

    # ---- engine -------------------------------------------------------------------
    # (gui_threads below: "Automatic" in the app leaves one core to the user interface)
    def engine_settings(self):
        """An :class:`core.engine.engine.EngineSettings` from the preferences."""
        from core.engine.engine import EngineSettings

        s = EngineSettings()
        if self.get("n_ctx") > 0:  # 0: automatic (the runner sizes the context to the reports)
            s.n_ctx = self.get("n_ctx")
        s.n_gpu_layers = self.get("n_gpu_layers")
        s.n_threads = self.get("n_threads") or gui_threads()
        s.temperature = self.get("temperature")
        s.seed = self.get("seed")
        s.max_output_tokens = self.get("max_output_tokens")
        s.max_report_tokens = self.get("max_report_tokens")
        s.parallel = self.get("parallel")
        return s

    # ---- recent files ------------------------------------------------------------
    def _push_recent(self, name: str, path: str | Path) -> None:
        p = str(path)
        items = [x for x in self.get(name) if x != p]
        self.set(name, [p, *items][:RECENT_LIMIT])

    def recent_models(self) -> list[str]:
        return self.get("recent_models")

    def add_recent_model(self, path: str | Path) -> None:
        self._push_recent("recent_models", path)

    def recent_projects(self) -> list[str]:
        return self.get("recent_projects")

    def add_recent_project(self, path: str | Path) -> None:
        self._push_recent("recent_projects", path)

    def forget_recent_project(self, path: str | Path) -> None:
        self.set("recent_projects", [x for x in self.recent_projects() if x != str(path)])


def gui_threads() -> int:
    """'Automatic' CPU threads in the app: all physical cores but one (at least one).

    llama.cpp's threads busy-wait between steps; on a small machine a model using every core
    made the window stall up to 96 ms (tests/gui/run), so the app leaves one core free.
    The command line uses all cores."""
    from core.engine.engine import physical_cores

    return max(1, physical_cores() - 1)
