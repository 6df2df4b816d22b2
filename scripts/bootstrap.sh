#!/usr/bin/env bash
# Installs what `npm test`, `npm run demo` and `npm run bench` need and is missing: the real
# servers from Debian's packages, then node_modules from the lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(haproxy nginx-light prometheus docker-registry skopeo umoci buildah busybox-static wrk apache2-utils openssl)
commands=(haproxy nginx prometheus docker-registry skopeo umoci buildah busybox wrk htpasswd openssl)
missing=()
for i in "${!commands[@]}"; do
  command -v "${commands[$i]}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${commands[$i]}" >/dev/null 2>&1 || missing+=("${packages[$i]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "bootstrap: installing ${missing[*]} from Debian's packages"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund
fi
