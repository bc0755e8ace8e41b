"""A real OpenAI-compatible server for tests: llama-cpp-python's server with the embedded model,
on 127.0.0.1 only.  Used by tests/core/remote and the GUI's server test."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    def __init__(self, model_path: Path, log_path: Path, *, api_key: str | None = None, port: int | None = None,
                 alias: str = "smollm2", threads: int = 1, n_ctx: int = 2048):
        self.model_path, self.log_path, self.api_key = Path(model_path), Path(log_path), api_key
        self.port = port or free_port()
        self.alias, self.threads, self.n_ctx = alias, threads, n_ctx
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 180.0) -> "LlamaServer":
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path), "--model_alias",
               self.alias, "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
               "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads)]
        if self.api_key:
            cmd += ["--api_key", self.api_key]
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                     env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        log.close()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the test server exited ({self.proc.returncode}): "
                                   f"{self.log_path.read_text(errors='replace')[-2000:]}")
            if self.models() is not None:
                return self
            time.sleep(0.3)
        self.kill()
        raise RuntimeError(f"the test server did not start within {timeout:.0f} s")

    def models(self) -> list[str] | None:
        req = urllib.request.Request(self.url + "/models")
        if self.api_key:
            req.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                return [m["id"] for m in json.load(r)["data"]]
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()
