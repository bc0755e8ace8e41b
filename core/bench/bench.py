"""``abstractor bench`` (``throughput``): reports per minute, engine vs reference vs floor.

One process, one run, one model load; the same reports and task for every
pipeline.  Pipelines: the engine with the task's settings (evidence on by
default) and the floor that replays its forward passes; the reference way
with the same output schema (``baseline``); and, as users compare tools, the
reference way *without* evidence (``reference``: llm_extractinator has none)
beside the engine without evidence (``engine_no_evidence``).  The last line is
always ``speedup_vs_baseline=X.XX floor_ratio=Y.YY`` followed by
``no_evidence_vs_reference=Z.ZZ`` and, when the task asks for evidence,
``default_vs_reference=W.WW`` (reference time over engine time: above 1 is faster).
"""
from __future__ import annotations

import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import psutil

from core.bench.pipelines import PipelineResult, run_baseline, run_engine, run_engine_and_floor
from core.bench.record import Measurement
from core.engine.engine import Engine, EngineSettings, detect_backend, physical_cores
from core.models import require_embedded_model
from core.task import Task


def corpus(n: int) -> list[str]:
    """The demo chest CT reports, then DRAGON synthetic texts if more are asked for."""
    from core.templates import demo_reports_dir

    texts = [p.read_text("utf-8") for p in sorted(demo_reports_dir().glob("*.txt"))]
    if n > len(texts):
        dragon = Path(__file__).resolve().parents[3] / "shared" / "dragon" / "synthetic"
        for f in sorted(dragon.glob("*/nlp-test-dataset.json")):
            for rec in json.loads(f.read_text("utf-8")):
                if "text" in rec:
                    texts.append(rec["text"])
                if len(texts) >= n:
                    break
            if len(texts) >= n:
                break
    return (texts * (n // max(1, len(texts)) + 1))[:n]


class RssSampler:
    """Peak resident memory of this process while a pipeline runs."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def rss() -> int:
        return psutil.Process().memory_info().rss

    def _loop(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.rss())

    def __enter__(self):
        self.peak = self.rss()
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self.rss())


def _row(r: PipelineResult) -> str:
    return (f"{r.name:18s} {r.reports_per_min:8.1f} {r.reports:4d} {r.prompt_tokens:7d} {r.output_tokens:6d} "
            f"{r.load_s:6.2f} {r.prompt_s:7.2f} {r.decode_s:7.2f} {r.constraint_s:7.2f} {r.other_s:6.2f} "
            f"{r.total_s:7.2f} {r.peak_rss_mb:7.0f}")


def main(args) -> int:
    from core.templates import load_bundled

    if args.model == "gemma-test":
        from core.models import gemma_test_model_path

        model = gemma_test_model_path()
    else:
        model = Path(args.model) if args.model else require_embedded_model()
    n = args.reports or (6 if args.quick else 16)
    task: Task = load_bundled("chest_ct_nodules")
    no_evidence = task.model_copy(update={"options": task.options.model_copy(update={"evidence": False})})
    if args.no_evidence:
        task = no_evidence
    texts = corpus(n)
    settings = EngineSettings(n_ctx=4096, n_gpu_layers=-1 if args.gpu else 0)
    print(f"model: {model.name}; {n} reports; task '{task.name}' ({len(task.fields)} fields, "
          f"evidence {'on' if task.options.evidence else 'off'}); threads {physical_cores()}; "
          f"backend {detect_backend()}{' (GPU offload)' if args.gpu else ''}", file=sys.stderr)
    t_load = time.perf_counter()
    engine = Engine(model, settings)
    print(f"model loaded in {time.perf_counter() - t_load:.2f} s "
          f"(tokenizer for masks {engine.tokenizer_s:.2f} s); {engine.describe()}", file=sys.stderr)
    try:
        engine.extract(task, "warm-up")  # grammar compile and first-call costs, outside the timings
        with RssSampler() as mem:
            eng, floor = run_engine_and_floor(engine, task, texts)
        eng.peak_rss_mb = floor.peak_rss_mb = mem.peak / 2**20
        with RssSampler() as mem:
            base = run_baseline(engine, task, texts, max_tokens=task.options.max_output_tokens)
        base.peak_rss_mb = mem.peak / 2**20
        if task.options.evidence:
            engine.extract(no_evidence, "warm-up")
            with RssSampler() as mem:
                eng_plain = run_engine(engine, no_evidence, texts, "engine_no_evidence")
            eng_plain.peak_rss_mb = mem.peak / 2**20
            with RssSampler() as mem:
                ref = run_baseline(engine, no_evidence, texts, max_tokens=no_evidence.options.max_output_tokens,
                                   name="reference")
            ref.peak_rss_mb = mem.peak / 2**20
        else:
            eng_plain, ref = eng, base
    finally:
        engine.close()
    equal = None
    if args.check_equality:
        plain = Engine(model, EngineSettings(**{**settings.__dict__, "fast_forward": False,
                                                "reuse_prefix": False, "force_tokens": False}))
        try:
            plain_values = [plain.extract(task, t).values for t in texts]
        finally:
            plain.close()
        equal = plain_values == eng.values
    print("pipeline           reports/min  n  prompt_tok out_tok  load_s prompt_s decode_s constr_s other_s "
          "total_s peak_MB")
    shown = [eng, base, floor] + ([eng_plain, ref] if task.options.evidence else [])
    for r in shown:
        print(_row(r))
    speedup = base.total_s / eng.total_s
    ratio = eng.total_s / floor.total_s
    plain_vs_ref = ref.total_s / eng_plain.total_s
    default_vs_ref = ref.total_s / eng.total_s if task.options.evidence else None
    targets = [Measurement("speedup_vs_baseline", speedup, "x", 1.0, below=False,
                           note="the engine is faster than the reference pipeline with the same schema"),
               Measurement("floor_ratio", ratio, "x", 1.2, note="engine time over bare forward passes"),
               Measurement("no_evidence_vs_reference", plain_vs_ref, "x", 1.8, below=False,
                           note="--no-evidence against the reference way (no evidence)")]
    if default_vs_ref is not None:
        targets.append(Measurement("default_vs_reference", default_vs_ref, "x", 1.0, below=False,
                                   note="default settings (evidence on) against the reference way (no evidence)"))
    result = {
        "model": model.name, "reports": n, "task": task.name, "evidence": task.options.evidence,
        "machine": {"cpu_cores": os.cpu_count(), "threads": physical_cores(), "backend": detect_backend(),
                    "platform": platform.platform(), "python": platform.python_version()},
        "pipelines": {r.name: {**{k: v for k, v in r.__dict__.items() if k != "values"},
                               "reports_per_min": r.reports_per_min} for r in shown},
        "speedup_vs_baseline": speedup, "floor_ratio": ratio, "identical_to_plain_constrained": equal,
        "no_evidence_vs_reference": plain_vs_ref, "default_vs_reference": default_vs_ref,
        "targets": [m.as_dict() for m in targets],
    }
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    for r in (eng, eng_plain) if task.options.evidence else (eng,):
        print(f"{r.name}: {r.reports - r.failed} of {r.reports} reports ok, {r.out_of_tokens} out of tokens; "
              f"{r.aligned} of {r.quoted} quoted values aligned to the report")
    for m in targets:
        print(m.line())
    if equal is not None:
        print(f"identical_to_plain_constrained={equal}")
    last = f"speedup_vs_baseline={speedup:.2f} floor_ratio={ratio:.2f} no_evidence_vs_reference={plain_vs_ref:.2f}"
    if default_vs_ref is not None:
        last += f" default_vs_reference={default_vs_ref:.2f}"
    print(last)
    if equal is False:
        return 1
    return 1 if args.strict and not all(m.met for m in targets) else 0
