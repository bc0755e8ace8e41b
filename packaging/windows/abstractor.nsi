; Abstractor's Windows installer (NSIS 3): Abstractor-Setup-<version>.exe
;
;   makensis /DVERSION=0.1.0 /DSRCDIR=dist\abstractor /DOUTDIR=dist packaging\windows\abstractor.nsi
;   (on Linux: makensis -DVERSION=... -DSRCDIR=... -DOUTDIR=... packaging/windows/abstractor.nsi)
;
; - per-user install, no admin rights: %LOCALAPPDATA%\Programs\Abstractor, HKCU keys only
; - Start-menu entry (and an optional desktop shortcut), an uninstaller in "Apps & features"
; - silent install for IT:  Abstractor-Setup-x.y.z.exe /S [/D=C:\path\to\Abstractor]
;   silent uninstall:       "%LOCALAPPDATA%\Programs\Abstractor\Uninstall.exe" /S
; - SRCDIR is PyInstaller's dist\abstractor folder; it must carry vcomp140.dll (MSVC's OpenMP
;   runtime, which llama.dll needs) so the app starts on computers without the VC++ runtime.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!ifndef VERSION
  !error "pass /DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass /DSRCDIR=path\to\dist\abstractor"
!endif
!ifndef OUTDIR
  !define OUTDIR "."
!endif
!if ! /FileExists "${SRCDIR}\abstractor.exe"
  !error "${SRCDIR}\abstractor.exe not found: build the bundle first (packaging/abstractor.spec)"
!endif
!if ! /FileExists "${SRCDIR}\_internal\vcomp140.dll"
  !error "${SRCDIR}\_internal\vcomp140.dll missing: llama.dll would not load without the VC++ runtime"
!endif

!define APP "Abstractor"
!define EXE "abstractor.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define ICON "../icons/abstractor.ico"  ; makensis works in the script's folder: SRCDIR and OUTDIR should be absolute

Name "${APP} ${VERSION}"
OutFile "${OUTDIR}\${APP}-Setup-${VERSION}.exe"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "Apache-2.0; bundled parts: see the licences folder"

!include "MUI2.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_PARAMETERS "--demo"
!define MUI_FINISHPAGE_RUN_TEXT "Open Abstractor with the demo"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Dutch"

Section "Abstractor (required)" SecApp
  SectionIn RO
  SetShellVarContext current
  ; a previous version's files go first, so no stale library outlives an update
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP}\${APP} demo.lnk" "$INSTDIR\${EXE}" "--demo" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  SetShellVarContext current
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; only remove a folder that holds Abstractor (never a folder the user chose by mistake)
  IfFileExists "$INSTDIR\${EXE}" 0 +4
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${EXE}"
    Delete "$INSTDIR\abstractor-cli.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\${APP}"
  Delete "$DESKTOP\${APP}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
  ; projects and settings are the user's: they stay in %APPDATA% / %LOCALAPPDATA%\abstractor
SectionEnd
