from __future__ import annotations

import pytest

from core.engine.engine import Engine, EngineSettings


@pytest.fixture(scope="module")
def engine(model_path):
    e = Engine(model_path, EngineSettings(n_ctx=2048))
    yield e
    e.close()
