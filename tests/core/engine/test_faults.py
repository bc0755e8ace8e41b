"""Model faults give a plain message with a fix.  The broken model files are made here, from the
embedded model (copied and cut or patched) or with the ``gguf`` package: nothing is committed."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from core.engine.engine import Engine, EngineSettings, ModelLoadError
from core.engine.faults import decode_failure, memory_bytes


def test_truncated_gguf_says_incomplete_and_to_download_again(model_path, tmp_path):
    cut = tmp_path / "half.gguf"
    with open(model_path, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(model_path.stat().st_size // 2))
    with pytest.raises(ModelLoadError) as err:
        Engine(cut, EngineSettings(n_ctx=512))
    msg = str(err.value)
    assert "half.gguf" in msg and "incomplete" in msg and "download or copy the model again" in msg
    assert "should be" in msg  # the size it should have, from the file's own tensor table


def test_unknown_architecture_names_it_and_suggests_a_supported_family(tmp_path):
    import gguf

    path = tmp_path / "odd.gguf"
    w = gguf.GGUFWriter(str(path), "abstractor-unknown-arch")
    w.add_block_count(1)
    w.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with pytest.raises(ModelLoadError) as err:
        Engine(path, EngineSettings(n_ctx=512))
    msg = str(err.value)
    assert "'abstractor-unknown-arch'" in msg and "does not support" in msg
    assert "Fix: choose a model of a supported family" in msg


def test_model_without_chat_template_loads_with_a_warning_and_a_fix(model_path, tmp_path):
    # Renaming the key (same length) keeps the file valid and hides the template from llama.cpp.
    data = model_path.read_bytes()
    key = b"tokenizer.chat_template"
    assert data.count(key) == 1
    patched = tmp_path / "no-template.gguf"
    patched.write_bytes(data.replace(key, b"tokenizer.chat_templatX"))
    e = Engine(patched, EngineSettings(n_ctx=512))
    try:
        assert not e.info.has_chat_template and e.chat.name == "llama-3"
        assert any("no chat template" in w and "pick an instruct (chat) model" in w for w in e.warnings)
    finally:
        e.close()


def test_model_larger_than_memory_is_refused_before_loading(model_path, tmp_path):
    total = memory_bytes()
    assert total, "physical memory must be readable on this platform"
    huge = tmp_path / "huge.gguf"
    with open(model_path, "rb") as src, open(huge, "wb") as dst:
        dst.write(src.read(1 << 20))
        dst.truncate(total + (1 << 30))      # sparse: takes no disk space
    with pytest.raises(ModelLoadError) as err:
        Engine(huge, EngineSettings(n_ctx=512, n_gpu_layers=0))
    msg = str(err.value)
    assert "larger than this computer's memory" in msg and "smaller quantisation" in msg


def test_not_a_gguf_file_is_named_as_such(tmp_path):
    bad = tmp_path / "weights.bin"
    shutil.copyfile(__file__, bad)
    with pytest.raises(ModelLoadError, match="is not a GGUF model file. Pick a .gguf file"):
        Engine(bad)


def test_out_of_memory_during_a_run_is_explained_with_a_fix():
    # llama.cpp's decode failures cannot be provoked on a small model here; this is the exact
    # exception llama-cpp-python raises for them (Llama.eval -> LlamaContext.decode).
    oom = decode_failure(RuntimeError("llama_decode returned -3"), on_gpu=True)
    assert "ran out of the graphics card's memory" in oom and "Offload fewer layers" in oom
    assert "close other programs" in decode_failure(RuntimeError("llama_decode returned -2"), on_gpu=False)
    assert "raise the context size" in decode_failure(RuntimeError("llama_decode returned 1"), on_gpu=False)
    assert decode_failure(RuntimeError("something else"), on_gpu=False) is None
