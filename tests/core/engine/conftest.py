from __future__ import annotations

import pytest

from core.engine.engine import Engine, EngineSettings


@pytest.fixture(scope="module")
def engine(model_path):
    # one thread: on a busy 2-core machine two llama.cpp threads spin-wait for each other
    e = Engine(model_path, EngineSettings(n_ctx=2048, n_threads=1))
    yield e
    e.close()
