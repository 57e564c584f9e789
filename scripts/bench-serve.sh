#!/usr/bin/env bash
# How long a save takes to reach the page a browser shows in `lapa serve`, for each kind
# of save (an edit, a title in the lists, a new report, a deleted one, a renamed one, a
# date moved to the top of every list, a change of tags), on the example site and on a
# generated corpus; and the preview's memory (VmHWM, VmRSS from /proc) over the saves.
#
#   scripts/bench-serve.sh [N_REPORTS] [SAVES_PER_KIND] [LAPA_BINARY]
#   (defaults: 10000 reports, 20 saves of each kind, target/release/lapa built here)
#
# The saves go on, round after round of every kind, until the preview has made at least
# LAPA_BENCH_MEMORY_SAVES saves (default 100), so the memory it reports at the end is
# after that many saves, whatever SAVES_PER_KIND is; the times are of every round.
#
# The time is from the moment the file is written until a GET of the page that shows the
# change shows it: the script listens to the preview's event stream (/__lapa/events, as
# a browser tab does) and asks for the page at each event (and every 10 ms after one,
# until it shows the change). Saves are LAPA_BENCH_PAUSE seconds apart (default 1.0: the
# search index is made in the pauses, as between a teacher's saves).
#
# A corpus is made with ../shared/bench/gen_corpus.py (LAPA_CORPUS_GENERATOR), or
# copied from LAPA_CORPUS=DIR (a folder with site.yaml and content/). Sites are copied
# to a temp folder first, so the real files are never edited. Needs bash, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
reports="${1:-10000}"
saves="${2:-20}"
lapa="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "$lapa" ]; then
  cargo build --release --quiet --bin lapa
  lapa="${CARGO_TARGET_DIR:-target}/release/lapa"
fi
lapa="$(realpath "$lapa")"

copy_site() { # SRC DEST
  mkdir -p "$2"
  cp -r "$1/site.yaml" "$1/content" "$2/"
  for d in themes templates i18n; do
    if [ -d "$1/$d" ]; then cp -r "$1/$d" "$2/"; fi
  done
}

measure() { # SITE SECTION_FOLDER LABEL
  python3 - "$lapa" "$1" "$2" "$saves" "$3" "${LAPA_BENCH_PAUSE:-1.0}" \
    "${LAPA_BENCH_MEMORY_SAVES:-100}" <<'PY'
import os, queue, re, socket, subprocess, sys, threading, time

lapa, site, section, saves, label, pause, memory_saves = sys.argv[1:8]
saves, pause = int(saves), float(pause)
# Seven saves a round; enough rounds for the memory figure after `memory_saves` saves.
saves = max(saves, -(-int(memory_saves) // 7))
folder = os.path.join(site, "content", section)

def front(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^date:\s*(\S+)", text, re.M)
    return text, (m.group(1)[:10] if m else "")

# The site's reports in its default language: (date, file name).
reports = []
for name in os.listdir(folder):
    if name.endswith(".md") and not name.startswith("_") and name.count(".") == 1:
        reports.append((front(os.path.join(folder, name))[1], name))
reports.sort()
oldest, newest = reports[0], reports[-1]
# The report that gets edited, renamed and retagged: one in the middle.
target = reports[len(reports) // 2][1]

def slug(name):
    return re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name[:-3])

def url(name):
    return f"/{section}/{slug(name)}/"

port = socket.socket()
port.bind(("127.0.0.1", 0))
port_no = port.getsockname()[1]
port.close()
started = time.monotonic()
proc = subprocess.Popen(
    [lapa, "serve", "--root", site, "--port", str(port_no)],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    # The lines read below are the English ones, whatever the site's language.
    env={**os.environ, "LAPA_LANG": "en"},
)
built = []
first_build = None
for line in proc.stdout:
    if line.startswith("Serving"):
        break
    if line.startswith("built "):
        first_build = line.strip()
startup = time.monotonic() - started

def drain():
    for line in proc.stdout:
        m = re.search(r"\((\d+) files rendered\) in (\d+) ms", line)
        if m:
            built.append((int(m.group(1)), int(m.group(2))))
threading.Thread(target=drain, daemon=True).start()

def status():
    out = {}
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS"):
                out[k] = int(v.split()[0]) // 1024
    return out

events = queue.Queue()
def listen():
    s = socket.create_connection(("127.0.0.1", port_no))
    s.sendall(f"GET /__lapa/events HTTP/1.0\r\nHost: 127.0.0.1:{port_no}\r\n"
              "Accept: text/event-stream\r\n\r\n".encode())
    f = s.makefile("rb")
    for raw in f:
        if raw.startswith(b"data: "):
            events.put(time.monotonic())
threading.Thread(target=listen, daemon=True).start()
events.get(timeout=60)  # the current build, sent on connecting

def get(path):
    s = socket.create_connection(("127.0.0.1", port_no))
    s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port_no}\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(1 << 16):
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode("utf-8", "replace")

def timed(save, shows):
    """Seconds from the save until `shows()` holds."""
    while not events.empty():
        events.get_nowait()
    t0 = time.monotonic()
    save()
    deadline = t0 + 60
    events.get(timeout=60)
    while not shows():
        if time.monotonic() > deadline:
            raise SystemExit(f"{label}: a save never showed")
        try:
            events.get(timeout=0.01)
        except queue.Empty:
            pass
    return time.monotonic() - t0

def path(name):
    return os.path.join(folder, name)

def write(name, text):
    with open(path(name), "w", encoding="utf-8") as f:
        f.write(text)

def set_line(text, key, value):
    line = f"{key}: {value}"
    if re.search(rf"^{key}:.*$", text, re.M):
        return re.sub(rf"^{key}:.*$", lambda _: line, text, count=1, flags=re.M)
    return text.replace("---\n", f"---\n{line}\n", 1)

def later(day, n):
    y, m, d = (int(x) for x in day.split("-"))
    return f"{y + 1 + n // 28:04d}-01-{n % 28 + 1:02d}"

results = {}
def record(kind, seconds):
    results.setdefault(kind, []).append(seconds * 1000)

memory = [("after the first build", status())]
target_text = front(path(target))[0]
renamed = target[:-3] + "-b.md"
own_tags = (re.findall(r"^tags:(.*)$", target_text, re.M) or ["[]"])[0].strip()
newest_text = front(path(newest[1]))[0]
oldest_text = front(path(oldest[1]))[0]
for i in range(saves):
    time.sleep(pause)
    mark = f"Labojums nr. {i}"
    # The edited report is renamed back and forth below: `cur` is its name now.
    cur = target if i % 2 == 0 else renamed
    record("edit", timed(lambda: write(cur, f"{target_text}\n\n{mark}.\n"),
                         lambda: mark in get(url(cur))[1]))
    time.sleep(pause)
    title = f"Virsraksts nr. {i}"
    record("title", timed(lambda: write(newest[1], set_line(newest_text, "title", f'"{title}"')),
                          lambda: title in get("/")[1]))
    time.sleep(pause)
    new = f"bench-new-{i}.md"
    new_title = f"Jauna ziņa nr. {i}"
    record("new", timed(
        lambda: write(new, f'---\ntitle: "{new_title}"\ndate: {later(newest[0], i)}\n---\nTeksts.\n'),
        lambda: get(url(new))[0] == 200 and new_title in get("/")[1]))
    time.sleep(pause)
    record("delete", timed(lambda: os.remove(path(new)),
                           lambda: get(url(new))[0] == 404 and new_title not in get("/")[1]))
    time.sleep(pause)
    a, b = (target, renamed) if i % 2 == 0 else (renamed, target)
    record("rename", timed(lambda: os.rename(path(a), path(b)),
                           lambda: get(url(b))[0] == 200 and get(url(a))[0] == 404))
    time.sleep(pause)
    # The oldest report moves to the top of every list, then back (each a save).
    moved = url(oldest[1])
    if i % 2 == 0:
        text = set_line(oldest_text, "date", later(newest[0], 100 + i))
        shows = lambda: moved in get("/")[1]
    else:
        text = oldest_text
        shows = lambda: moved not in get("/")[1]
    record("date", timed(lambda: write(oldest[1], text), shows))
    time.sleep(pause)
    # A tag of its own, then back to its own tags (each a save).
    tag = f"birka-{i - i % 2}"
    if i % 2 == 0:
        text = set_line(front(path(b))[0], "tags", f"[{tag}]")
        shows = lambda: url(b) in get(f"/tags/{tag}/")[1]
    else:
        text = set_line(front(path(b))[0], "tags", own_tags)
        shows = lambda: get(f"/tags/{tag}/")[0] == 404
    record("tags", timed(lambda: write(b, text), shows))
    if i in (0, saves // 2 - 1):
        memory.append((f"after {7 * (i + 1)} saves", status()))
    print(f"  ({label}: {7 * (i + 1)} saves made)", file=sys.stderr, flush=True)
    while not events.empty():
        events.get_nowait()
time.sleep(pause)
memory.append((f"after {7 * saves + 1} saves", status()))
proc.terminate()
proc.wait()

print(f"{label}: {first_build}; start-up {startup:.1f} s; {saves} saves of each kind")
print(f"  {'save':<8} {'median':>8} {'p90':>8} {'max':>8}  (ms, file written -> page shows it)")
for kind, ms in results.items():
    ms.sort()
    pick = lambda q: ms[round((len(ms) - 1) * q)]
    print(f"  {kind:<8} {pick(0.5):>8.0f} {pick(0.9):>8.0f} {pick(1.0):>8.0f}")
if built:
    rendered = sorted(n for n, _ in built)
    ms = sorted(t for _, t in built)
    print(f"  rebuilds: {len(built)}, files rendered median {rendered[len(rendered) // 2]}, "
          f"max {rendered[-1]}; rebuild alone median {ms[len(ms) // 2]} ms, max {ms[-1]} ms")
for when, m in memory:
    print(f"  memory {when}: VmHWM {m.get('VmHWM')} MiB, VmRSS {m.get('VmRSS')} MiB")
PY
}

echo "== the example site"
copy_site . "$work/example"
measure "$work/example" news "example site"

echo "== a corpus of $reports reports"
if [ -n "${LAPA_CORPUS:-}" ]; then
  copy_site "$LAPA_CORPUS" "$work/corpus"
else
  gen="${LAPA_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}"
  python3 "$gen" "$reports" "$work/gen" > /dev/null
  copy_site "$work/gen/lapa" "$work/corpus"
fi
measure "$work/corpus" posts "$reports reports"
