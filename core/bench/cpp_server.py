"""The llama.cpp C++ server as a speed anchor: the same reports through ``llama-server`` with 1 and N slots.

    bash packaging/build-llama-server.sh          # builds (or reuses) it; prints the binary's path
    python -m core.bench.cpp_server --binary PATH [--slots 1 4] [--repeat 2] [--reports 16] [--threads 2]

For each repeat and each slot count, ``llama-server`` is started on the
embedded model (``--parallel S``, ``-c`` = S x 4096, ``--threads T``) and two
clients read the same folder of demo chest CT reports with the bundled chest
CT task, ``S`` requests in flight:

* ``reference``: the way LLMAIx drives llama.cpp: one chat request per report
  with ``response_format`` json_schema holding the task's fields only (no
  evidence), the task's prompt, temperature 0;
* ``abstractor``: Abstractor's own server backend (``api.run`` with a server,
  the task's settings, so evidence on), into a fresh project.

Then, in the same sitting, ``abstractor run --no-evidence`` and ``abstractor
run`` (in-process engine, a process each, model load included) on the same
folder.  Every measurement prints one JSON line with the 1-minute load average
before and after (other work on the machine shows there); the summary gives
each measurement's range over the repeats.  The server's model load is not timed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

CTX_PER_SLOT = 4096
TASK = "chest_ct_nodules"
#: the last line `abstractor run` prints
RUN_LINE = re.compile(r"finished: (?P<reports>\d+) reports in .*?\((?P<ok>\d+) ok, (?P<failed>\d+) failed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """``llama-server`` on loopback for the duration of a ``with`` block (its log in a temporary file)."""

    def __init__(self, binary: Path, model: Path, slots: int, threads: int):
        self.port = free_port()
        self.cmd = [str(binary), "-m", str(model), "--alias", "smollm2", "--host", "127.0.0.1",
                    "--port", str(self.port), "--parallel", str(slots), "-c", str(slots * CTX_PER_SLOT),
                    "--threads", str(threads), "--threads-batch", str(threads), "--seed", "1234"]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "LlamaServer":
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self.proc.returncode}; log: {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"llama-server not ready after 120 s; log: {self.log.name}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def load() -> float:
    return round(os.getloadavg()[0], 2)


def reference_client(url: str, task, texts: list[str], concurrency: int) -> dict:
    """One chat request per report, JSON Schema of the fields only, ``concurrency`` in flight."""
    import openai

    from core.prompt import messages
    from core.schema import json_schema

    plain = task.model_copy(update={"options": task.options.model_copy(update={"evidence": False})})
    schema = json_schema(plain, documented=False)
    fmt: Any = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}}
    client = openai.OpenAI(base_url=url, api_key="no-key", max_retries=0, timeout=1800)

    def one(text: str) -> bool:
        msgs: list[Any] = messages(plain, text)
        resp = client.chat.completions.create(model="smollm2", messages=msgs,
                                              max_tokens=plain.options.max_output_tokens, temperature=0.0,
                                              seed=1234, response_format=fmt)
        choice = resp.choices[0]
        try:
            return choice.finish_reason != "length" and isinstance(json.loads(choice.message.content or ""), dict)
        except json.JSONDecodeError:
            return False

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        ok = list(pool.map(one, texts))
    seconds = time.perf_counter() - t0
    client.close()
    return {"reports": len(texts), "ok": sum(ok), "failed": len(ok) - sum(ok), "seconds": round(seconds, 2)}


def abstractor_run(folder: Path, threads: int, no_evidence: bool) -> dict:
    """``abstractor run`` on the folder in its own process, into a fresh project (model load included)."""
    exe = Path(sys.executable).with_name("abstractor")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(exe), "run", "--task", TASK, "--reports", str(folder), "--project", str(Path(tmp) / "r.abstractor"),
               "--threads", str(threads)] + (["--no-evidence"] if no_evidence else [])
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    done = RUN_LINE.search(proc.stderr)
    if proc.returncode != 0 or done is None:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return {"reports": int(done["reports"]), "ok": int(done["ok"]), "failed": int(done["failed"]),
            "seconds": round(seconds, 2)}


def abstractor_client(url: str, task, folder: Path, concurrency: int) -> dict:
    """Abstractor's own server backend (the task's settings: evidence on) into a fresh project."""
    from core.bench.server import time_server_run

    row = time_server_run(task, folder, url, "smollm2", concurrency)
    return {k: row[k] for k in ("reports", "ok", "failed", "seconds", "structured_output")}


def measure(name: str, fn: Callable[..., dict], *args, **extra) -> dict:
    before = load()
    row = {"measurement": name, **extra, **fn(*args), "load_before": before, "load_after": load()}
    row["reports_per_min"] = round(60 * row["reports"] / row["seconds"], 1)
    print(json.dumps(row), flush=True)
    return row


def summary(rows: list[dict]) -> str:
    lines = ["| measurement | wall time (s) | reports/min | ok | load average (1 min) before → after |",
             "|---|---|---|---|---|"]
    for name in dict.fromkeys(r["measurement"] for r in rows):
        rs = [r for r in rows if r["measurement"] == name]
        secs = [r["seconds"] for r in rs]
        rpm = [r["reports_per_min"] for r in rs]
        loads = ", ".join(f"{r['load_before']:.1f} → {r['load_after']:.1f}" for r in rs)
        lines.append(f"| {name} | {min(secs):.1f}–{max(secs):.1f} | {min(rpm):.1f}–{max(rpm):.1f} "
                     f"| {'/'.join(str(r['ok']) for r in rs)} of {rs[0]['reports']} | {loads} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from core import api
    from core.bench.server import _folder
    from core.models import require_embedded_model

    ap = argparse.ArgumentParser(prog="python -m core.bench.cpp_server", description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", type=Path, required=True, help="llama-server (packaging/build-llama-server.sh)")
    ap.add_argument("--slots", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--reports", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-abstractor-run", action="store_true", help="skip the two `abstractor run` timings")
    args = ap.parse_args(argv)
    task = api.load_task(TASK)
    model = require_embedded_model()
    folder = _folder(args.reports)
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
    rows: list[dict] = []
    try:
        for rep in range(args.repeat):
            for slots in args.slots:
                with LlamaServer(args.binary, model, slots, args.threads) as srv:
                    rows.append(measure(f"llama-server x{slots}, reference client", reference_client,
                                        srv.url, task, texts, slots, repeat=rep, slots=slots))
                    rows.append(measure(f"llama-server x{slots}, Abstractor server backend", abstractor_client,
                                        srv.url, task, folder, slots, repeat=rep, slots=slots))
            if not args.no_abstractor_run:
                for no_ev in (True, False):
                    rows.append(measure(f"abstractor run{' --no-evidence' if no_ev else ''}", abstractor_run,
                                        folder, args.threads, no_ev, repeat=rep))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
