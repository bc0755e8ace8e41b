"""``abstractor bench cancel``: how soon the engine stops after a cancel.

The cancel flag is checked between prompt chunks (sized to about 0.2 s of
work) and between tokens.  This sets it at several moments during a long
report, on the real model, and records the worst time from setting the flag
to the engine raising :class:`~core.engine.decode.Cancelled`.  Target:
under 0.5 s.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from core.bench.record import Measurement
from core.engine.decode import Cancelled
from core.engine.engine import Engine, EngineSettings
from core.task import Task

DELAYS_S = (0.3, 1.0, 2.0)


def cancel_latency(engine: Engine, task: Task, report: str, delay_s: float) -> float:
    """Seconds from setting the cancel flag ``delay_s`` into ``report`` to ``Cancelled``."""
    cancel = threading.Event()
    stamps: dict[str, float] = {}

    def fire() -> None:
        time.sleep(delay_s)
        stamps["set"] = time.perf_counter()
        cancel.set()

    timer = threading.Thread(target=fire)
    timer.start()
    try:
        engine.extract(task, report, cancel=cancel)
    except Cancelled:
        return time.perf_counter() - stamps["set"]
    finally:
        timer.join()
    raise RuntimeError(f"the report was read in under {delay_s} s; use a longer one to time a cancel")


def measure_cancel(model: Path, threads: int = 0) -> Measurement:
    from core.templates import demo_reports_dir, demo_task

    task = demo_task()
    first = sorted(demo_reports_dir().glob("*.txt"))[0].read_text("utf-8")
    report = "\n".join([first] * 12)
    engine = Engine(model, EngineSettings(n_ctx=8192, n_threads=threads))
    try:
        engine.extract(task, first)  # grammar compile and first-call costs, outside the timings
        latencies = [cancel_latency(engine, task, report, d) for d in DELAYS_S]
    finally:
        engine.close()
    return Measurement("engine_cancel_latency_max_s", max(latencies), "s", 0.5,
                       note="worst of cancels at " + ", ".join(f"{d:g}" for d in DELAYS_S) + " s into a long report",
                       details={"latencies_s": [round(x, 4) for x in latencies], "model": model.name})
