#!/usr/bin/env bash
# Install the project's pinned OpenAPI tooling. Idempotent: does nothing when up to date.
#   tools/node_modules : npm ci from tools/package-lock.json (@redocly/cli, @stoplight/prism-cli)
#   tools/.venv        : python venv with tools/requirements.txt (openapi-spec-validator, PyYAML)
# Usage: tools/setup.sh   (from anywhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

fail() {
    echo "tools/setup.sh: $*" >&2
    exit 1
}

# --- node tools ---------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "node is not installed (need Node.js >= 20.19; prism-cli 5.16 asks for >= 24.18). Install Node.js, then rerun."
command -v npm >/dev/null 2>&1 || fail "npm is not installed (it ships with Node.js). Install it, then rerun."

# npm ci writes node_modules/.package-lock.json; if it is missing or older than the lockfile, reinstall.
stamp="node_modules/.package-lock.json"
if [[ ! -d node_modules || ! -f "$stamp" || package-lock.json -nt "$stamp" ]]; then
    echo "tools/setup.sh: npm ci (tools/node_modules)"
    npm ci --no-audit --no-fund || fail "npm ci failed"
    touch "$stamp"
else
    echo "tools/setup.sh: tools/node_modules is up to date"
fi

# --- python tools -------------------------------------------------------------
python=""
for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
[[ -n "$python" ]] || fail "python3 (>= 3.9) is not installed. Install it, then rerun."

venv_stamp=".venv/.requirements.installed"
if [[ ! -x .venv/bin/python || ! -f "$venv_stamp" || requirements.txt -nt "$venv_stamp" ]]; then
    if [[ ! -x .venv/bin/python ]]; then
        echo "tools/setup.sh: creating tools/.venv with $python"
        "$python" -m venv .venv || fail "'$python -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
    fi
    echo "tools/setup.sh: pip install -r tools/requirements.txt"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt \
        || fail "pip install -r requirements.txt failed"
    touch "$venv_stamp"
else
    echo "tools/setup.sh: tools/.venv is up to date"
fi

echo "tools/setup.sh: ready: tools/node_modules/.bin/redocly, tools/node_modules/.bin/prism, tools/.venv/bin/openapi-spec-validator"
