// Not a test: measures what one query downloads, for BENCHMARKS.md. Compares lapa's own
// index with Pagefind's on the same built site (run `pagefind --site DIR` first).
//
//   node bench-search.mjs SITE_DIR [lapa|pagefind] QUERY...
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { launch } from "./lib.mjs";
import { serve } from "./static-server.mjs";

const [dir, engine, ...queries] = process.argv.slice(2);
const site = await serve(dir);
const browser = await launch();
const PAGEFIND = `<!doctype html><html lang="lv"><title>pf</title><script type="module">
const pf = await import("/pagefind/pagefind.js"); await pf.init();
window.go = async (q) => { const s = await pf.search(q);
  const r = await Promise.all(s.results.slice(0, 10).map((x) => x.data()));
  return { count: s.results.length, first: r.map((d) => d.meta.title).slice(0, 3) }; };
window.ready = true;</script>`;

for (const query of queries) {
  const page = await browser.newPage();
  const start = site.sent.length;
  let result;
  if (engine === "pagefind") {
    await page.route("**/pf.html", (route) => route.fulfill({ contentType: "text/html", body: PAGEFIND }));
    await page.goto(site.url + "/pf.html");
    await page.waitForFunction(() => window.ready);
    result = await page.evaluate((q) => window.go(q), query);
  } else {
    await page.goto(site.url + "/search/");
    await page.fill("#search-input", query);
    await page.press("#search-input", "Enter");
    await page.waitForFunction(() => document.querySelector("#search-status").textContent.trim() !== "");
    await page.waitForFunction(() => [...document.querySelectorAll("#search-results li")].every((li) => li.querySelector("a")));
    result = {
      count: await page.textContent("#search-status"),
      first: (await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent))).slice(0, 3),
    };
  }
  await page.waitForTimeout(300);
  const files = site.sent.slice(start).filter((f) => !/\.(html|css|svg|jpg)$/.test(f.path));
  const raw = files.reduce((n, f) => n + f.bytes, 0);
  const gz = files.reduce((n, f) => n + (f.path.endsWith(".json") || f.path.endsWith(".js")
    ? gzipSync(readFileSync(join(dir, f.path)), { level: 6 }).length : f.bytes), 0);
  console.log(JSON.stringify({ engine, query, requests: files.length, raw, gzip: gz, result }));
  await page.close();
}
await browser.close();
await site.close();
process.exit(0);
