#!/usr/bin/env bash
# Writes crates/server/tests/upgrades/schema-NNNN.db, a database as this build leaves it
# (the demo seed, chats, a rating, an attachment, a lead, a webhook endpoint), for the
# upgrade test (tests/upgrades.rs) of every later build. Run it before adding a
# migration, and commit the file with it (docs/operations.md, "Upgrades").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cargo test -p chinwag-server --test upgrades make_fixture -- --ignored --nocapture
