// The funding statement follows Annex IX of Regulation (EU) 2021/1060 on the example
// site's funded report, project page and a plain page naming a project, at 320, 768 and
// 1280 px, light and dark:
// - its CSS font stack names only the allowed fonts and a generic family last, and the
//   font the browser draws it with (CDP CSS.getPlatformFontsForNode) is an allowed one,
//   on this computer too, which has none of them installed: the theme brings Ubuntu;
// - the font costs nothing on a page without a block (the home page, the search page),
//   an English statement downloads the "latin" file only, a Latvian one both; the step
//   says how many bytes;
// - its colour is Reflex Blue (#003399), black or white; it is upright and not underlined;
// - its box sits beside the emblem's, or directly under it, and never overlaps it.
//
//   node funding-statement.mjs SITE_DIR
import { execFileSync } from "node:child_process";
import { run, step, TIMEOUT } from "./lib.mjs";
import { serve } from "./static-server.mjs";

const PAGES = ["news/budapest-mentorings/", "projects/kompetents-skolotajs-iii/", "par-skolu/"];
const ALLOWED = ["arial", "auto", "calibri", "garamond", "trebuchet", "trebuchet ms", "tahoma", "verdana", "ubuntu"];
const GENERIC = ["sans-serif", "serif"];
const COLOURS = ["rgb(0, 51, 153)", "rgb(0, 0, 0)", "rgb(255, 255, 255)"];

const installed = new Set(
  execFileSync("fc-list", [":", "family"], { encoding: "utf8" })
    .split("\n")
    .flatMap((line) => line.split(","))
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean),
);
const allowedHere = ALLOWED.filter((f) => installed.has(f));
step(`allowed fonts installed on this computer: ${allowedHere.join(", ") || "none"}`);

const site = await serve(process.argv[2]);
const problems = [];

// The font files a page downloads, when it is the first page a reader opens.
const FONT_FILES = {
  "/": [],
  "/search/": [],
  "/en/": [],
  "/news/budapest-mentorings/": ["ubuntu-latin-700-normal.woff2", "ubuntu-latin-ext-700-normal.woff2"],
  "/en/news/budapest-mentorings/": ["ubuntu-latin-700-normal.woff2"],
};

await run(async (browser) => {
  for (const [url, want] of Object.entries(FONT_FILES)) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const fonts = [];
    page.on("response", async (r) => {
      if (r.url().endsWith(".woff2")) fonts.push({ name: r.url().split("/").pop(), bytes: (await r.body()).length });
    });
    await page.goto(site.url + url);
    await page.evaluate(() => document.fonts.ready);
    await page.waitForLoadState("networkidle");
    const got = fonts.map((f) => f.name).sort();
    const bytes = fonts.reduce((n, f) => n + f.bytes, 0);
    step(`${url}: ${got.length} font file(s), ${bytes} bytes${got.length ? ` (${got.join(", ")})` : ""}`);
    if (JSON.stringify(got) !== JSON.stringify([...want].sort())) {
      problems.push(`${url}: downloads the font files [${got.join(", ")}], not [${want.join(", ")}]`);
    }
    await context.close();
  }

  for (const scheme of ["light", "dark"]) {
    for (const width of [320, 768, 1280]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT);
      const cdp = await context.newCDPSession(page);
      await cdp.send("DOM.enable");
      await cdp.send("CSS.enable");
      for (const [prefix, path] of PAGES.flatMap((p) => [["/", p], ["/en/", p]])) {
        const url = prefix + path;
        const where = `${url} at ${width} px, ${scheme}`;
        const response = await page.goto(site.url + url);
        if (!response.ok()) {
          problems.push(`${where}: HTTP ${response.status()}`);
          continue;
        }
        // font-display: swap draws a fallback first: wait until the theme's font is in.
        await page.evaluate(() => document.fonts.ready);
        const blocks = await page.locator(".eu-funding").count();
        if (blocks === 0) problems.push(`${where}: no funding block`);
        for (let i = 0; i < blocks; i++) {
          const block = page.locator(".eu-funding").nth(i);
          const statement = block.locator(".eu-funding__statement");
          const style = await statement.evaluate((el) => {
            const s = getComputedStyle(el);
            return {
              family: s.fontFamily,
              colour: s.color,
              fontStyle: s.fontStyle,
              decoration: s.textDecorationLine,
              shadow: s.textShadow,
            };
          });
          const stack = style.family.split(",").map((f) => f.trim().replace(/^["']|["']$/g, "").toLowerCase());
          const generic = stack.filter((f) => GENERIC.includes(f));
          const named = stack.filter((f) => !GENERIC.includes(f));
          if (named.some((f) => !ALLOWED.includes(f)) || generic.length !== 1 || stack[stack.length - 1] !== generic[0]) {
            problems.push(`${where}: font-family ${style.family} is not only allowed fonts with a generic family last`);
          }
          if (!COLOURS.includes(style.colour)) problems.push(`${where}: colour ${style.colour}`);
          if (style.fontStyle !== "normal") problems.push(`${where}: font-style ${style.fontStyle}`);
          if (style.decoration !== "none") problems.push(`${where}: text-decoration ${style.decoration}`);
          if (style.shadow !== "none") problems.push(`${where}: text-shadow ${style.shadow}`);

          // The font the text is drawn with.
          const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", await statementNode(cdp, i));
          const drawn = fonts.map((f) => f.familyName.toLowerCase());
          if (drawn.length === 0 || !drawn.every((f) => ALLOWED.includes(f))) {
            problems.push(`${where}: drawn in ${drawn.join(", ") || "nothing"}, not only in allowed fonts`);
          }
          if (width === 320 && i === 0) step(`${where}: ${style.colour}, drawn in ${drawn.join(", ")}`);

          // Beside the emblem (or directly under it), never on it.
          const e = await block.locator(".eu-emblem").boundingBox();
          const t = await statement.boundingBox();
          if (!e || !t) {
            problems.push(`${where}: the emblem or the statement is not shown`);
            continue;
          }
          const overlap = e.x < t.x + t.width && t.x < e.x + e.width && e.y < t.y + t.height && t.y < e.y + e.height;
          const beside = t.x >= e.x + e.width && t.y < e.y + e.height && t.y + t.height > e.y;
          const under = t.y >= e.y + e.height && t.y - (e.y + e.height) <= 16 && Math.abs(t.x - e.x) <= 1;
          if (overlap) problems.push(`${where}: the statement overlaps the emblem`);
          if (!beside && !under) {
            problems.push(`${where}: the statement (${JSON.stringify(t)}) is neither beside nor directly under the emblem (${JSON.stringify(e)})`);
          }
        }
      }
      await context.close();
    }
  }
  if (problems.length > 0) throw new Error(`\n${problems.join("\n")}`);
});
// The static server's open connections would keep node alive: end as the other scenarios do.
await site.close();
process.exit(process.exitCode ?? 0);

// The CDP node id of the i-th funding statement on the page.
async function statementNode(cdp, i) {
  const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
  const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: ".eu-funding__statement" });
  return { nodeId: nodeIds[i] };
}
