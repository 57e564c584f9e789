#!/usr/bin/env bash
# Save-to-reload latency of `lapa serve` (writing a file → the reload event reaching a
# client on the event stream), on the example site and on a generated corpus.
#
#   scripts/bench-serve.sh [N_REPORTS] [SAVES] [CORPUS_SAVES]
#   (defaults: a corpus of 10000 reports; 20 saves on the example site, 5 on the corpus)
#
# Needs python3 (for the corpus generator in ../shared/bench, if present). Sites are
# copied to a temp folder first, so the real files are never edited. Set
# LAPA_BENCH_THEME=DIR to copy a theme folder into the copies as themes/default/.
set -euo pipefail
cd "$(dirname "$0")/.."
reports="${1:-10000}"
saves="${2:-20}"
corpus_saves="${3:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin lapa --example bench_serve
target="${CARGO_TARGET_DIR:-target}/release"
lapa="$target/lapa"
bench="$target/examples/bench_serve"

copy_site() { # SRC DEST
  mkdir -p "$2"
  cp -r "$1/site.yaml" "$1/content" "$2/"
  for d in themes templates i18n; do
    if [ -d "$1/$d" ]; then cp -r "$1/$d" "$2/"; fi
  done
  if [ -n "${LAPA_BENCH_THEME:-}" ]; then
    mkdir -p "$2/themes" && cp -r "$LAPA_BENCH_THEME" "$2/themes/default"
  fi
}

echo "== the example site"
copy_site . "$work/example"
"$bench" "$lapa" "$work/example" content/news/2024-03-28-budapest-mentorings.md "$saves"

echo "== a generated corpus of $reports reports"
gen="${LAPA_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}"
python3 "$gen" "$reports" "$work/corpus" > /dev/null
copy_site "$work/corpus/lapa" "$work/corpus-site"
"$bench" "$lapa" "$work/corpus-site" content/posts/post-00001.md "$corpus_saves"
