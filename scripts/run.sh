#!/usr/bin/env bash
# Runs the product: the Chinwag server in demo mode on the embedded SQLite default
# (chinwag-demo.db), with the widget on a demo host page and the agent inbox. It prints
# the URLs and the demo agents' logins. For the dialogue preview instead, run
# `trunk serve` (see the README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
build_product
export CHINWAG_LISTEN="${CHINWAG_LISTEN:-127.0.0.1:8787}"
export CHINWAG_DATABASE="${CHINWAG_DATABASE:-chinwag-demo.db}"
echo "==> Chinwag demo: open http://${CHINWAG_LISTEN}/widget/demo.html (visitor) and http://${CHINWAG_LISTEN}/inbox/ (agents; the console for admins: ana@demo.chinwag)"
exec target/server/chinwag serve --demo
