"""``abstractor bench parallel``: several reports at once, N = 1, 2, 4 and 8.

One model load.  First the engine reads the corpus one report at a time (the
"Reproducible" mode, as ``abstractor run --parallel 1``); then, for each N, the
batch reader (core.engine.batch) reads the same corpus with N sequences, and
its floor replays exactly the llama.cpp calls that read made (the same
batches and cache edits, no grammar, no Python decisions).  For every N the
table gives reports per minute, the speed-up over one at a time, the floor
ratio, how many fields differ from one at a time, and, on the demo reports,
how many fields equal the gold labels.  The last line is
``parallel_speedup_N1=… N2=… N4=… N8=… floor_ratio_max=…``.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.accuracy.score import same
from core.accuracy.sets import demo_set
from core.bench.bench import corpus
from core.bench.record import Measurement
from core.engine.batch import BatchReader
from core.engine.engine import Engine, EngineSettings, detect_backend, physical_cores
from core.engine.result import Extraction
from core.models import require_embedded_model
from core.task import Task

SIZES = (1, 2, 4, 8)


@dataclass
class ModeResult:
    name: str
    total_s: float = 0.0
    floor_s: float = 0.0
    output_tokens: int = 0
    values: list[dict[str, Any] | None] = field(default_factory=list)   # per report; None: failed

    def per_min(self, n: int) -> float:
        return 60.0 * n / self.total_s if self.total_s else 0.0


def _values(ex: Extraction) -> dict[str, Any] | None:
    return ex.values if ex.status == "ok" else None


def one_at_a_time(engine: Engine, task: Task, texts: list[str]) -> ModeResult:
    res = ModeResult("one at a time")
    t0 = time.perf_counter()
    out = [engine.extract(task, t) for t in texts]
    res.total_s = time.perf_counter() - t0
    res.values = [_values(ex) for ex in out]
    res.output_tokens = sum(ex.output_tokens for ex in out)
    return res


def together(engine: Engine, task: Task, texts: list[str], n: int) -> ModeResult:
    reader = BatchReader(engine, n)
    try:
        reader.read(task, [(str(i), *_prepared(engine, task, t)) for i, t in enumerate(["warm-up"] * n)],
                    None, lambda k: None, lambda k, ex: None)           # first-call costs, outside the timings
        reader.prefix, reader.trace = [], []
        results: dict[str, Extraction] = {}
        prepared = [(str(i), *_prepared(engine, task, t)) for i, t in enumerate(texts)]
        t0 = time.perf_counter()
        reader.read(task, prepared, None, lambda k: None, results.__setitem__)
        res = ModeResult(f"{n} at once", total_s=time.perf_counter() - t0)
        trace, reader.trace = reader.trace, None
        t0 = time.perf_counter()
        reader.replay(trace)
        res.floor_s = time.perf_counter() - t0
    finally:
        reader.close()
    ordered = [results[str(i)] for i in range(len(texts))]
    res.values = [_values(ex) for ex in ordered]
    res.output_tokens = sum(ex.output_tokens for ex in ordered)
    return res


def _prepared(engine: Engine, task: Task, text: str) -> tuple[str, list[int], list[str]]:
    p = engine.prepare(task, text)
    if p is None:
        raise ValueError("a bench report is longer than the context")
    return p


def differing_fields(a: list[dict | None], b: list[dict | None], task: Task) -> int:
    """Fields whose value differs between two reads of the same reports (a failed report: all)."""
    n = 0
    for x, y in zip(a, b):
        for f in task.fields:
            if x is None or y is None:
                n += (x is None) != (y is None)
            elif x.get(f.key) != y.get(f.key):
                n += 1
    return n


def right_fields(values: list[dict | None], texts: list[str], task: Task) -> tuple[int, int]:
    """(fields equal to the demo gold labels, fields scored) over the reports that are demo reports."""
    labelled = demo_set()
    gold_by_text = {text: labelled.gold[rid] for rid, text in labelled.reports}
    right = scored = 0
    for v, text in zip(values, texts):
        gold = gold_by_text.get(text)
        if gold is None:
            continue
        for f in task.fields:
            scored += 1
            right += v is not None and same(f, v.get(f.key), gold.get(f.key))
    return right, scored


def main(args) -> int:
    from core.templates import load_bundled

    model = Path(args.model) if args.model else require_embedded_model()
    n_reports = args.reports or (6 if args.quick else 16)
    task: Task = load_bundled("chest_ct_nodules")
    if args.no_evidence:
        task = task.model_copy(update={"options": task.options.model_copy(update={"evidence": False})})
    texts = corpus(n_reports)
    sizes = (1, 2) if args.quick else SIZES
    engine = Engine(model, EngineSettings(n_ctx=2048, n_gpu_layers=-1 if args.gpu else 0, parallel=1))
    print(f"model: {model.name}; {n_reports} reports; task '{task.name}' (evidence "
          f"{'on' if task.options.evidence else 'off'}); threads {physical_cores()}; backend {detect_backend()}",
          file=sys.stderr)
    try:
        engine.extract(task, "warm-up")
        base = one_at_a_time(engine, task, texts)
        modes = [together(engine, task, texts, n) for n in sizes]
    finally:
        engine.close()
    print("mode             reports/min speedup floor_ratio out_tok differing_fields right_vs_gold")
    rows: list[dict[str, Any]] = []
    ratios: list[float] = []
    for m in [base, *modes]:
        right, scored = right_fields(m.values, texts, task)
        diff = differing_fields(base.values, m.values, task)
        speed = base.total_s / m.total_s
        ratio = m.total_s / m.floor_s if m.floor_s else None
        if ratio is not None:
            ratios.append(ratio)
        rows.append({"mode": m.name, "reports_per_min": m.per_min(n_reports), "speedup": speed,
                     "floor_ratio": ratio, "output_tokens": m.output_tokens, "differing_fields": diff,
                     "fields": len(texts) * len(task.fields), "right": right, "scored": scored,
                     "total_s": m.total_s, "floor_s": m.floor_s})
        print(f"{m.name:16s} {m.per_min(n_reports):11.1f} {speed:7.2f} "
              f"{'' if ratio is None else f'{ratio:.2f}':>11s} {m.output_tokens:7d} "
              f"{diff:6d} of {len(texts) * len(task.fields):<4d} {right:5d} of {scored}")
    targets = [Measurement("floor_ratio_max", max(ratios), "x", 1.2,
                           note="batched reads over their bare forward passes")]
    if args.json:
        Path(args.json).write_text(json.dumps({"model": model.name, "reports": n_reports, "rows": rows,
                                               "targets": [m.as_dict() for m in targets]}, indent=2) + "\n")
    for t in targets:
        print(t.line())
    print(" ".join([f"parallel_speedup_N{n}={r['speedup']:.2f}" for n, r in zip(sizes, rows[1:])]
                   + [f"floor_ratio_max={max(ratios):.2f}"]))
    return 1 if args.strict and not all(t.met for t in targets) else 0
