#!/usr/bin/env bash
# The test command (README, `make test`, .ci/run): installs system pieces the tests need, then pytest
# on every core.
# Browser tests need Debian's Chromium and CJK fonts (without them Chinese renders as boxes);
# MEIJIA_SKIP_BROWSER=1 skips both the install and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# PDFs embed a TrueType CJK font (backend/pdf.py): Debian's fonts-wqy-microhei, needed by every run.
if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && [ -z "${MEIJIA_PDF_FONT_PATH:-}" ]; then
    font_install=(sh -c "apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei")
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive "${font_install[@]}"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo DEBIAN_FRONTEND=noninteractive "${font_install[@]}"
    else
        echo "scripts/test.sh: fonts-wqy-microhei is missing (PDF tests will fail):" \
            "apt-get install fonts-wqy-microhei, or set MEIJIA_PDF_FONT_PATH." >&2
    fi
fi

browser_marker=()
if [ -n "${MEIJIA_SKIP_BROWSER:-}" ]; then
    browser_marker=(-m "not browser")
# (grep without -q reads all of fc-list's output: with -q, fc-list could die of SIGPIPE and
# pipefail would report the fonts missing when they are there.)
elif [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null; then
    install=(sh -c "apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk")
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive "${install[@]}"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo DEBIAN_FRONTEND=noninteractive "${install[@]}"
    else
        echo "scripts/test.sh: Chromium or fonts-noto-cjk is missing and this user cannot install" \
            "them (not root, no sudo); running without the browser tests." >&2
        echo "  Install them with: apt-get install chromium fonts-noto-cjk" \
            "(or set MEIJIA_SKIP_BROWSER=1 to silence this)." >&2
        browser_marker=(-m "not browser")
    fi
fi

# Spread the tests over every core (pytest-xdist), a test file per worker at a time so that a
# file's module-scoped fixtures (the browser tests' server) start once; MEIJIA_TEST_WORKERS=0
# runs them in this process.
workers=(-n "${MEIJIA_TEST_WORKERS:-auto}" --dist loadfile)
[ "${MEIJIA_TEST_WORKERS:-auto}" = 0 ] && workers=()

exec .venv/bin/python -m pytest "${workers[@]}" "${browser_marker[@]}" "$@"
