#!/usr/bin/env bash
# The project's test command: installs what the tests need, builds once, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
cargo test --workspace --lib --bins --tests --locked "$@"
