#!/usr/bin/env bash
# Checks out the sources of every Swift package under /opt/swift-packages (the toolchain's package
# mirror: bare git repositories), at its newest tag, side by side in DEST: the large real-world
# workspace the watcher, index and context benchmarks run on (about 28,000 files).
#   Tests/Benchmarks/corpus.sh DEST
set -euo pipefail
DEST=${1:?usage: corpus.sh DEST}
MIRROR=${AID_PACKAGE_MIRROR:-/opt/swift-packages}
mkdir -p "$DEST"
for repo in "$MIRROR"/*/*.git; do
  name=$(basename "$(dirname "$repo")")-$(basename "$repo" .git)
  [ -d "$DEST/$name" ] && continue
  tag=$(git -C "$repo" tag --sort=-v:refname | head -1)
  [ -n "$tag" ] || continue
  mkdir -p "$DEST/$name"
  git -C "$repo" archive "$tag" | tar -x -C "$DEST/$name"
done
echo "$(find "$DEST" -type f | wc -l) files, $(find "$DEST" -type d | wc -l) directories in $DEST"
