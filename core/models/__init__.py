"""Model files: the embedded demo model, the speed-test model, GGUF metadata."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir

from core.locations import resources_dir

EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_MODEL_NAME = "SmolLM2-135M-Instruct (Q4_1, demo model)"
GEMMA_TEST_MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"

DEMO_MODEL_NOTICE = (
    "The embedded SmolLM2-135M demo model is for demonstrations, tests and timing only: "
    "it gets about a third of fields right. Choose a real instruct model (for example "
    "Qwen2.5-7B/14B-Instruct, Phi-4 or Llama-3.x-Instruct as GGUF) for clinical work."
)


def models_dir() -> Path:
    return resources_dir() / "models"


def embedded_model_path() -> Path:
    """Where the embedded default model lives (placed there by the set-up)."""
    override = os.environ.get("ABSTRACTOR_EMBEDDED_MODEL")
    if override:
        return Path(override)
    return models_dir() / EMBEDDED_MODEL_FILE


def gemma_test_model_path() -> Path:
    return Path(user_cache_dir("abstractor")) / "models" / GEMMA_TEST_MODEL_FILE


def is_demo_model(path: str | Path) -> bool:
    return Path(path).name == EMBEDDED_MODEL_FILE


class ModelMissing(FileNotFoundError):
    pass


def require_embedded_model() -> Path:
    p = embedded_model_path()
    if not p.is_file():
        raise ModelMissing(
            f"The embedded demo model is missing ({p}). Run packaging/setup.sh, or pick a GGUF model file.")
    return p
