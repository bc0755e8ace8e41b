"""The installer bundle's plan (packaging/bundle_plan.py) and the spec that uses it, checked without building.

The full build is a separate command (packaging/build-linux.sh, docs/installers.md)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.packaging.conftest import PACKAGING, ROOT

BIG_QT = ("QtWebEngineCore", "QtWebEngineWidgets", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml", "QtCharts",
          "QtPdf", "QtNetwork")


def qt_modules_imported_by_the_app() -> set[str]:
    found = set()
    for path in list((ROOT / "gui").rglob("*.py")) + [PACKAGING / "entry.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for n in names:
                m = re.match(r"PySide6\.(\w+)", n)
                if m:
                    found.add(m.group(1))
    return found


def test_the_qt_modules_the_app_imports_are_bundled_and_the_big_ones_left_out(plan):
    used = qt_modules_imported_by_the_app()
    assert used, "no Qt imports found in gui/: the scan is broken"
    assert used <= set(plan.QT_MODULES_USED), f"the app imports {sorted(used - set(plan.QT_MODULES_USED))}"
    assert not used & set(plan.QT_EXCLUDED), f"excluded but imported: {sorted(used & set(plan.QT_EXCLUDED))}"
    excludes = plan.excludes()
    for big in BIG_QT:
        assert f"PySide6.{big}" in excludes


def test_llama_cpp_lib_goes_in_with_every_library_the_runtime_loads(plan):
    binaries, _datas = plan.llama_lib_files()
    names = {Path(src).name for src, dest in binaries}
    assert {dest for _src, dest in binaries} == {"llama_cpp/lib"}
    assert "libllama.so" in names or "llama.dll" in names or "libllama.dylib" in names
    lib = plan.package_dir("llama_cpp") / "lib"
    for f in lib.glob("lib*.so"):  # every library's load name and its soname (libggml.so.0 for libllama)
        assert f.name in names
        assert any(n.startswith(f.name + ".") and n.count(".") == 2 for n in names), f"{f.name}'s soname"


def test_metal_shaders_go_in_as_data_and_fully_versioned_copies_stay_out(plan, tmp_path):
    lib = tmp_path / "llama_cpp" / "lib"
    lib.mkdir(parents=True)
    for name in ("libllama.dylib", "libggml-metal.dylib", "default.metallib", "ggml-metal.metal",
                 "libllama.so.0.5.0"):
        (lib / name).write_bytes(b"x")
    binaries, datas = plan.llama_lib_files(tmp_path / "llama_cpp")
    assert sorted(Path(s).name for s, _ in binaries) == ["libggml-metal.dylib", "libllama.dylib"]
    assert sorted(Path(s).name for s, _ in datas) == ["default.metallib", "ggml-metal.metal"]
    assert {d for _, d in binaries + datas} == {"llama_cpp/lib"}
    empty = tmp_path / "empty"
    (empty / "lib").mkdir(parents=True)
    with pytest.raises(SystemExit, match="no llama library"):
        plan.llama_lib_files(empty)


def test_resources_go_in_and_the_model_only_behind_the_switch(plan, model_path):
    with_model = {(Path(s).relative_to(ROOT).as_posix(), d) for s, d in plan.resource_datas(with_model=True)}
    without = {(Path(s).relative_to(ROOT).as_posix(), d) for s, d in plan.resource_datas(with_model=False)}
    for f in ("resources/tasks/chest_ct_nodules.json", "resources/demo/reports/ct_thorax_01.txt",
              "resources/licenses/LGPL-3.0.txt", "resources/licenses/llama.cpp-MIT.txt",
              "resources/licenses/Qt-relinking.md", "resources/tasks/dragon/Task101_Example_sl_bin_clf.json"):
        if (ROOT / f).is_file():
            assert (f, str(Path(f).parent)) in without, f
    assert (f"resources/models/{model_path.name}", "resources/models") in with_model
    assert with_model - without == {(f"resources/models/{model_path.name}", "resources/models")}
    assert not any("__pycache__" in s for s, _ in with_model)


def test_the_nvidia_driver_is_never_bundled_but_the_cuda_runtime_is(plan):
    for driver in ("libcuda.so.1", "libcuda.so", "nvcuda.dll", "libnvidia-ml.so.1", "_internal/nvml.dll"):
        assert not plan.keep_binary(driver), driver
    for runtime in ("libcudart.so.12", "libcublas.so.12", "cublas64_12.dll", "libllama.so", "Qt6Core.dll"):
        assert plan.keep_binary(runtime), runtime
    assert plan.CUDA_RUNTIME.match("libcublasLt.so.12") and plan.CUDA_RUNTIME.match("cudart64_12.dll")
    assert plan.is_cuda_build([("/x/libggml-cuda.so", "llama_cpp/lib")])
    assert not plan.is_cuda_build(plan.llama_lib_files()[0]) or "cuda" in plan.package_dir("llama_cpp").as_posix()


def test_windows_openmp_runtime_is_required(plan, tmp_path, monkeypatch):
    monkeypatch.setenv("VCOMP140_DLL", str(tmp_path / "missing" / "vcomp140.dll"))
    with pytest.raises(SystemExit, match="vcomp140.dll not found"):
        plan.windows_openmp_dll()
    dll = tmp_path / "vcomp140.dll"
    dll.write_bytes(b"MZ")
    monkeypatch.setenv("VCOMP140_DLL", str(dll))
    assert plan.windows_openmp_dll() == dll


def test_the_spec_uses_the_plan(plan):
    text = (PACKAGING / "abstractor.spec").read_text("utf-8")
    compile(text, "abstractor.spec", "exec")
    for needle in ("bundle_plan.py", "plan.llama_lib_files()", "plan.resource_datas(", "plan.excludes()",
                   "plan.keep_binary", "windows_openmp_dll", '"--no-model"', "entry.py", "pyproject.toml",
                   "third-party.txt", "copy_metadata", "BUNDLE(", "info_plist", "console=False",
                   'collect_submodules("gui")'):
        assert needle in text, needle
    assert plan.app_version() == plan.info_plist(plan.app_version())["CFBundleShortVersionString"]
    assert (PACKAGING / "icons" / "abstractor.png").is_file() and (PACKAGING / "icons" / "abstractor.ico").is_file()
