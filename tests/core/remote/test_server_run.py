"""The chest CT demo task against a real OpenAI-compatible server on 127.0.0.1 (llama-cpp-python's
server with the embedded model), through the Python API and through the CLI."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core import api
from core.evidence import align
from core.remote.config import ServerConfig

ROOT = Path(__file__).resolve().parents[3]


def _bytes_of(path: Path) -> bytes:
    """A file's bytes; for .xlsx (a zip) the uncompressed members, where a key would be."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return b"".join(z.read(n) for n in z.namelist())
    return path.read_bytes()


def _check_results(proj, task, n: int) -> dict:
    results = proj.latest_results(task.hash())
    assert len(results) == n
    keys = {f.key for f in task.fields}
    for rid, res in results.items():
        assert res.status in ("ok", "failed"), rid
        if res.status == "failed":
            assert res.reason and not res.values       # nothing filled in for a failed report
            continue
        assert set(res.values) == keys
        text = proj.report(rid).text
        for key, span in res.evidence.items():
            quote = res.quotes.get(key)
            if span is None:
                assert not quote or align(quote, text) is None
                continue
            assert align(quote, text) == tuple(span)       # the same alignment as local runs
            assert 0 <= span[0] < span[1] <= len(text)
        # llama-cpp-python returns logprobs: confidence per field, the probability the model gave its answer
        assert res.confidence and set(res.confidence) <= keys
        assert all(0.0 <= c <= 1.0 for c in res.confidence.values())
    ok = [r for r in results.values() if r.status == "ok"]
    assert ok and any(c > 0 for r in ok for c in r.confidence.values())
    return results


def _run_sheet(path: Path) -> tuple[list, list[list]]:
    wb = openpyxl.load_workbook(path)
    rows = [[c.value for c in r] for r in wb["Run"].iter_rows()]
    return rows[0], [r for r in rows[1:] if r and isinstance(r[0], int)]


@pytest.mark.timeout(2400)   # real server runs; about a minute on an idle 2-core machine
def test_api_runs_the_demo_task_on_the_server(server, api_key, demo_dir, tmp_path):
    task = api.load_task("chest_ct_nodules")
    cfg = ServerConfig.create(server.url, server.alias, concurrency=4, timeout_s=900, retries=1)
    notes = []
    proj, summary = api.run(task, demo_dir(4), project=tmp_path / "demo.abstractor", server=cfg,
                            api_key=api_key, on_warning=notes.append)
    assert summary.state == "finished" and summary.progress.done == 4
    results = _check_results(proj, task, 4)
    assert summary.progress.ok == sum(r.status == "ok" for r in results.values())
    assert any("127.0.0.1" in n and "sent to the server" in n for n in notes)

    run = proj.run(summary.run_id)
    assert run.backend == "server" and run.model_name == server.alias and run.model_path == server.url
    assert run.settings["host"] == "127.0.0.1" and run.settings["concurrency"] == 4
    assert run.settings["structured_output"] == "grammar"    # llama-cpp-python rejects json_schema
    assert run.state == "finished"

    out = api.export(proj, tmp_path / "demo.xlsx", task)
    headers, runs = _run_sheet(out)
    assert headers[-2:] == ["Runs on", "Endpoint"]
    assert runs[-1][1] == server.alias and runs[-1][4] == "server"
    assert runs[-1][9] == "server 127.0.0.1" and runs[-1][10] == server.url
    wb = openpyxl.load_workbook(out)
    res_rows = list(wb["Results"].iter_rows(values_only=True))
    status_col = res_rows[0].index("Status")
    assert sorted(r[status_col] for r in res_rows[1:]) == sorted(r.status for r in results.values())
    proj.close()
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert api_key.encode() not in _bytes_of(f), f


def _cli(*args, env, **kw):
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=900, **kw)


@pytest.mark.timeout(2400)
def test_cli_run_with_the_key_from_the_keyring(server, api_key, demo_dir, tmp_path):
    keyring_home = tmp_path / "keyring-home"      # the keyring's own store, outside what Abstractor writes
    env = {k: v for k, v in os.environ.items() if k != "ABSTRACTOR_API_KEY"}
    env.update(PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring", XDG_DATA_HOME=str(keyring_home))
    r = _cli("key", "set", server.url, env=env, input=api_key + "\n")
    assert r.returncode == 0, r.stderr
    assert "stored the key for http://127.0.0.1:" in r.stderr and api_key not in r.stdout + r.stderr

    work = tmp_path / "work"
    work.mkdir()
    env["ABSTRACTOR_LOG_DIR"] = str(work / "logs")      # the CLI's log file, searched below with the rest
    project, out = work / "cli.abstractor", work / "cli.xlsx"
    r = _cli("run", "--task", "chest_ct_nodules", "--reports", demo_dir(2), "--project", project, "--out", out,
             "--server", server.url, "--server-model", server.alias, "--concurrency", "2",
             "--server-timeout", "900", env=env)
    assert r.returncode == 0, r.stderr
    assert "finished: 2 reports" in r.stderr and "on server 127.0.0.1" in r.stderr
    assert "Report text is sent to the server at 127.0.0.1" in r.stderr
    assert api_key not in r.stdout + r.stderr

    from core.store.project import Project

    task = api.load_task("chest_ct_nodules")
    with Project(project) as proj:
        _check_results(proj, task, 2)
    headers, runs = _run_sheet(out)
    assert runs[-1][4] == "server" and runs[-1][9] == "server 127.0.0.1"
    assert (work / "logs" / "abstractor.log").is_file()
    for f in work.rglob("*"):
        if f.is_file():
            assert api_key.encode() not in _bytes_of(f), f

    r = _cli("key", "status", server.url, env=env)
    assert r.returncode == 0 and ": stored;" in r.stdout and api_key not in r.stdout
