#!/usr/bin/env bash
# Installs the system programs the tests run for real, when they are missing:
#   prometheus, promtool  (Debian package "prometheus")
# The build calls this before the tests; a test never skips because a program is missing.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "The tests need: ${missing[*]} (Debian package 'prometheus'). Install it with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends prometheus" >&2
  exit 1
fi
echo "Installing the Debian package 'prometheus' for the tests ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package may start a system Prometheus on :9090; the tests start their own on free ports.
