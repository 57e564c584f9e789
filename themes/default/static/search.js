// lapa's search: reads the word index lapa writes under search/LANG/ (see src/search/).
// A query fetches meta.json, one shard per word and one small file per result shown.
// Words are folded as lapa folds them (lowercase, diacritics off, the table from
// meta.json), so "budapesta" finds "Budapeštā"; a word matches every indexed word it
// begins, and a Latvian ending is dropped, so "skolotāji" also finds "skolotājs".
(function () {
  "use strict";
  var form = document.querySelector("form[data-search-index]");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!form || !input || !status || !list || !more || !window.fetch) return;

  var base = form.getAttribute("data-search-index");
  var PAGE = 10;
  var ENDINGS = ["ajam", "iem", "am", "as", "ai", "es", "is", "os", "us", "ie", "em", "im", "um",
    "a", "e", "i", "o", "s", "u"];
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var meta = null, shards = {}, docs = {}, run = 0, shown = [], found = [], timer = 0;

  function text(key) { return status.getAttribute("data-" + key) || ""; }

  // One lowercase character as the index spells it: a string, "" to drop, null to split.
  function foldChar(c) {
    if (/[a-z0-9]/.test(c)) return c;
    if (c < "\u0080") return null;
    if (c >= "\u0300" && c <= "\u036f") return "";
    if (meta.folds[c] !== undefined) return meta.folds[c];
    return WORD.test(c) ? c : null;
  }

  // The folded text and, per folded character, the index of its source in `s`.
  function fold(s) {
    var out = "", from = [], i = 0;
    for (var ch of s) {
      for (var lc of ch.toLowerCase()) {
        var f = foldChar(lc);
        if (f === null) f = " ";
        for (var k = 0; k < f.length; k++) { out += f[k]; from.push(i); }
      }
      i += ch.length;
    }
    from.push(i);
    return { text: out, from: from };
  }

  function words(s) {
    var seen = {};
    return fold(s).text.split(" ").filter(function (w) {
      var n = Array.from(w).length;
      if (n < 2 || n > 40 || seen[w]) return false;
      return (seen[w] = true);
    });
  }

  function stem(w) {
    if (w.length < 5) return w;
    for (var e of ENDINGS) {
      if (w.endsWith(e) && w.length - e.length >= 4) return w.slice(0, -e.length);
    }
    return w;
  }

  function shardName(w) {
    return Array.from(w).slice(0, 2).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }

  function get(path) {
    return fetch(base + path + "?v=" + meta.stamp).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function loadMeta() {
    if (meta) return Promise.resolve(meta);
    return fetch(base + "meta.json", { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("meta.json: " + r.status);
      return r.json();
    }).then(function (m) {
      if (m.version !== 1) throw new Error("index version " + m.version);
      return (meta = m);
    });
  }

  function shard(name) {
    if (meta.shards.indexOf(name) < 0) return Promise.resolve({});
    return shards[name] || (shards[name] = get("w/" + name + ".json"));
  }

  function doc(id) { return docs[id] || (docs[id] = get("d/" + id + ".json")); }

  function bytes(b64) {
    var s = atob(b64), a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }

  // Document numbers of a posting list: "!" and a bitmap, or varint gaps.
  function ids(p, each) {
    var a;
    if (p[0] === "!") {
      a = bytes(p.slice(1));
      for (var i = 0; i < a.length; i++) {
        for (var bit = 0; bit < 8; bit++) if (a[i] & (1 << bit)) each(i * 8 + bit);
      }
      return;
    }
    a = bytes(p);
    var id = 0, gap = 0, mul = 1;
    for (var j = 0; j < a.length; j++) {
      gap += (a[j] & 127) * mul;
      if (a[j] & 128) { mul *= 128; continue; }
      id += gap; each(id); gap = 0; mul = 1;
    }
  }

  // Score every document for one query word: 3 exact, 2 a longer word, 1 only by its
  // stem; twice that in a prominent field (summary, tags, place), four times in a title.
  // Zero is no match.
  function score(term, sh) {
    var root = stem(term), s = new Uint8Array(meta.docs);
    Object.keys(sh).forEach(function (w) {
      if (!w.startsWith(root)) return;
      var v = w === term ? 3 : w.startsWith(term) ? 2 : 1;
      sh[w].forEach(function (list, field) {
        var f = v * [1, 2, 4][field];
        ids(list, function (id) { if (s[id] < f) s[id] = f; });
      });
    });
    return s;
  }

  function search(query) {
    var mine = ++run;
    return loadMeta().then(function () {
      var terms = words(query);
      if (!terms.length) return null;
      return Promise.all(terms.map(function (t) { return shard(shardName(t)); })).then(function (all) {
        var total = new Float64Array(meta.docs).fill(0), hits = [];
        terms.forEach(function (t, k) {
          var s = score(t, all[k]);
          for (var id = 0; id < meta.docs; id++) total[id] = s[id] && (k === 0 || total[id]) ? total[id] + s[id] : 0;
        });
        for (var id = 0; id < meta.docs; id++) if (total[id]) hits.push(id);
        hits.sort(function (a, b) { return total[b] - total[a] || a - b; });
        return { terms: terms, hits: hits };
      });
    }).then(function (r) { if (mine === run) show(r); }, function (e) {
      if (mine !== run) return;
      status.textContent = text("error");
      if (window.console) console.error("search:", e);
    });
  }

  // "1 rezultāts", "5 rezultāti", "10 rezultātu": the page language's plural rules.
  function count(n) {
    var form = "other";
    try { form = new Intl.PluralRules(document.documentElement.lang).select(n); } catch (e) { /* old browser */ }
    return (text(form) || text("other")).replace("{n}", n);
  }

  function show(r) {
    list.textContent = "";
    shown = [];
    found = r ? r.hits : [];
    list.hidden = !found.length;
    if (!r) { status.textContent = ""; more.hidden = true; return; }
    status.textContent = found.length ? count(found.length) : text("none");
    page(r.terms, false);
  }

  // Show the next results; when asked, move focus to the first new one.
  function page(terms, focus) {
    var next = found.slice(shown.length, shown.length + PAGE), mine = run;
    shown = shown.concat(next);
    more.hidden = shown.length >= found.length;
    var items = next.map(function (id) {
      var li = document.createElement("li");
      li.className = "search-result";
      list.appendChild(li);
      return doc(id).then(function (d) { if (mine === run) fill(li, d, terms); });
    });
    if (focus && items.length) {
      items[0].then(function () { var a = list.children[shown.length - next.length].querySelector("a"); if (a) a.focus(); });
    }
  }

  function el(name, cls, content) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (content) e.textContent = content;
    return e;
  }

  function fill(li, d, terms) {
    var h = el("h2", "search-result__title"), a = el("a", "", d.title);
    a.href = d.url;
    h.appendChild(a);
    li.appendChild(h);
    if (d.date) {
      var p = el("p", "meta"), t = el("time", "", d.date_display);
      t.setAttribute("datetime", d.date);
      p.appendChild(t);
      li.appendChild(p);
    }
    var ex = excerpt(d.text, terms) || excerpt(d.summary, terms, true);
    if (ex && d.lang) ex.lang = d.lang;
    if (ex) li.appendChild(ex);
  }

  // About 30 words of `s` around the first match, matches marked; null when none
  // (unless `always`, for the summary).
  function excerpt(s, terms, always) {
    if (!s) return null;
    var f = fold(s), marks = [], re = new RegExp("(^| )(" + terms.map(stem).join("|") + ")[^ ]*", "g"), m;
    while ((m = re.exec(f.text))) {
      var start = m.index + m[1].length;
      marks.push([f.from[start], f.from[m.index + m[0].length]]);
    }
    if (!marks.length && !always) return null;
    var from = marks.length ? Math.max(0, marks[0][0] - 90) : 0;
    var to = Math.min(s.length, from + 240);
    if (from > 0) from = s.indexOf(" ", from) + 1 || from;
    if (to < s.length) to = s.lastIndexOf(" ", to) > from ? s.lastIndexOf(" ", to) : to;
    var p = el("p", "search-result__excerpt"), at = from;
    p.appendChild(document.createTextNode(from > 0 ? "… " : ""));
    marks.forEach(function (mk) {
      if (mk[0] < at || mk[1] > to) return;
      p.appendChild(document.createTextNode(s.slice(at, mk[0])));
      p.appendChild(el("mark", "", s.slice(mk[0], mk[1])));
      at = mk[1];
    });
    p.appendChild(document.createTextNode(s.slice(at, to) + (to < s.length ? " …" : "")));
    return p;
  }

  function go() {
    clearTimeout(timer);
    var q = input.value;
    var url = new URL(location.href);
    if (q.trim()) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    return search(q);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); go(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(go, 250); });
  more.addEventListener("click", function () { loadMeta().then(function () { page(words(input.value), true); }); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; go(); }
})();
