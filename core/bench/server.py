"""Reports per minute on an inference server (1 and N requests at once) against the in-process engine.

    python -m core.bench.server --server http://127.0.0.1:8080/v1 --server-model smollm2 \\
        [--reports 12] [--concurrency 1 4] [--threads 2]

Every pipeline reads the same demo chest CT reports with the same task into a
fresh project; times are wall-clock per run (the server's model is already
loaded; the engine's load is timed separately).  The key comes from the keyring
or ``ABSTRACTOR_API_KEY``.  Prints one JSON line per pipeline.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _folder(n: int) -> Path:
    from core.templates import demo_reports_dir

    d = Path(tempfile.mkdtemp(prefix="abstractor-bench-"))
    files = sorted(demo_reports_dir().glob("*.txt"))
    for i in range(n):
        src = files[i % len(files)]
        shutil.copy(src, d / f"{i:03d}_{src.name}")
    return d


def _row(name: str, summary, seconds: float, **extra) -> dict:
    p = summary.progress
    return {"pipeline": name, "reports": p.done, "ok": p.ok, "failed": p.failed, "seconds": round(seconds, 2),
            "reports_per_min": round(60 * p.done / seconds, 2) if seconds else 0.0, "state": summary.state, **extra}


def time_server_run(task, folder: Path, url: str, model: str, concurrency: int) -> dict:
    """One run of ``task`` over ``folder`` through Abstractor's server backend into a fresh project."""
    from core import api, secrets
    from core.remote.config import ServerConfig

    cfg = ServerConfig.create(url, model, concurrency=concurrency, timeout_s=1800)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proj, summary = api.run(task, folder, project=Path(tmp) / "b.abstractor", server=cfg,
                                api_key=secrets.api_key(cfg.url))
        row = _row(f"server x{concurrency}", summary, time.perf_counter() - t0, concurrency=concurrency,
                   structured_output=proj.run(summary.run_id).settings.get("structured_output"))
        proj.close()
    return row


def main(argv: list[str] | None = None) -> int:
    from core import api
    from core.engine.engine import EngineSettings

    ap = argparse.ArgumentParser(prog="python -m core.bench.server", description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--server-model", required=True)
    ap.add_argument("--reports", type=int, default=12)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--threads", type=int, default=0, help="in-process engine threads (0: all cores)")
    ap.add_argument("--no-engine", action="store_true", help="skip the in-process engine")
    args = ap.parse_args(argv)
    task = api.load_task("chest_ct_nodules")
    folder = _folder(args.reports)
    rows = []
    for n in args.concurrency:
        rows.append(time_server_run(task, folder, args.server, args.server_model, n))
        print(json.dumps(rows[-1]), flush=True)
    if not args.no_engine:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            proj, summary = api.run(task, folder, project=Path(tmp) / "b.abstractor",
                                    settings=EngineSettings(n_threads=args.threads))
            rows.append(_row("in-process engine", summary, time.perf_counter() - t0,
                             note="includes the one model load"))
            proj.close()
        print(json.dumps(rows[-1]), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
