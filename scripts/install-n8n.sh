#!/usr/bin/env bash
# Installs n8n (default 2.40.7) into a cache outside the clone, once per version.
# Prints the install folder (the one holding node_modules/.bin/n8n) on stdout.
# Needs Node 24 first on PATH so native modules build for its ABI; the project's
# own node_modules/.bin (devDependency node@24) is put first when it exists.
set -euo pipefail
version="${N8N_VERSION:-2.40.7}"
root="${N8N_CACHE_DIR:-$HOME/.cache/n8n-draft-assistant}"
dir="$root/n8n-$version"
here="$(cd "$(dirname "$0")/.." && pwd)"
[ -x "$here/node_modules/.bin/node" ] && export PATH="$here/node_modules/.bin:$PATH"
if [ -f "$dir/.installed" ]; then echo "$dir"; exit 0; fi
# Two runs at once (e.g. the playground and the tests) would corrupt one npm tree: take turns.
mkdir -p "$root"
if command -v flock >/dev/null; then
  exec 9>"$root/.n8n-$version.lock"
  flock -n 9 || { echo "install-n8n: waiting for another install of n8n $version to finish…" >&2; flock 9; }
  if [ -f "$dir/.installed" ]; then echo "$dir"; exit 0; fi
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 24 ]; then echo "install-n8n: Node 24 is needed first on PATH (found $(node --version))" >&2; exit 1; fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"n8n-cache","private":true}' > package.json
# One line per phase on stderr (stdout carries only the folder); npm itself speaks only on errors.
echo "install-n8n: downloading n8n $version into $dir (once: a few minutes, about 2.8 GB)…" >&2
# n8n's own install scripts download things (kafka's zlib); skip them and rebuild only the native modules n8n needs.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$version" >&2
echo "install-n8n: building its native modules (sqlite3, isolated-vm, msgpackr-extract)…" >&2
# npm rebuild reports success on stdout ("rebuilt dependencies successfully"); failures go to stderr.
npm rebuild --loglevel=error sqlite3 isolated-vm msgpackr-extract >/dev/null
touch .installed
echo "install-n8n: n8n $version is installed" >&2
echo "$dir"
