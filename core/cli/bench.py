"""``abstractor bench``: the core benchmarks (``core.bench``), which measure and record.

``throughput`` (the default) compares reports/min of the engine, the
reference pipeline and the bare forward passes; ``parallel`` reads the same
reports N = 1, 2, 4 and 8 at a time (core.bench.parallel); ``prompt``
times prompt evaluation per batch size, flash attention and threads; ``export``, ``read`` and
``cancel`` time a 10,000-report Excel export, reading 10,000 files and the
engine's cancel.  Each prints its numbers against their targets; ``--json``
records them.  The desktop app's own timings are ``abstractor bench-ui``
(``gui.bench``), since Qt cannot live in core.
"""
from __future__ import annotations

from pathlib import Path

from core.cli.common import CliError


def _bench(args) -> int:
    if args.what == "throughput":
        from core.bench.bench import main

        return main(args)
    if args.what == "prompt":
        from core.bench.prompt_eval import main as prompt_main

        return prompt_main(args)
    if args.what == "parallel":
        from core.bench.parallel import main as parallel_main

        return parallel_main(args)
    from core.bench.record import report

    if args.what == "export":
        from core.bench.sizes import measure_export

        return report([measure_export()], args.json, strict=args.strict)
    if args.what == "read":
        from core.bench.sizes import measure_read

        return report([measure_read()], args.json, strict=args.strict)
    from core.bench.latency import measure_cancel
    from core.models import require_embedded_model

    if args.model == "gemma-test":
        from core.models import gemma_test_model_path

        model = gemma_test_model_path()
    else:
        model = Path(args.model) if args.model else require_embedded_model()
    if not model.is_file():
        raise CliError(f"Model not found: {model}")
    return report([measure_cancel(model, threads=args.threads)], args.json, strict=args.strict)


def register(sub) -> None:
    b = sub.add_parser("bench", help="measure and record speed: throughput (reports/min), parallel (N reports at "
                                     "once), prompt (prompt evaluation settings), export, read, cancel")
    b.add_argument("what", nargs="?", default="throughput",
                   choices=("throughput", "parallel", "prompt", "export", "read", "cancel"),
                   help="what to measure (default: throughput)")
    b.add_argument("--quick", action="store_true", help="throughput: small corpus (under 2 minutes on 2 cores)")
    b.add_argument("--model",
                   help="GGUF model (default: the embedded model; 'gemma-test': the Gemma 3 270M test model)")
    b.add_argument("--gpu", action="store_true", help="offload all layers to the GPU")
    b.add_argument("--reports", type=int, default=0, help="throughput: number of reports (default: 16, quick: 6)")
    b.add_argument("--threads", type=int, default=0, help="cancel: model threads (default: all physical cores)")
    b.add_argument("--no-evidence", action="store_true")
    b.add_argument("--json", help="also record the numbers as JSON")
    b.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    b.add_argument("--check-equality", action="store_true",
                   help="throughput: also run a plain constrained path and check the answers are identical")
    b.set_defaults(func=_bench)
