"""The llama.cpp engine.  llama.cpp's own log lines go to Python logging
(DEBUG), not to the user's terminal."""
from __future__ import annotations

import ctypes
import logging

import llama_cpp

_log = logging.getLogger("llama_cpp.native")


@llama_cpp.llama_log_callback
def _log_callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    try:
        _log.debug(text.decode("utf-8", errors="replace").rstrip())
    except Exception:  # noqa: BLE001 - a log line must never crash native code
        pass


llama_cpp.llama_log_set(_log_callback, ctypes.c_void_p(0))
