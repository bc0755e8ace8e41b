"""``abstractor bench``: the throughput benchmark (``core.bench``)."""
from __future__ import annotations


def _bench(args) -> int:
    from core.bench.bench import main

    return main(args)


def register(sub) -> None:
    b = sub.add_parser("bench", help="measure reports/min: engine vs reference pipeline vs floor")
    b.add_argument("--quick", action="store_true", help="small corpus (under 2 minutes on 2 cores)")
    b.add_argument("--model", help="GGUF model (default: the embedded model; 'gemma-test': the Gemma 3 270M test model)")
    b.add_argument("--gpu", action="store_true", help="offload all layers to the GPU")
    b.add_argument("--reports", type=int, default=0, help="number of reports (default: 16, quick: 6)")
    b.add_argument("--no-evidence", action="store_true")
    b.add_argument("--json", help="also write the numbers as JSON")
    b.add_argument("--check-equality", action="store_true",
                   help="also run a plain constrained path and check the answers are identical")
    b.set_defaults(func=_bench)
