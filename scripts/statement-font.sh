#!/usr/bin/env bash
# Remakes themes/default/static/fonts/ from its public source: the Ubuntu font (Ubuntu
# Font Licence 1.0) as packaged on the npm registry by Fontsource. The funding statement
# is set in it (an Annex IX font, Regulation (EU) 2021/1060), so every reader's device
# draws the statement in an allowed font. Only what the statement needs: bold (700),
# upright, the "latin" and "latin-ext" subsets (Latvian letters are in latin-ext).
# Needs npm and sha256sum.
set -euo pipefail
version=5.3.0
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../themes/default/static/fonts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@fontsource/ubuntu@$version" >/dev/null && tar xzf fontsource-ubuntu-"$version".tgz)
mkdir -p "$out"
for subset in latin latin-ext; do
  cp "$work/package/files/ubuntu-$subset-700-normal.woff2" "$out/"
done
cp "$work/package/LICENSE" "$out/UBUNTU-FONT-LICENCE.txt"
(cd "$out" && sha256sum ./*.woff2 && wc -c ./*.woff2)
