#!/bin/bash
# macOS: double-click this file in Finder to open nutsec in your web browser.
# It starts the nutsec installed in this folder's .venv (see docs/install.md, macOS). Closing
# this Terminal window, or pressing Finish on the page, stops nutsec; your answers are saved.
cd "$(dirname "$0")/.." || exit 1
if [ ! -x .venv/bin/nutsec ]; then
  echo "nutsec is not installed in this folder yet: follow docs/install.md (macOS, step 4) first."
  read -r -p "Press Enter to close this window. " _
  exit 1
fi
.venv/bin/nutsec web
