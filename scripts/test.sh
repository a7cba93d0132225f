#!/usr/bin/env bash
# Installs everything the test suite needs on a Debian machine with Python 3.11 (redis-server and
# Chromium from Debian's packages when missing, Python and npm dev dependencies), then runs all of it:
# lints, the extension's unit tests, and the Python suite (API, cache on a real Redis, corpora, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing from Debian's packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
npm ci --no-audit --no-fund --loglevel=error

ruff check .
mypy
npm run --silent lint
npm run --silent lint:webext
npm test
python3 -m pytest "$@"
