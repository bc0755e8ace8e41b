"""SHA-256 of model files, cached by path, size and modification time.

Hashing a 9 GB model takes tens of seconds, so the hash is computed once
and kept in the user cache directory.
"""
from __future__ import annotations

import json
from pathlib import Path

from platformdirs import user_cache_dir

from core.atomic import write_atomic
from core.models.info import file_sha256


def _cache_file() -> Path:
    return Path(user_cache_dir("abstractor")) / "model-hashes.json"


def model_sha256(path: str | Path) -> str:
    path = Path(path).resolve()
    st = path.stat()
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    cache_file = _cache_file()
    try:
        cache = json.loads(cache_file.read_text("utf-8"))
    except (OSError, ValueError):
        cache = {}
    if key in cache:
        return cache[key]
    digest = file_sha256(path)
    cache[key] = digest
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, json.dumps(cache))
    except OSError:  # a read-only cache only costs time next run
        pass
    return digest
