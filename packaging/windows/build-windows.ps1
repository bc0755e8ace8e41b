# Build Abstractor-Setup-<version>.exe on Windows (PowerShell; the CI workflow runs the same steps).
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1 [-NoModel] [-Cuda]
# Needs: Python 3.11+, Visual Studio Build Tools (C++), CMake, NSIS (makensis); CUDA toolkit for -Cuda.
param([switch]$NoModel, [switch]$Cuda)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Root
if (-not (Test-Path .venv)) { python -m venv .venv }
$Py = "$Root\.venv\Scripts\python.exe"
& $Py -m pip install --upgrade pip wheel
# llama.cpp: portable CPU (AVX2) by default; CUDA variant with -Cuda (bundles cudart/cublas, never the driver)
$env:CMAKE_ARGS = "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if ($Cuda) { $env:CMAKE_ARGS += " -DGGML_CUDA=on" }
& $Py -m pip install --no-cache-dir --no-binary llama-cpp-python "llama-cpp-python==0.3.36"
& $Py -m pip install -e ".[gui,packaging]"
& $Py -m core.models.fetch --embedded
$Version = & $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
& $Py packaging\collect_licenses.py build\licenses\third-party.txt
$SpecArgs = @()
if ($NoModel) { $SpecArgs = @("--", "--no-model") }
& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\abstractor.spec @SpecArgs
& dist\abstractor\abstractor-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test failed" }
& makensis /V2 "/DVERSION=$Version" "/DSRCDIR=$Root\dist\abstractor" "/DOUTDIR=$Root\dist" packaging\windows\abstractor.nsi
Write-Host "[build-windows] dist\Abstractor-Setup-$Version.exe"
