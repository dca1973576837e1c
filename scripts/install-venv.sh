#!/usr/bin/env bash
# Creates the virtual environment VENV with every Python package of the course at
# the exact versions of constraints.txt (pip and uv among them), and the course
# itself (editable).
#   install-venv.sh PYTHON VENV
# The packages are installed by uv (its version pinned in constraints.txt), which
# does in under a minute what pip does in about two and a half. uv does not read
# pip's configuration, so the indexes and wheel folders pip is configured with on
# this machine (pip config list: find-links, index-url, extra-index-url, cert) are
# handed to uv. If uv cannot be installed or fails, pip does the work as before.
#
# The venv is made without pip, and uv is fetched into a temporary folder by
# PYTHON's own pip: the venv's bundled pip (ensurepip, then an upgrade to the
# pinned one, then uv through it) cost about 17 CPU-s, this about 5; uv then
# installs the pinned pip with everything else.
set -euo pipefail
python=${1:?usage: install-venv.sh PYTHON VENV}
venv=${2:?usage: install-venv.sh PYTHON VENV}
bin="$venv/bin"

"$python" -m venv --without-pip "$venv"

with_pip() {
    "$bin/python" -m ensurepip >/dev/null
    "$bin/python" -m pip install -q -c constraints.txt pip
    "$bin/python" -m pip install -q --no-compile -c constraints.txt -e '.[all]'
}

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
uv_version=$(grep -E '^uv==' constraints.txt | cut -d= -f3 || true)
if [ -z "$uv_version" ] || ! "$python" -m pip install -q --disable-pip-version-check --no-compile \
        --target "$tools" "uv==$uv_version" >/dev/null 2>&1; then
    echo "install-venv: uv ${uv_version:-(not pinned)} is not available; installing with pip"
    with_pip
    exit 0
fi

# pip's settings (from pip.conf files and PIP_* variables) as uv's options.
args=()
while IFS= read -r line; do
    key=${line%%=*}; key=${key##*.}
    value=${line#*=}; value=${value#\'}; value=${value%\'}
    case "$key" in
        find-links)      for v in $value; do args+=(--find-links "$v"); done ;;
        index-url)       args+=(--index-url "$value") ;;
        extra-index-url) for v in $value; do args+=(--extra-index-url "$v"); done ;;
        cert)            export SSL_CERT_FILE="$value" ;;
    esac
done < <("$python" -m pip config list 2>/dev/null || true)

# Several indexes: pick the best version across all of them, as pip does. Not byte-compiled
# at install: compiling all of the environment's 11,700 modules cost about 65 CPU-s, while a
# run of the course imports about a fifth of them, and each is compiled once, on its first
# import (the Makefile passes PYTHONDONTWRITEBYTECODE on to nothing).
if ! "$tools/bin/uv" pip install --python "$bin/python" -q --index-strategy unsafe-best-match \
        "${args[@]}" -c constraints.txt pip "uv==$uv_version" -e '.[all]'; then
    echo "install-venv: uv failed; installing with pip"
    with_pip
fi
