"""Model and engine faults in plain words, each with a fix the user can try.

llama.cpp says why a model did not load only in its log lines (its Python
wrapper raises a bare "Failed to load model from file").  :class:`NativeLog`
collects those lines while a model loads; :func:`load_failure` turns them,
and what the GGUF header says, into one message.  :func:`decode_failure`
does the same for a failure while a report is being read (out of memory).
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import numpy as np

NATIVE_LOGGER = "llama_cpp.native"

FIX_FEWER_LAYERS = "Offload fewer layers to the GPU (Preferences → Layers on the GPU)"
FIX_SMALLER = "choose a smaller model or a smaller quantisation (for example Q4_K_M instead of Q8_0)"


class NativeLog(logging.Handler):
    """Collects llama.cpp's log lines (sent to Python logging by core.engine) while active."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def __enter__(self) -> "NativeLog":
        logger = logging.getLogger(NATIVE_LOGGER)
        self._saved = (logger.level, logger.propagate)
        logger.addHandler(self)
        if not logger.isEnabledFor(logging.DEBUG):  # collect the lines, without passing them on
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        logger = logging.getLogger(NATIVE_LOGGER)
        logger.removeHandler(self)
        logger.setLevel(self._saved[0])
        logger.propagate = self._saved[1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def memory_bytes() -> int | None:
    """Physical memory of this computer, or None where it cannot be read."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # Windows
        return None


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def too_large_for_memory(path: Path, *, on_gpu: bool) -> str | None:
    """A message when the model file alone is larger than this computer's memory (CPU only:
    with a GPU, layers live in video memory and llama.cpp reports a failure itself)."""
    total = memory_bytes()
    size = path.stat().st_size
    if on_gpu or total is None or size <= total:
        return None
    return (f"The model '{path.name}' ({_gb(size)}) is larger than this computer's memory ({_gb(total)}). "
            f"Fix: {FIX_SMALLER}.")


def gguf_data_end(path: Path) -> int:
    """Where the last tensor's data ends, from the GGUF header and tensor table alone (no tensor
    data is read, so a file cut short still answers).  Raises ValueError/IndexError for a
    damaged header."""
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFReader

    class TableOnly(GGUFReader):
        def _build_tensors(self, start_offs: int, fields) -> None:
            end = start_offs
            for f in fields:
                _, _, _, dims, raw_type, offset = f.parts
                block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(int(raw_type[0]))]
                n_bytes = int(np.prod(dims.astype(np.int64))) * type_size // block
                end = max(end, int(start_offs + offset[0]) + n_bytes)
            self.data_end = end

    return TableOnly(str(path), "r").data_end


def gguf_structure_problem(path: Path) -> str | None:
    """A message when the GGUF header is unreadable, or its tensor table promises more data
    than the file holds (a download that stopped early)."""
    size = path.stat().st_size
    try:
        end = gguf_data_end(path)
    except (ValueError, IndexError, KeyError, OSError) as exc:
        return (f"The model file '{path.name}' is damaged or incomplete: its GGUF header cannot be read "
                f"({exc}). Fix: download or copy the model again.")
    if end > size:
        return _truncated(path, size, end)
    return None


def _truncated(path: Path, size: int, expected: int | None) -> str:
    should = f" but should be {_gb(expected)}" if expected else ""
    return (f"The model file '{path.name}' is incomplete: it is {_gb(size)}{should} (the download or copy "
            "stopped early). Fix: download or copy the model again.")


_UNKNOWN_ARCH = re.compile(r"unknown model architecture: '([^']+)'")
_OUT_OF_MEMORY = re.compile(r"out of memory|failed to allocate|cudaMalloc failed|unable to allocate|"
                            r"ErrorOutOfDeviceMemory|insufficient memory", re.IGNORECASE)


def load_failure(path: Path, native: str, exc: Exception, *, on_gpu: bool) -> str:
    """One plain message, with a fix, for a model that llama.cpp could not load."""
    m = _UNKNOWN_ARCH.search(native)
    if m:
        return (f"The model '{path.name}' uses the architecture '{m.group(1)}', which this version of "
                "Abstractor's llama.cpp does not support. Fix: choose a model of a supported family "
                "(Llama, Qwen, Gemma, Phi, Mistral …) or update Abstractor.")
    if _OUT_OF_MEMORY.search(native):
        if on_gpu:
            return (f"The model '{path.name}' does not fit in the graphics card's memory. "
                    f"Fix: {FIX_FEWER_LAYERS}, lower the context size, or {FIX_SMALLER}.")
        return (f"The model '{path.name}' does not fit in this computer's memory. "
                f"Fix: close other programs, lower the context size, or {FIX_SMALLER}.")
    problem = gguf_structure_problem(path)
    if problem:
        return problem
    last = next((ln for ln in reversed(native.splitlines()) if "error" in ln.lower() or "failed" in ln.lower()), "")
    detail = f" llama.cpp said: {last.strip()}" if last else f" ({exc})"
    return (f"Could not load the model '{path.name}'.{detail} Fix: check that the file is a complete GGUF "
            f"model; if memory is short, {FIX_SMALLER}.")


def decode_failure(exc: Exception, *, on_gpu: bool) -> str | None:
    """A plain message for llama.cpp failing while reading a report, or None if it is not such a failure.

    llama-cpp-python raises ``RuntimeError("llama_decode returned N")``: 1 means no room
    in the context (KV cache), negative values mean a compute or memory failure."""
    m = re.search(r"llama_decode returned (-?\d+)", str(exc))
    if not m:
        return None
    code = int(m.group(1))
    if code == 1:
        return ("The model ran out of room in its context while reading this report. "
                "Fix: raise the context size in Preferences, or use the 'split' policy for long reports.")
    where = "the graphics card's memory" if on_gpu else "memory"
    fix = f"{FIX_FEWER_LAYERS}, lower the context size" if on_gpu else "close other programs, lower the context size"
    return (f"The model ran out of {where} while reading this report (llama.cpp error {code}). "
            f"Fix: {fix}, or {FIX_SMALLER}.")
