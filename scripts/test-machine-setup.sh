#!/usr/bin/env bash
# What `pnpm test` needs from the machine, installed when missing (issue 17 item 7), so that the README's test
# command passes on a bare Debian machine and .ci/run need not repeat it:
#   chromium    Debian's build drives the browser tests (playwright-core with executablePath /usr/bin/chromium) and
#               ships SwiftShader, the software Vulkan device the WebGPU tests in Node (Dawn) run on;
#   libvulkan1  the Vulkan loader Dawn opens.
# Idempotent: with both present it does nothing. It installs as root (or with password-less sudo); otherwise it says
# what to run and fails, rather than letting the browser tests fail one by one on a missing /usr/bin/chromium.
# FORGER_CHROMIUM (test-support/chromium.ts) points the tests at another chromium: then only libvulkan1 is checked.
set -euo pipefail

packages=()
chromium_path="${FORGER_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_path" ] || packages+=(chromium)
if command -v dpkg >/dev/null 2>&1; then
  dpkg -s libvulkan1 >/dev/null 2>&1 || packages+=(libvulkan1)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test setup: ${packages[*]} missing and no apt-get here: the browser tests need a chromium (set FORGER_CHROMIUM to its path)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "test setup: the tests need ${packages[*]}; run: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "test setup: installing ${packages[*]} (apt-get) …" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq "${packages[@]}" >&2
