#!/usr/bin/env bash
# Builds the >= 1 million line workspace the context benchmark (`AidBench context`) runs on: six
# Swift packages of the toolchain's package mirror (/opt/swift-packages, bare git repositories)
# at pinned tags, side by side in DEST, committed as one Git work tree (so that the index lists
# files with `git ls-files`, as in a real checkout). About 4,100 files and 1.4 million lines.
#   Tests/Benchmarks/corpus1m.sh DEST
set -euo pipefail
DEST=${1:?usage: corpus1m.sh DEST}
MIRROR=${AID_PACKAGE_MIRROR:-/opt/swift-packages}
PACKAGES="swift-syntax:603.0.1 swift-nio:2.101.3 swift-crypto:4.5.2 swift-collections:1.6.0
          swift-certificates:1.21.1 swift-argument-parser:1.8.2"
mkdir -p "$DEST"
for entry in $PACKAGES; do
  name=${entry%%:*} tag=${entry#*:}
  [ -d "$DEST/$name" ] && continue
  mkdir -p "$DEST/$name"
  git -C "$MIRROR/apple/$name.git" archive "$tag" | tar -x -C "$DEST/$name"
done
if [ ! -d "$DEST/.git" ]; then
  git -C "$DEST" init -q
  git -C "$DEST" add -A
  git -C "$DEST" -c user.name=bench -c user.email=bench@localhost commit -qm corpus
fi
files=$(git -C "$DEST" ls-files | wc -l)
lines=$(git -C "$DEST" ls-files -z | (cd "$DEST" && xargs -0 cat) | wc -l)
echo "$files files, $lines lines in $DEST"
