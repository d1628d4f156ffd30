#!/usr/bin/env bash
# Installs the system programs the tests run for real, when they are missing:
#   prometheus, promtool  (Debian package "prometheus")
#   chromium              (Debian package "chromium"), which renders the HTML run report
#   lua5.1                (Debian package "lua5.1"), Argo CD's Lua dialect, for the health checks
#   kubectl               (Debian package "kubernetes-client"), run against `lumen run-local`
# The build calls this before the tests; a test never skips because a program is missing.
set -euo pipefail

packages=()
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  packages+=(prometheus)
fi
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v lua5.1 >/dev/null 2>&1 || packages+=(lua5.1)
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
if [[ ${#packages[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "The tests need the Debian package(s): ${packages[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
fi
echo "Installing the Debian package(s) for the tests: ${packages[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# The prometheus package may start a system Prometheus on :9090; the tests start their own on
# free ports.
