"""Privacy (issue 10): files are user-only, logs hold no report text or values unless debug
logging is switched on (with a warning), and the whole local pipeline works with every socket
refused.  The blocked-socket run takes about 20 seconds on 2 busy cores."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.engine.result import Extraction
from core.export import export
from core.logs import DEBUG_ENV, LOG_DIR_ENV, setup_logging
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Task

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
TASK = Task(name="P", fields=[Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")])


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
def test_project_wal_shm_exports_and_log_are_user_only(tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    old = os.umask(0o022)   # the usual umask, which made these files 0644
    try:
        p = Project(tmp_path / "study.abstractor")
        p.add_reports([Report.make_ready("a.txt", "a.txt", "Nodule 8 mm.", 12)])
        h = p.set_current_task(TASK)
        run = p.start_run(TASK, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                          backend="cpu", settings={}, app_version="test")
        p.save_result(run, h, "a.txt", Extraction(status="ok", values={"size_mm": 8.0}))
        files = [tmp_path / "study.abstractor", tmp_path / "study.abstractor-wal", tmp_path / "study.abstractor-shm"]
        for suffix in (".xlsx", ".csv", ".json"):
            files += export(p, TASK, tmp_path / f"out{suffix}")
        log = setup_logging(debug=False)
        logging.getLogger("core.test").warning("a line")
        files.append(log)
        for f in files:
            assert f.exists(), f
            assert mode(f) == 0o600, (f.name, oct(mode(f)))
        p.close()
    finally:
        os.umask(old)


@pytest.fixture(autouse=True)
def _restore_logging():
    root, native = logging.getLogger(), logging.getLogger("llama_cpp.native")
    levels = root.level, native.level
    yield
    _reset_logging()
    root.setLevel(levels[0])
    native.setLevel(levels[1])


def _reset_logging() -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        if type(h).__name__ == "_Handler":
            root.removeHandler(h)
            h.close()
    logging.captureWarnings(False)


def test_logs_hold_no_report_text_unless_debug_is_switched_on(tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    secret = "Mevrouw Jansen, nodule 17 mm"
    warned: list[str] = []
    try:
        log = setup_logging(debug=False, warn=warned.append)
        assert not warned
        try:
            raise ValueError(f"could not parse {secret!r}")
        except ValueError:
            logging.getLogger("gui.engine_host").exception("run failed")
        logging.getLogger("llama_cpp.native").debug("prompt: %s", secret)
        from pypdf import PdfReader   # a damaged PDF: pypdf's complaint goes to the log
        (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n")
        try:
            PdfReader(str(tmp_path / "bad.pdf"))
        except Exception:  # noqa: BLE001 - only the log line matters here
            pass
        text = log.read_text("utf-8")
        assert "run failed" in text and "ValueError" in text and "message hidden" in text
        assert secret not in text and "17 mm" not in text
        assert "EOF marker not found" in text

        monkeypatch.setenv(DEBUG_ENV, "1")
        setup_logging(warn=warned.append)
        assert warned and "may contain report text" in warned[0] and str(log) in warned[0]
        try:
            raise ValueError(f"could not parse {secret!r}")
        except ValueError:
            logging.getLogger("gui.engine_host").exception("run failed")
        assert secret in log.read_text("utf-8")
    finally:
        _reset_logging()   # before the log folder goes


BLOCKED = textwrap.dedent("""
    import sys

    def refuse(event, args):
        if event.startswith("socket.") :
            raise PermissionError(f"network blocked by the test: {event}")

    sys.addaudithook(refuse)
    import socket
    try:
        socket.socket()
    except PermissionError:
        pass
    else:
        raise SystemExit("the block does not work")

    from pathlib import Path
    from core import api
    from core.engine.engine import EngineSettings
    from core.task import Field, FieldType, Task

    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    task = Task(name="Nodule", instructions="Chest CT report.", fields=[
        Field(key="nodule_present", type=FieldType.YES_NO), Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")])
    project, summary = api.run(task, folder, project=out / "p.abstractor", settings=EngineSettings(n_threads=1))
    assert summary.state == "finished" and summary.progress.done == 2, summary
    from core.review import actions

    h = task.hash()
    actions.set_value(project, "a.txt", h, task.fields[1], 9.0)
    actions.accept(project, "a.txt", h)
    from core.review.state import load_state

    assert load_state(project, "a.txt", h).values["size_mm"] == 9.0
    for suffix in (".xlsx", ".csv", ".json"):
        api.export(project, out / f"results{suffix}", task)
    print("pipeline ok")
""")


@pytest.mark.model
def test_whole_local_pipeline_runs_with_sockets_blocked(tmp_path, model_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("CT thorax: nodule van 8 mm rechts.", "utf-8")
    (folder / "b.txt").write_text("CT thorax: geen noduli.", "utf-8")
    r = subprocess.run([sys.executable, "-c", BLOCKED, str(folder), str(tmp_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "pipeline ok" in r.stdout
    assert all((tmp_path / f"results{s}").stat().st_size > 0 for s in (".xlsx", ".csv", ".json"))
