"""An OpenAI-compatible server, through the official ``openai`` client.

The client's own retries are off: :meth:`ServerClient.call` retries 429,
5xx, time-outs and refused connections itself, with exponential backoff
(a server's ``Retry-After`` wins), and waits on the run's cancel flag so a
cancel never waits out a backoff.  One :class:`ServerClient` is shared by
the run's request threads (the ``openai`` client is thread-safe).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import openai

from core.engine.decode import Cancelled
from core.remote.config import ServerConfig
from core.remote.errors import (NoStructuredOutput, ServerAuthError, ServerError, ServerRequestError,
                                ServerUnavailable)
from core.remote.structured import (METHODS, PROBE_MESSAGES, PROBE_SCHEMA, none_supported_message,
                                    probe_passed, request_parts)

log = logging.getLogger(__name__)
T = TypeVar("T")


class StopFlag(Protocol):
    """A cancel flag the retries can wait on (``threading.Event``, the remote runner's stop flag)."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float) -> bool: ...

RETRY_STATUS = (408, 409, 425, 429)
NO_KEY = "no-key"   # servers without authentication ignore it; the openai client needs some value


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "response", None)
    value = resp.headers.get("retry-after") if resp is not None else None
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def _detail(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        msg = body.get("message") or body.get("detail") or body.get("error")
        if isinstance(msg, dict):
            msg = msg.get("message")
        if msg:
            return str(msg).strip().splitlines()[0][:300]
    return (str(exc).strip().splitlines() or [""])[0][:300]


class ServerClient:
    def __init__(self, config: ServerConfig, api_key: str | None):
        self.config = config
        self._client = openai.OpenAI(
            base_url=config.url, api_key=api_key or NO_KEY, max_retries=0,
            timeout=openai.Timeout(config.timeout_s, connect=min(config.timeout_s, 10.0)))
        # A method chosen in the settings is trusted (answers are validated all the same); with
        # logprobs off as well, no probe request is sent at all.
        self.method: str | None = None if config.structured_output == "auto" else config.structured_output
        self.logprobs: bool | None = None if config.logprobs else False   # known after probe()
        self.closed = threading.Event()

    # ---- plumbing -------------------------------------------------------------------
    def call(self, fn: Callable[[], T], cancel: StopFlag | None = None, *, probing: bool = False) -> T:
        """``fn()`` with retries on transient failures; raises a :class:`ServerError` subclass.

        While ``probing``, HTTP 500 counts as a rejected request: some servers (llama-cpp-python)
        answer an unknown request format with 500 rather than 4xx."""
        cfg = self.config
        delay = cfg.backoff_s
        last = ""
        for attempt in range(cfg.retries + 1):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            try:
                return fn()
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                raise ServerAuthError(
                    f"The server at {cfg.host} refused the API key (HTTP {exc.status_code}: {_detail(exc)}). "
                    "Store the right key with 'abstractor key set URL' (or in the model dialog), or set "
                    "ABSTRACTOR_API_KEY.") from None
            except openai.APITimeoutError:
                last = f"no answer within the time-out of {cfg.timeout_s:g} s"
            except openai.APIConnectionError as exc:
                if self.closed.is_set():
                    raise Cancelled() from None
                last = f"could not connect ({_detail(exc.__cause__ or exc)})"
            except openai.APIStatusError as exc:
                if (exc.status_code < 500 and exc.status_code not in RETRY_STATUS) or (
                        probing and exc.status_code == 500):
                    raise ServerRequestError(
                        f"The server at {cfg.host} rejected the request (HTTP {exc.status_code}): "
                        f"{_detail(exc)}") from None
                last = f"HTTP {exc.status_code}: {_detail(exc)}"
                wait = _retry_after(exc)
                if wait is not None:
                    delay = max(delay, wait)
            if attempt == cfg.retries:
                break
            log.info("server %s: %s; retrying in %.1f s", cfg.host, last, delay)
            if cancel is not None:
                if cancel.wait(delay):
                    raise Cancelled()
            else:
                time.sleep(delay)
            delay *= 2
        raise ServerUnavailable(
            f"The server at {cfg.host} did not answer after {cfg.retries + 1} attempts: {last}. "
            "Results stored so far are kept; start the run again to continue where it stopped.")

    def close(self) -> None:
        """Abort requests in flight (their threads see a closed connection) and free the connections."""
        self.closed.set()
        self._client.close()

    # ---- requests -------------------------------------------------------------------
    def list_models(self) -> list[str]:
        page = self.call(lambda: self._client.models.list())
        return sorted(m.id for m in page.data)

    def chat(self, messages: list[Any], schema: dict[str, Any], *, max_tokens: int,
             method: str | None = None, logprobs: bool | None = None,
             cancel: StopFlag | None = None, probing: bool = False):
        """One chat completion constrained to ``schema``; the raw ``ChatCompletion``."""
        cfg = self.config
        kw = request_parts(method or self.method or "json_schema", schema)
        if logprobs if logprobs is not None else (cfg.logprobs and self.logprobs):
            kw.update(logprobs=True, top_logprobs=1)
        return self.call(lambda: self._client.chat.completions.create(
            model=cfg.model, messages=messages, max_tokens=max_tokens, temperature=cfg.temperature,
            seed=cfg.seed, **kw), cancel, probing=probing)

    def probe(self, cancel: StopFlag | None = None) -> str:
        """Find the structured-output method this server honours (and whether it returns logprobs)."""
        if self.method is not None and self.logprobs is not None:
            return self.method
        if self.method is not None and self.method not in METHODS:
            raise ServerRequestError(f"Unknown structured-output method '{self.method}'; "
                                     f"known: {', '.join(METHODS)}.")
        candidates = [self.method] if self.method else list(METHODS)
        tried: dict[str, str] = {}
        for method in candidates:
            try:
                resp = self.chat(PROBE_MESSAGES, PROBE_SCHEMA, max_tokens=24, method=method, logprobs=False,
                                 cancel=cancel, probing=True)
            except ServerRequestError as exc:
                tried[method] = str(exc).split(": ", 1)[-1][:120]
                continue
            text = resp.choices[0].message.content if resp.choices else None
            if probe_passed(text):
                self.method = method
                break
            tried[method] = f"ignored (answered {text!r:.60})"
        else:
            raise NoStructuredOutput(none_supported_message(self.config.host, tried))
        self.logprobs = False
        if self.config.logprobs:
            try:
                resp = self.chat(PROBE_MESSAGES, PROBE_SCHEMA, max_tokens=24, logprobs=True, cancel=cancel,
                                 probing=True)
                lp = resp.choices[0].logprobs if resp.choices else None
                self.logprobs = bool(lp is not None and lp.content)
            except ServerRequestError:
                self.logprobs = False
        log.info("server %s: structured output by %s; logprobs %s", self.config.host, self.method,
                 "returned" if self.logprobs else "not available")
        return self.method


__all__ = ["ServerClient", "ServerError"]
