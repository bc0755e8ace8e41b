"""The three pipelines the benchmark compares, on one model and one corpus.

1. ``engine``: Abstractor's engine exactly as the app uses it.
2. ``baseline``: how the reference tool (llm_extractinator over Ollama)
   drives the model: per report a full chat prompt with no prefix reuse
   (state reset between reports) and the JSON Schema turned into a
   llama.cpp GBNF grammar (``LlamaGrammar``) for sampling.
3. ``floor``: the bare forward passes the engine's work needs: the same
   uncached prompt tokens and the same output tokens in the same batches,
   with no grammar and no Python beyond the calls.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import cast

import llama_cpp

from core.engine.engine import Engine
from core.schema import gbnf, json_schema
from core.task import Task


@dataclass
class PipelineResult:
    name: str
    reports: int = 0
    load_s: float = 0.0
    prompt_tokens: int = 0          # prompt tokens evaluated (not cached)
    output_tokens: int = 0
    prompt_s: float = 0.0
    decode_s: float = 0.0
    constraint_s: float = 0.0       # grammar/mask computation and sampling
    other_s: float = 0.0
    total_s: float = 0.0            # extraction time, model load excluded
    peak_rss_mb: float = 0.0
    values: list = field(default_factory=list)
    failed: int = 0                 # reports without a usable answer
    out_of_tokens: int = 0          # of which: the answer did not finish within its budget
    quoted: int = 0                 # values with an evidence quote
    aligned: int = 0                # of which: the quote was found in the report

    @property
    def reports_per_min(self) -> float:
        return 60.0 * self.reports / self.total_s if self.total_s else 0.0


def _engine_report(engine: Engine, task: Task, text: str, eng: PipelineResult) -> None:
    t0 = time.perf_counter()
    ex = engine.extract(task, text)
    eng.total_s += time.perf_counter() - t0
    eng.prompt_tokens += ex.prompt_tokens - ex.cached_tokens
    eng.output_tokens += ex.output_tokens
    eng.prompt_s += ex.timings.prompt_s
    eng.decode_s += ex.timings.decode_s
    eng.constraint_s += ex.timings.mask_s
    eng.values.append(ex.values if ex.status == "ok" else {"failed": ex.reason})
    if ex.status != "ok":
        eng.failed += 1
        eng.out_of_tokens += ex.output_tokens > 0 and "did not finish" in (ex.reason or "")
    else:
        quoted = [k for k, q in ex.quotes.items() if q]
        eng.quoted += len(quoted)
        eng.aligned += sum(ex.evidence.get(k) is not None for k in quoted)
    eng.reports += 1


def run_engine(engine: Engine, task: Task, texts: list[str], name: str) -> PipelineResult:
    """The engine alone on each report (for a second mode of the same run, e.g. without evidence)."""
    eng = PipelineResult(name, load_s=engine.load_s + engine.tokenizer_s)
    for text in texts:
        _engine_report(engine, task, text, eng)
    eng.other_s = eng.total_s - eng.prompt_s - eng.decode_s - eng.constraint_s
    return eng


def run_engine_and_floor(engine: Engine, task: Task, texts: list[str]) -> tuple[PipelineResult, PipelineResult]:
    """The engine on each report, each followed at once by the floor's replay of it.

    Interleaving puts both pipelines under the same machine conditions (this
    matters on shared or throttled CPUs).  The floor keeps the cached prefix the
    engine kept, evaluates the same new prompt tokens, then the same output
    tokens in the same batches; afterwards the context holds exactly what the
    engine left, so the next report starts from the same state.
    """
    eng = PipelineResult("engine", load_s=engine.load_s + engine.tokenizer_s)
    floor = PipelineResult("floor", load_s=engine.load_s)
    llm = engine.llm
    for text in texts:
        _engine_report(engine, task, text, eng)
        st = engine.last_stats
        new_prompt = engine.last_tokens[st.cached_tokens:]
        t0 = time.perf_counter()
        llm.n_tokens = st.cached_tokens
        llm._ctx.kv_cache_seq_rm(-1, st.cached_tokens, -1)
        llm.eval(new_prompt)
        t1 = time.perf_counter()
        for b in st.batches:
            llm.eval(b)
        t2 = time.perf_counter()
        floor.prompt_s += t1 - t0
        floor.decode_s += t2 - t1
        floor.total_s += t2 - t0
        floor.prompt_tokens += len(new_prompt)
        floor.output_tokens += sum(len(b) for b in st.batches)
        floor.reports += 1
    eng.other_s = eng.total_s - eng.prompt_s - eng.decode_s - eng.constraint_s
    floor.other_s = floor.total_s - floor.prompt_s - floor.decode_s
    return eng, floor


def run_baseline(engine: Engine, task: Task, texts: list[str], max_tokens: int,
                 name: str = "baseline") -> PipelineResult:
    """The reference tool's way, on the same loaded model (load time counted once, as for the engine):
    one chat request per report, the whole prompt evaluated each time, a JSON-Schema grammar."""
    llm = engine.llm
    res = PipelineResult(name, load_s=engine.load_s)
    schema = json_schema(task, documented=False)
    t_grammar = time.perf_counter()
    grammar = llama_cpp.LlamaGrammar.from_string(gbnf(task), verbose=False)
    grammar_s = time.perf_counter() - t_grammar
    ctx = llm._ctx.ctx
    t0 = time.perf_counter()
    for text in texts:
        tokens = engine.tokenize(engine.render_prompt(task, text))
        llm.reset()
        llm._ctx.kv_cache_clear()
        llama_cpp.llama_perf_context_reset(ctx)
        out = cast(dict, llm.create_completion(tokens, max_tokens=max_tokens, temperature=0.0, grammar=grammar,
                                               seed=engine.settings.seed))  # not streamed: one response
        perf = llama_cpp.llama_perf_context(ctx)
        res.prompt_s += perf.t_p_eval_ms / 1000
        res.decode_s += perf.t_eval_ms / 1000
        res.prompt_tokens += perf.n_p_eval
        res.output_tokens += out["usage"]["completion_tokens"]
        try:
            res.values.append(json.loads(out["choices"][0]["text"]))
        except json.JSONDecodeError:
            res.values.append({"failed": "invalid JSON"})
        res.reports += 1
    res.total_s = time.perf_counter() - t0 + grammar_s
    res.constraint_s = res.total_s - res.prompt_s - res.decode_s  # grammar sampling + Python
    del schema
    return res
