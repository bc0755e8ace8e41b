"""``abstractor bench-ui``: the desktop app's timings, measured and recorded.

Qt cannot live in ``core``, so the window's numbers are measured here, next
to the core benchmarks (``abstractor bench``) and printed and recorded the
same way (:mod:`core.bench.record`):

* ``startup``: a new process to a usable window, without the model (target 2 s, bound 4 s);
* ``open``: opening a folder of 10,000 files, first rows on screen (target 2 s, bound 4 s);
* ``stall``: the longest the window stops answering while the model reads 3 demo
  reports (bound 100 ms);
* ``cancel``: Cancel in the middle of a report to the end of the run (bound 0.5 s).

The unit tests check the behaviour behind each (the window opens, rows come,
the timer keeps ticking, a cancel ends the run); only here are the times
compared with targets.  The settings and user data are temporary: the
user's own are never touched.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROBES = ("startup", "open", "stall", "cancel")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="abstractor bench-ui", description=(
        "Measure the desktop app's timings (start-up, opening 10,000 files, UI stalls during a run, "
        "cancel) against their targets."))
    ap.add_argument("what", nargs="*", help=f"which to measure: {', '.join(PROBES)} (default: all)")
    ap.add_argument("--model", help="GGUF model for stall and cancel (default: the embedded model)")
    ap.add_argument("--json", help="also record the numbers as JSON")
    ap.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    unknown = [w for w in args.what if w not in PROBES]
    if unknown:
        ap.error(f"unknown measurement {unknown[0]!r}: choose from {', '.join(PROBES)}")
    what = args.what or list(PROBES)
    before = os.environ.get("ABSTRACTOR_DATA_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ABSTRACTOR_DATA_DIR"] = str(Path(tmp) / "data")  # never the user's own tasks and projects
        try:
            return _measure(what, args, Path(tmp))
        finally:
            if before is None:
                os.environ.pop("ABSTRACTOR_DATA_DIR", None)
            else:
                os.environ["ABSTRACTOR_DATA_DIR"] = before


def _measure(what: list[str], args, tmp: Path) -> int:
    from core.bench.record import Measurement, report
    from core.models import require_embedded_model

    measurements: list[Measurement] = []
    if "startup" in what:
        from gui.bench.startup import measure_startup

        measurements.append(measure_startup())
    if set(what) & {"open", "stall", "cancel"}:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from gui.bench import probes
        from gui.main_window import MainWindow
        from gui.settings import Settings

        app = QApplication.instance() or QApplication(["abstractor"])
        window = MainWindow(Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)))
        window.resize(1500, 900)
        window.show()
        try:
            if "open" in what:
                measurements += probes.first_rows(window)
            if {"stall", "cancel"} & set(what):
                relay = probes.Relay(window.host.worker)
                probes.open_demo_reports(window, tmp / "demo", probes.STALL_REPORTS)
                probes.load(window, relay, Path(args.model) if args.model else require_embedded_model())
                if "stall" in what:
                    measurements.append(probes.stall_during_run(window, relay))
                if "cancel" in what:
                    measurements.append(probes.cancel_mid_report(window, relay))
        finally:
            window.shutdown()
            window.close()
            app.processEvents()
    return report(measurements, args.json, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
