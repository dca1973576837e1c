#!/usr/bin/env bash
# Installs the Debian packages the course needs, only when they are missing.
#   site   - nodejs, npm: fetch the pinned scripts and fonts the website serves
#   grade  - bubblewrap: the sandbox the grading pipeline runs student code in
#   test   - all of the above and chromium: the real browser the website tests
#            drive (never `playwright install`), and its old headless shell
#            (same release, about half the CPU per page: tests/chromium.py)
# Usage: ensure-system-deps.sh [site|grade|test]   (default: test)
set -euo pipefail
group=${1:-test}
missing=()
need() {  # need COMMAND PACKAGE...
    command -v "$1" >/dev/null 2>&1 || missing+=("${@:2}")
}
case "$group" in
    site)  need npm nodejs npm ;;
    grade) need bwrap bubblewrap ;;
    test)  need npm nodejs npm; need bwrap bubblewrap; need chromium chromium; need chromium-headless-shell chromium-headless-shell ;;
    *) echo "ensure-system-deps: unknown group '$group' (site, grade or test)" >&2; exit 2 ;;
esac
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
