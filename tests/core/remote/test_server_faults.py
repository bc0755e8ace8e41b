"""Faults against the real server: killed mid-run and restarted, a wrong key, a slow server."""
from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core import api
from core.remote.config import ServerConfig
from core.remote.errors import ServerAuthError
from core.runner import RunCallbacks
from core.store.project import Project
from tests.core.remote.llama_server import LlamaServer

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.timeout(2400)
def test_server_killed_mid_run_then_restarted_and_the_run_resumes(model_path, tmp_path, demo_dir):
    srv = LlamaServer(model_path, tmp_path / "server.log").start()
    try:
        task = api.load_task("chest_ct_nodules")
        cfg = ServerConfig.create(srv.url, srv.alias, concurrency=1, timeout_s=600, retries=2, backoff_s=0.2)
        proj = Project(tmp_path / "p.abstractor")
        proj.add_reports(api.read_reports(demo_dir(2)))
        killed = []

        def on_progress(p):
            if p.done == 1 and not killed:      # right after the first result was committed
                srv.kill()
                killed.append(time.monotonic())

        _, first = api.run(task, None, project=proj, server=cfg, on_progress=on_progress)
        assert killed and first.state == "error"
        assert "did not answer after 3 attempts" in first.error and "could not connect" in first.error
        stored = proj.run_results(first.run_id)
        assert len(stored) == 1                  # what arrived before the crash is kept ...
        assert proj.run(first.run_id).state == "error"
        # ... and no report was marked failed for the server's fault
        assert all(r.status in ("ok", "failed") and "server" not in (r.reason or "") for r in stored.values())

        srv.start()                              # the same address again
        _, second = api.run(task, None, project=proj, server=cfg)
        assert second.state == "finished" and second.run_id == first.run_id   # resumed, not restarted
        assert second.progress.done == 1 and second.progress.total == 1
        assert len(proj.run_results(first.run_id)) == 2
        assert proj.run(first.run_id).state == "finished"
        proj.close()
    finally:
        srv.kill()


def test_wrong_api_key_gives_a_clear_error(server, api_key, tmp_path, demo_dir):
    task = api.load_task("chest_ct_nodules")
    cfg = ServerConfig.create(server.url, server.alias, retries=0)
    wrong = "sk-wrong-" + api_key[-6:][::-1]
    proj = Project(tmp_path / "p.abstractor")
    reports = demo_dir(1)
    with pytest.raises(ServerAuthError) as info:
        api.run(task, reports, project=proj, server=cfg, api_key=wrong)
    msg = str(info.value)
    assert "refused the API key (HTTP 401" in msg and "abstractor key set" in msg and wrong not in msg
    assert proj.runs() == []                     # nothing was started
    proj.close()

    env = {**os.environ, "ABSTRACTOR_API_KEY": wrong}
    r = subprocess.run([sys.executable, "-m", "core.cli", "run", "--task", "chest_ct_nodules", "--reports",
                        str(reports), "--server", server.url, "--server-model",
                        server.alias, "--server-retries", "0"],
                       cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1].startswith("abstractor: The server at 127.0.0.1 refused the API key")
    assert wrong not in r.stderr + r.stdout


class SlowProxy:
    """A TCP hop in front of the real server that, while ``delay`` is set, holds each request for that
    many seconds before passing it on: a server that takes ``delay`` seconds to start answering.  A request
    whose client gives up first is dropped, so the real server does no work for it."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.delay = 0.0
        self.held = 0                 # requests dropped because the client gave up waiting
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            first = client.recv(65536)
            if self.delay:
                until = time.monotonic() + self.delay
                while time.monotonic() < until:
                    ready, _, _ = select.select([client], [], [], 0.1)
                    if ready:
                        more = client.recv(65536)
                        if not more:            # the client gave up waiting
                            self.held += 1
                            return
                        first += more
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            upstream.sendall(first)
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            self._pipe(upstream, client)
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                if s is not None:
                    s.close()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


def test_a_slow_server_runs_into_the_time_out(server, api_key, tmp_path, demo_dir):
    proxy = SlowProxy(server.port)
    try:
        task = api.load_task("chest_ct_nodules")
        # the method given and logprobs off: no probe request, so only the reports meet the slow server
        cfg = ServerConfig.create(f"http://127.0.0.1:{proxy.port}/v1", server.alias, concurrency=1,
                                  timeout_s=2.0, retries=1, backoff_s=0.1, structured_output="grammar",
                                  logprobs=False)
        proj = Project(tmp_path / "p.abstractor")
        proj.add_reports(api.read_reports(demo_dir(2)))
        callbacks_started = []

        def started(run_id, total):          # the server turns slow once the run has started
            proxy.delay = 30.0
            callbacks_started.append(run_id)

        from core.remote.runner import RemoteRunner

        summary = RemoteRunner(proj, task, cfg, api_key, callbacks=RunCallbacks(started=started)).run()
        assert callbacks_started and summary.state == "error"
        assert "did not answer after 2 attempts: no answer within the time-out of 2 s" in summary.error
        assert proj.run_results(summary.run_id) == {}      # a time-out is not a failed report
        deadline = time.monotonic() + 10
        while proxy.held < 2 and time.monotonic() < deadline:   # the proxy notices the closed connections
            time.sleep(0.05)
        assert proxy.held == 2                              # both attempts gave up waiting
        assert proj.run(summary.run_id).state == "error"
        proj.close()
    finally:
        proxy.close()
