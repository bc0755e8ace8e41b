"""One measured number, its target, and how the benchmarks print and record them.

Wall-clock targets (a stall under 100 ms, a cancel under 0.5 s, ...) are
measured by ``abstractor bench`` and ``abstractor bench-ui``, never asserted
in unit tests: on a busy shared machine they would fail for reasons that are
not the code's.  Each benchmark prints one line per measurement and, with
``--json``, writes them all with the machine they ran on.
"""
from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Measurement:
    name: str                 # what was measured, e.g. "export_10000x20_s"
    value: float
    unit: str                 # "s", "ms", "x"
    limit: float              # the target's bound
    below: bool = True        # True: the value must stay below ``limit``; False: above it
    note: str = ""
    details: dict = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.value < self.limit if self.below else self.value > self.limit

    def line(self) -> str:
        sign = "<" if self.below else ">"
        verdict = "met" if self.met else "MISSED"
        text = f"{self.name}={self.value:.3f} {self.unit} (target {sign} {self.limit:g} {self.unit}: {verdict})"
        return f"{text}; {self.note}" if self.note else text

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


def machine() -> dict:
    """Where the numbers come from: they mean little without it."""
    import psutil

    return {"cpu_logical": os.cpu_count(), "cpu_physical": psutil.cpu_count(logical=False),
            "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
            "platform": platform.platform(), "python": platform.python_version()}


def report(measurements: list[Measurement], json_path: str | Path | None, *, strict: bool = False,
           extra: dict | None = None) -> int:
    """Print one line per measurement, write the JSON record if asked; the exit status.

    The status is 1 only when ``strict`` is set and a target was missed: a
    benchmark records numbers, and whether a miss fails a pipeline is the
    caller's choice.
    """
    for m in measurements:
        print(m.line())
    if json_path:
        record = {"machine": machine(), "measurements": [m.as_dict() for m in measurements], **(extra or {})}
        Path(json_path).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    return 1 if strict and not all(m.met for m in measurements) else 0
