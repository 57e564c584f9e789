// Every page type of the example site, in both languages, light and dark: zero axe
// violations at WCAG 2.1 A and AA, and no sideways scrolling at 320 px (reflow).
//
//   node axe.mjs SITE_DIR
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { run, step, TIMEOUT } from "./lib.mjs";
import { serve } from "./static-server.mjs";

const PAGES = [
  "",
  "news/",
  "news/budapest-mentorings/",
  "pieklustamiba/",
  "tags/",
  "tags/mentorings/",
  "archive/",
  "archive/2024/",
  "projects/",
  "projects/kompetents-skolotajs-iii/",
  "mobility/",
  "search/",
  "404.html",
];
const EN_PAGES = PAGES.map((p) => (p === "tags/mentorings/" ? "tags/mentoring/" : p));
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// Best practices the theme promises too: landmarks, one h1, headings in order, a skip link.
const EXTRA_RULES = Object.fromEntries(
  ["heading-order", "page-has-heading-one", "landmark-one-main", "region", "skip-link",
    "landmark-unique", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
    "landmark-main-is-top-level", "empty-heading"].map((id) => [id, { enabled: true }]),
);

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const site = await serve(process.argv[2]);
const problems = [];

async function check(page, url, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    ([tags, rules]) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, rules }),
    [TAGS, EXTRA_RULES],
  );
  for (const v of result.violations) {
    const nodes = v.nodes.map((n) => `      ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n");
    problems.push(`${url} (${what}): ${v.id} – ${v.help}\n${nodes}`);
  }
}

await run(async (browser) => {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    for (const [prefix, pages] of [["/", PAGES], ["/en/", EN_PAGES]]) {
      for (const path of pages) {
        const url = prefix + path;
        const response = await page.goto(site.url + url);
        if (!response.ok() && path !== "404.html") problems.push(`${url}: HTTP ${response.status()}`);
        step(`axe ${url} (${scheme})`);
        await check(page, url, scheme);
        if (path === "search/") {
          await page.fill("#search-input", prefix === "/" ? "skolotāji" : "teachers");
          await page.press("#search-input", "Enter");
          await page.waitForSelector("#search-results li a");
          step(`axe ${url} with results (${scheme})`);
          await check(page, url, `${scheme}, with results`);
        }
      }
    }
    await context.close();
  }
  const narrow = await browser.newPage({ viewport: { width: 320, height: 640 } });
  for (const [prefix, pages] of [["/", PAGES], ["/en/", EN_PAGES]]) {
    for (const path of pages) {
      await narrow.goto(site.url + prefix + path);
      const wide = await narrow.evaluate(() => document.documentElement.scrollWidth);
      step(`reflow ${prefix}${path}: ${wide} px`);
      if (wide > 320) problems.push(`${prefix}${path}: ${wide} px wide at a 320 px viewport (it must reflow)`);
    }
  }
  step("keyboard: the first Tab shows the skip link with a visible focus ring; Enter goes to main");
  const kb = await browser.newPage();
  await kb.goto(site.url + "/news/budapest-mentorings/");
  await kb.keyboard.press("Tab");
  const focus = await kb.evaluate(() => {
    const e = document.activeElement, s = getComputedStyle(e);
    return { cls: e.className, top: e.getBoundingClientRect().top, outline: s.outlineStyle, ring: parseFloat(s.outlineWidth) };
  });
  if (focus.cls !== "skip-link" || focus.top < 0 || focus.outline === "none" || focus.ring < 2) problems.push(`skip link: ${JSON.stringify(focus)}`);
  await kb.keyboard.press("Enter");
  const target = await kb.evaluate(() => document.activeElement.id || location.hash);
  if (target !== "main" && target !== "#main") problems.push(`the skip link leads to ${target}`);

  step("print: a report keeps its text and funding block, and drops the menus");
  const print = await browser.newPage();
  await print.emulateMedia({ media: "print" });
  await print.goto(site.url + "/news/budapest-mentorings/");
  const printed = await print.evaluate(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
    return { funding: shown("[data-eu-funding]"), emblem: shown(".eu-emblem"), content: shown(".content"), nav: shown(".site-nav"), skip: shown(".skip-link") };
  });
  if (!printed.funding || !printed.emblem || !printed.content || printed.nav) problems.push(`print: ${JSON.stringify(printed)}`);
  if (problems.length) throw new Error(`${problems.length} accessibility problems:\n${problems.join("\n")}`);
});
await site.close();
process.exit(process.exitCode ?? 0);
