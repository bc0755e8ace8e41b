"""Reasoning models: a ``<think>`` block is let through before the constrained answer.

No reasoning model is available here, so the thought is scripted: the
embedded model's logits are replaced by a fixed token stream for as long as
the script lasts, then the real logits take over for the answer.  What is
checked is the engine's handling: the thought ends at ``</think>``, at an
end-of-text token or at the think budget; it is kept in the raw output; the
answer after it is parsed and validated as usual.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from core.schema import output_model
from core.task import Field, FieldType, Option, Task

TASK = Task(name="Chest CT", fields=[
    Field(key="nodule_present", type=FieldType.YES_NO),
    Field(key="lobe", type=FieldType.CHOICE, options=[Option(value=v) for v in ("upper lobe", "lower lobe")]),
])
REPORT = "CT chest: part-solid nodule of 12 mm in the left lower lobe."


@pytest.fixture
def scripted(engine, monkeypatch):
    """``scripted(text, extra=[])``: while it thinks, the model 'says' ``text`` (then the tokens
    ``extra``); returns the list of script tokens not yet used.  The answer after the thought
    is the real model's."""
    monkeypatch.setattr(engine.chat, "reasoning", True)
    real = engine.decoder._logits
    thinking = [False]
    generate_until = engine.decoder.generate_until

    def think(*args, **kwargs):
        thinking[0] = True
        try:
            return generate_until(*args, **kwargs)
        finally:
            thinking[0] = False

    monkeypatch.setattr(engine.decoder, "generate_until", think)

    def script(text: str, extra: list[int] | None = None) -> list[int]:
        tokens = engine.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False) + list(extra or [])
        left = list(tokens)

        def logits() -> np.ndarray:
            if not thinking[0] or not left:
                return real()
            z = np.full(engine.decoder.n_vocab, -1e9, dtype=np.float32)
            z[left.pop(0)] = 0.0
            return z

        monkeypatch.setattr(engine.decoder, "_logits", logits)
        return left

    return script


def _spoken(engine, text: str) -> str:
    """``text`` as the engine's token-by-token detokenizing produces it."""
    tokens = engine.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    return b"".join(engine.llm.detokenize([t]) for t in tokens).decode("utf-8")


def _answer_checks(ex, thought: str) -> None:
    assert ex.status == "ok", (ex.reason, ex.raw_output)
    assert ex.raw_output.startswith(thought + "{"), ex.raw_output      # the thought, then the compact answer
    answer = json.loads(ex.raw_output[len(thought):])
    assert set(answer) >= {f.key for f in TASK.fields}
    output_model(TASK).model_validate(ex.values)
    for span in ex.evidence.values():                                    # offsets in the report, not the thought
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(REPORT)


def test_the_thought_ends_at_the_closing_tag_and_the_answer_follows(engine, scripted):
    thought = "The report says a nodule of 12 mm, left lower lobe.</think>"
    left = scripted(thought)
    ex = engine.extract(TASK, REPORT)
    assert left == []                                                    # every scripted token was read
    _answer_checks(ex, _spoken(engine, thought))


def test_a_thought_that_never_ends_is_cut_at_the_think_budget(engine, scripted, monkeypatch):
    monkeypatch.setattr(engine.settings, "think_budget", 10)
    words = "hmm " * 40
    left = scripted(words)
    total = len(engine.llm.tokenize(words.encode(), add_bos=False, special=False))
    ex = engine.extract(TASK, REPORT)
    assert len(left) == total - 10                                       # exactly the budget was thought
    said = engine.llm.tokenize(words.encode(), add_bos=False, special=False)[:10]
    _answer_checks(ex, b"".join(engine.llm.detokenize([t]) for t in said).decode())


def test_an_end_of_text_token_ends_the_thought_and_is_not_kept(engine, scripted):
    eos = engine.decoder.stop_tokens[0]
    left = scripted("short thought", extra=[eos])
    ex = engine.extract(TASK, REPORT)
    assert left == []
    _answer_checks(ex, _spoken(engine, "short thought"))
