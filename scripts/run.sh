#!/usr/bin/env bash
# Runs the product. Until the server exists that is the dialogue preview: every
# dialogue in www/dialogues/ in the widget, with the engine's state beside it.
# Editing a dialogue file rebuilds and reloads the page.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
echo "==> Chinwag preview at http://127.0.0.1:${PORT:-8080}/ (Ctrl+C stops it)"
exec trunk serve --port "${PORT:-8080}"
