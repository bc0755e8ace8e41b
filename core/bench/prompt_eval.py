"""``abstractor bench prompt``: prompt evaluation speed under the settings that drive it.

Prompt evaluation is most of a run's time on a CPU.  This times llama.cpp
evaluating the bench corpus's prompts (the demo chest CT reports with the
bundled task, the whole prompt each time, no prefix reuse) for each batch
size, with flash attention off and on, and with one thread per physical core
and with one thread fewer; and it reports how long the fixed part of the
prompt (instructions, field guide) is next to the report.  Each setting loads
the model afresh and is timed over the same prompts twice (the better pass is
kept: the first warms caches).  Prints one line per setting and, last,
``best=<setting> tokens_per_s=…``.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

import llama_cpp

from core.bench.bench import corpus
from core.engine.engine import Engine, EngineSettings, physical_cores
from core.models import require_embedded_model
from core.task import Task

BATCH_SIZES = (64, 128, 256, 512)


def _prompts(model: Path, task: Task, texts: list[str]) -> tuple[list[list[int]], int]:
    engine = Engine(model, EngineSettings(n_ctx=4096, n_gpu_layers=0))
    try:
        prompts = [engine.tokenize(engine.render_prompt(task, t)) for t in texts]
        fixed = len(engine.tokenize(engine.render_prompt(task, "")))
    finally:
        engine.close()
    return prompts, fixed


def time_setting(model: Path, prompts: list[list[int]], *, n_batch: int, flash: bool, threads: int) -> float:
    """Prompt tokens per second for one setting (best of two passes)."""
    with contextlib.redirect_stderr(io.StringIO()):
        llm = llama_cpp.Llama(str(model), n_ctx=4096, n_batch=n_batch, n_ubatch=n_batch, n_threads=threads,
                              n_threads_batch=threads, n_gpu_layers=0, flash_attn=flash, verbose=False)
    try:
        best = 0.0
        total = sum(len(p) for p in prompts)
        for _ in range(2):
            t0 = time.perf_counter()
            for p in prompts:
                llm.reset()
                llm._ctx.kv_cache_clear()
                llm.eval(p)
            best = max(best, total / (time.perf_counter() - t0))
        return best
    finally:
        llm.close()


def main(args) -> int:
    from core.templates import load_bundled

    model = Path(args.model) if args.model else require_embedded_model()
    task: Task = load_bundled("chest_ct_nodules")
    texts = corpus(args.reports or (4 if args.quick else 12))
    prompts, fixed = _prompts(model, task, texts)
    mean = sum(len(p) for p in prompts) / len(prompts)
    print(f"model: {model.name}; {len(prompts)} prompts, mean {mean:.0f} tokens, of which {fixed} fixed "
          f"(instructions and field guide: {100 * fixed / mean:.0f} %)", file=sys.stderr)
    cores = physical_cores()
    settings = [(b, False, cores) for b in BATCH_SIZES] + [(256, True, cores)]
    if cores > 1:
        settings.append((256, False, cores - 1))
    rows: list[dict[str, Any]] = []
    for n_batch, flash, threads in settings:
        rate = time_setting(model, prompts, n_batch=n_batch, flash=flash, threads=threads)
        name = f"batch={n_batch} flash_attn={'on' if flash else 'off'} threads={threads}"
        rows.append({"setting": name, "n_batch": n_batch, "flash_attn": flash, "threads": threads,
                     "tokens_per_s": rate})
        print(f"{name:40s} {rate:8.1f} prompt tokens/s")
    if args.json:
        Path(args.json).write_text(json.dumps({"model": model.name, "fixed_tokens": fixed, "mean_prompt_tokens": mean,
                                               "rows": rows}, indent=2) + "\n", "utf-8")
    best = max(rows, key=lambda r: r["tokens_per_s"])
    print(f"best={best['setting'].replace(' ', ',')} tokens_per_s={best['tokens_per_s']:.1f}")
    return 0
