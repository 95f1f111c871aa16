#!/usr/bin/env bash
# The test command (README, `make test`, .ci/run): installs system pieces the tests need, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest "$@"
