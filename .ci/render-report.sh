#!/usr/bin/env bash
# Renders a weekly HTML report with headless Chromium to a PNG, to look at it as a reader would.
#   apt-get install -y chromium   (Debian's package)
#   bash .ci/render-report.sh reports/2026-W47.html /tmp/report.png
# Not part of .ci/run: it needs a browser, which CI does not install.
set -euo pipefail
html=$(realpath "${1:?usage: render-report.sh REPORT.html OUT.png}")
out=${2:-/tmp/voc-report.png}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }
# --no-sandbox: CI and this workplace run as root; the report loads nothing from the network anyway.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$out" "file://$html" 2>/dev/null
echo "$out"
