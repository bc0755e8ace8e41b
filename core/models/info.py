"""Read a GGUF file's metadata without loading the model."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class NotAModel(ValueError):
    """The file is not a readable GGUF model."""


@dataclass
class ModelInfo:
    path: str
    name: str
    architecture: str
    parameters: int
    quantization: str
    context_length: int
    block_count: int
    vocab_size: int
    has_chat_template: bool
    size_bytes: int

    @property
    def parameters_label(self) -> str:
        p = self.parameters
        return f"{p / 1e9:.1f}B" if p >= 1e9 else f"{p / 1e6:.0f}M"


def _field(reader, key: str):
    f = reader.fields.get(key)
    if f is None:
        return None
    if f.types and f.types[0].name == "STRING":
        return bytes(f.parts[f.data[0]]).decode("utf-8", errors="replace")
    if f.types and f.types[0].name == "ARRAY":
        return len(f.data)
    return f.parts[f.data[0]].tolist()[0]


def read_model_info(path: str | Path) -> ModelInfo:
    from gguf import GGUFReader, LlamaFileType

    path = Path(path)
    if not path.is_file():
        raise NotAModel(f"Model file not found: {path}")
    try:
        reader = GGUFReader(str(path), "r")
    except (ValueError, OSError, IndexError, KeyError) as exc:
        raise NotAModel(f"'{path.name}' is not a readable GGUF model file ({exc}).") from None
    arch = _field(reader, "general.architecture") or "unknown"
    ftype = _field(reader, "general.file_type")
    try:
        quant = LlamaFileType(ftype).name.replace("MOSTLY_", "") if ftype is not None else "unknown"
    except ValueError:
        quant = f"type {ftype}"
    params = int(sum(int(np.prod(t.shape)) for t in reader.tensors))
    return ModelInfo(
        path=str(path),
        name=_field(reader, "general.name") or path.stem,
        architecture=arch,
        parameters=params,
        quantization=quant,
        context_length=int(_field(reader, f"{arch}.context_length") or 0),
        block_count=int(_field(reader, f"{arch}.block_count") or 0),
        vocab_size=int(_field(reader, "tokenizer.ggml.tokens") or 0),
        has_chat_template=_field(reader, "tokenizer.chat_template") is not None,
        size_bytes=path.stat().st_size,
    )


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read in chunks (``hashlib.file_digest``)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def check_gguf_file(path: str | Path) -> None:
    """Fail early, in plain words, for a missing file or one that is not GGUF."""
    path = Path(path)
    if not path.is_file():
        raise NotAModel(f"Model file not found: {path}")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise NotAModel(f"'{path.name}' is not a GGUF model file. Pick a .gguf file "
                            "(for example from a model's 'GGUF' release).")


def info_from_llama(llm, path: str | Path) -> ModelInfo:
    """ModelInfo from a loaded llama_cpp.Llama (fast: no second parse of the file)."""
    md = llm.metadata
    arch = md.get("general.architecture", "unknown")
    from gguf import LlamaFileType

    ftype = md.get("general.file_type")
    try:
        quant = LlamaFileType(int(ftype)).name.replace("MOSTLY_", "") if ftype is not None else "unknown"
    except ValueError:
        quant = f"type {ftype}"
    path = Path(path)
    return ModelInfo(
        path=str(path), name=md.get("general.name", path.stem), architecture=arch,
        parameters=int(llm._model.n_params()),
        quantization=quant, context_length=int(llm._model.n_ctx_train()),
        block_count=int(md.get(f"{arch}.block_count", 0)), vocab_size=int(llm.n_vocab()),
        has_chat_template="tokenizer.chat_template" in md, size_bytes=path.stat().st_size)
