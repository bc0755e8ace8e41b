"""One report through the server, checked exactly as the in-process engine's answers are."""
from __future__ import annotations

import math
import time

from core.answer import check_answer
from core.engine.result import Extraction, TokenRecord, Timings
from core.labels import answer_too_long
from core.prompt import messages
from core.remote.client import ServerClient, StopFlag
from core.remote.errors import ServerRequestError
from core.schema import json_schema, output_model
from core.task import Task


def token_records(logprobs, text: str) -> list[TokenRecord] | None:
    """The answer's tokens with their probabilities, or None when the server returned none that
    line up with the answer text (then confidence is "not available", never estimated)."""
    content = getattr(logprobs, "content", None) if logprobs is not None else None
    if not content:
        return None
    records: list[TokenRecord] = []
    out = b""
    for i, t in enumerate(content):
        piece = bytes(t.bytes) if getattr(t, "bytes", None) else (t.token or "").encode("utf-8")
        if t.logprob is None:
            return None
        records.append(TokenRecord(i, len(out), len(out) + len(piece), math.exp(t.logprob), False))
        out += piece
    return records if out == text.encode("utf-8") else None


class ServerExtractor:
    """Builds each request from the task (same prompt and schema as local runs) and checks the answer."""

    def __init__(self, client: ServerClient, task: Task):
        self.client = client
        self.task = task
        self.schema = json_schema(task, documented=False)
        self.model = output_model(task)
        cfg = client.config
        self.max_tokens = cfg.max_output_tokens or task.options.max_output_tokens

    def extract(self, report_text: str, cancel: StopFlag | None = None) -> Extraction:
        """Raises Cancelled, or a ServerError that stops the run (auth, unavailable); a request the
        server rejects for this report only (too long for its context, say) makes the report failed."""
        t0 = time.perf_counter()
        try:
            resp = self.client.chat(messages(self.task, report_text), self.schema, max_tokens=self.max_tokens,
                                    cancel=cancel)
        except ServerRequestError as exc:
            return Extraction(status="failed", reason=f"{exc} The report was not read.",
                              timings=Timings(total_s=time.perf_counter() - t0))
        choice = resp.choices[0]
        text = choice.message.content or ""
        ex = Extraction(status="ok", raw_output=text)
        usage = resp.usage
        if usage is not None:
            ex.prompt_tokens = usage.prompt_tokens or 0
            ex.output_tokens = usage.completion_tokens or 0
            details = getattr(usage, "prompt_tokens_details", None)
            ex.cached_tokens = (getattr(details, "cached_tokens", 0) or 0) if details is not None else 0
        total = time.perf_counter() - t0
        ex.timings = Timings(decode_s=total, total_s=total)   # the server's time, as seen from here
        if choice.finish_reason == "length":
            ex.status, ex.reason = "failed", answer_too_long(self.max_tokens)
            return ex
        records = token_records(choice.logprobs, text) if self.client.logprobs else None
        return check_answer(ex, self.task, text, report_text, model=self.model, records=records)
