#!/usr/bin/env bash
# Installs the system packages the project needs when they are missing (Debian/Ubuntu, as root):
#   build tools for better-sqlite3's native module, PostgreSQL and Redis for the conformance,
#   fault and multi-instance specs, which start throwaway servers from their binaries, and Chromium
#   (with a font, so screenshots show text) for the account page's browser spec, driven by
#   playwright-core, which downloads no browser. Used by .ci/run and by `npm test` (pretest).
set -euo pipefail

missing=()
for tool in g++ make python3; do
  command -v "$tool" >/dev/null || missing+=(build-essential python3)
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}. Install them (e.g. apt-get install -y ${missing[*]}) and retry." >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u)
