"""Run a task over a project's reports on an inference server, N requests at a time.

The same project, statuses, callbacks and summaries as the in-process
:class:`core.runner.Runner`: each result is committed the moment it arrives
(so a SIGKILL loses nothing already answered), an interrupted run of the
same task, server and model resumes, pause stops sending new requests, and
cancel aborts the requests in flight.  A server that stays unreachable,
refuses the key or offers no structured output ends the run with state
"error" and a plain message; no report is marked failed for a server fault.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from core import __version__
from core.engine.decode import Cancelled
from core.engine.result import Extraction
from core.remote.client import ServerClient
from core.remote.config import ServerConfig
from core.remote.errors import ServerError
from core.remote.extract import ServerExtractor
from core.reports.model import SKIPPED
from core.runner import Progress, RunCallbacks, RunControl, RunSummary
from core.store.project import Project
from core.store.rows import ResultStatus
from core.task import Task

log = logging.getLogger(__name__)
BACKEND = "server"


def privacy_notice(config: ServerConfig) -> str:
    """Said every time a run starts: where the report text goes."""
    if config.is_loopback:
        return (f"Report text is sent to the server at {config.host} (a server on this computer), "
                f"model {config.model}.")
    return (f"Report text leaves this workstation for {config.host} (model {config.model})"
            + (", over plain http: unencrypted." if config.insecure else ", over https."))


class _Stop:
    """Set when the user cancels or the run stops for a server fault; waits poll both."""

    def __init__(self, cancel: threading.Event):
        self.cancel = cancel
        self.local = threading.Event()

    def is_set(self) -> bool:
        return self.cancel.is_set() or self.local.is_set()

    def wait(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while not self.is_set():
            left = end - time.monotonic()
            if left <= 0:
                break
            self.local.wait(min(left, 0.05))
        return self.is_set()


class RemoteRunner:
    def __init__(self, project: Project, task: Task, config: ServerConfig, api_key: str | None = None, *,
                 control: RunControl | None = None, callbacks: RunCallbacks | None = None,
                 client: ServerClient | None = None):
        config.check()
        self.project = project
        self.task = task
        self.config = config
        self._api_key = api_key
        self.control = control or RunControl()
        self.cb = callbacks or RunCallbacks()
        self._client = client

    def describe(self, method: str | None = None) -> dict:
        return {"model": self.config.model, "backend": f"server {self.config.host}", "endpoint": self.config.url,
                "structured_output": method, "concurrency": self.config.concurrency}

    def _resumable_run(self, task_hash: str) -> int | None:
        for run in reversed(self.project.runs(task_hash)):
            if (run.state in ("running", "cancelled", "error") and run.backend == BACKEND
                    and run.model_name == self.config.model and run.settings.get("endpoint") == self.config.url):
                return run.id
            break
        return None

    def _commit(self, run_id: int, task_hash: str, rid: str, ex: Extraction, progress: Progress, t0: float):
        self.project.save_result(run_id, task_hash, rid, ex)
        progress.done += 1
        progress.ok += ex.status == ResultStatus.OK
        progress.failed += ex.status == ResultStatus.FAILED
        progress.output_tokens += ex.output_tokens
        progress.generation_s += ex.timings.total_s
        progress.elapsed_s = time.perf_counter() - t0
        self.cb.result(rid, ex)
        self.cb.progress(progress)

    def run(self, which: str = "not_run", selection: list[str] | None = None) -> RunSummary:
        """Raises ServerError when the server cannot be used at all (nothing is started then)."""
        cfg = self.config
        task_hash = self.project.save_task(self.task)
        report_ids = self.project.reports_to_run(task_hash, which, selection)
        progress = Progress(total=len(report_ids))
        progress.skipped = self.project.report_count(SKIPPED)
        client = self._client or ServerClient(cfg, self._api_key)
        try:
            return self._run(client, which, task_hash, report_ids, progress)
        finally:
            if self._client is None:
                client.close()

    def _run(self, client: ServerClient, which: str, task_hash: str, report_ids: list[str],
             progress: Progress) -> RunSummary:
        cfg = self.config
        stop = _Stop(self.control.cancel)
        try:
            method = client.probe(stop)
        except Cancelled:
            return RunSummary(run_id=0, state="cancelled", progress=progress, engine_info=self.describe())
        self.cb.warning(privacy_notice(cfg))
        if not client.logprobs:
            why = (f"the server at {cfg.host} returns no token probabilities" if cfg.logprobs else
                   "token probabilities were not asked for")
            self.cb.warning(f"Confidence is 'not available' for this run: {why}.")
        run_id = self._resumable_run(task_hash) if which == "not_run" else None
        if run_id is None:
            run_id = self.project.start_run(
                self.task, model_path=cfg.url, model_name=cfg.model, model_size=0, model_sha256="",
                backend=BACKEND, settings={**cfg.record(method), "logprobs_returned": bool(client.logprobs)},
                app_version=__version__)
        else:
            self.project.finish_run(run_id, "running")
        self.cb.started(run_id, len(report_ids))
        t0 = time.perf_counter()
        state, error = self._loop(client, stop, run_id, task_hash, report_ids, progress, t0)
        progress.elapsed_s = time.perf_counter() - t0
        progress.current = ""
        self.cb.progress(progress)
        self.project.finish_run(run_id, state)
        if error:
            self.cb.warning(error)
        return RunSummary(run_id=run_id, state=state, progress=progress, error=error,
                          engine_info=self.describe(method))

    def _loop(self, client: ServerClient, stop: _Stop, run_id: int, task_hash: str, report_ids: list[str],
              progress: Progress, t0: float) -> tuple[str, str | None]:
        extractor = ServerExtractor(client, self.task)
        pending = deque(report_ids)
        inflight: dict[Future, str] = {}
        state, error = "finished", None
        pool = ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="abstractor-server")
        try:
            while True:
                if self.control.cancel.is_set():
                    state = "cancelled"
                    break
                while pending and len(inflight) < self.config.concurrency and not self.control.paused:
                    rid = pending.popleft()
                    text = self.project.report(rid).text
                    inflight[pool.submit(extractor.extract, text, stop)] = rid
                if not inflight:
                    if not pending:
                        break
                    self.control.cancel.wait(0.05)      # paused with nothing in flight
                    continue
                progress.current = next(iter(inflight.values()))
                progress.elapsed_s = time.perf_counter() - t0
                done, _ = wait(inflight, timeout=0.1, return_when=FIRST_COMPLETED)
                for fut in done:
                    rid = inflight.pop(fut)
                    try:
                        ex = fut.result()
                    except Cancelled:
                        continue
                    except ServerError as exc:
                        state, error = "error", error or str(exc)
                        continue
                    self._commit(run_id, task_hash, rid, ex, progress, t0)
                if error:
                    break
        finally:
            if inflight or state != "finished":
                stop.local.set()
                client.close()        # aborts the requests still in flight
            pool.shutdown(wait=False, cancel_futures=True)
        return state, error
