"""Prompt evaluation in the decoder, with the embedded SmolLM2 model."""
import numpy as np

from core.engine.decode import DecodeStats
from tests.core.engine.test_engine import CT, REPORTS


def _prompt_logits(engine, tokens: list[int], chunk: int) -> np.ndarray:
    engine.decoder.prompt_chunk = chunk
    engine.decoder.eval_prompt(tokens, None, DecodeStats(), reuse_prefix=False)
    return engine.decoder._logits().copy()


def test_prompt_logits_do_not_depend_on_the_chunk_size(engine):
    """Chunk sizes follow the measured speed; a last chunk of one token would go through
    llama.cpp's single-token kernel, whose logits differ, so answers would depend on load."""
    tokens = engine.tokenize(engine.render_prompt(CT, REPORTS[0]))[:40]
    one_batch = _prompt_logits(engine, tokens, 64)
    assert np.array_equal(_prompt_logits(engine, tokens, 39), one_batch)   # 39 + 1 tokens unless avoided
    assert np.array_equal(_prompt_logits(engine, tokens, 13), one_batch)   # 13 + 13 + 13 + 1


def test_a_prompt_read_again_from_the_cache_gives_the_same_logits(engine):
    tokens = engine.tokenize(engine.render_prompt(CT, REPORTS[0]))[:40]
    first = _prompt_logits(engine, tokens, 64)
    stats = DecodeStats()
    engine.decoder.eval_prompt(tokens, None, stats, reuse_prefix=True)
    assert stats.cached_tokens > 0
    assert np.array_equal(engine.decoder._logits(), first)
