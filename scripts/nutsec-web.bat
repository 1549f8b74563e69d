@echo off
rem Windows: double-click this file (or a shortcut to it) to open nutsec in your web browser.
rem It starts the nutsec installed in the .venv in this folder (see docs\install.md, Windows).
rem Closing this window, or pressing Finish on the page, stops nutsec; your answers are saved.
cd /d "%~dp0.."
if not exist ".venv\Scripts\nutsec.exe" (
  echo nutsec is not installed in this folder yet: follow docs\install.md, Windows, step 4, first.
  pause
  exit /b 1
)
".venv\Scripts\nutsec.exe" web
if errorlevel 1 pause
