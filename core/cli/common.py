"""What every subcommand shares: the user-facing error and the progress line."""
from __future__ import annotations


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def fmt_s(s: float | None) -> str:
    if s is None:
        return "--:--"
    s = int(s)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def progress_line(p) -> str:
    width = 24
    filled = int(width * p.done / p.total) if p.total else width
    bar = "#" * filled + "." * (width - filled)
    part = f" (part {p.part} of {p.parts})" if p.parts > 1 else ""
    skipped = f"  skipped {p.skipped}" if p.skipped else ""
    return (f"[{bar}] {p.done}/{p.total}  ok {p.ok}  failed {p.failed}{skipped}  "
            f"{p.reports_per_min:.1f} reports/min  ETA {fmt_s(p.eta_s)}  {p.current[-40:]}{part}")


def engine_settings(args):
    from core.engine.engine import EngineSettings

    s = EngineSettings()
    if args.threads:
        s.n_threads = args.threads
    if args.gpu_layers is not None:
        s.n_gpu_layers = args.gpu_layers
    if args.temperature is not None:
        s.temperature = args.temperature
    if args.seed is not None:
        s.seed = args.seed
    if args.max_output_tokens:
        s.max_output_tokens = args.max_output_tokens
    if getattr(args, "max_report_tokens", None) is not None:   # only `run` has this option
        s.max_report_tokens = args.max_report_tokens
    if getattr(args, "parallel", None) is not None:
        s.parallel = args.parallel
    return s
