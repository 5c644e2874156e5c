#!/usr/bin/env bash
# Installs what the tests need (Debian packages when missing, npm packages with npm ci),
# lints the sources (ESLint) and runs every test. Ends with the totals line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# The stand-ins the tests run against: brokers, a pseudo-terminal pair, a browser,
# the firmware toolchain and the emulator that runs the firmware.
packages=(
  mosquitto mosquitto-dev libmosquitto-dev
  socat
  chromium
  gcc make openssl
  gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf
  qemu-system-misc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# The suite runs on Node.js 24 with Node-RED 5.0 (which needs Node.js >= 22.9), whatever Node.js this
# machine came with; the install tests bring the other Node.js and Node-RED versions of the matrix
# (test/package/matrix.ts) themselves. Node.js binaries come from the npm registry.
node_bin="$(node scripts/ensure-node.js 24)"
export PATH="$(dirname "$node_bin"):$PATH"
echo "Testing on Node.js $(node --version) (install tests also on the versions in test/package/matrix.ts)"

npm ci --no-audit --no-fund
npm run lint
npm test -- "$@"
