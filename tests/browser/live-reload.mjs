// Live reload in a real browser: `node live-reload.mjs URL SITE_DIR`, with `lapa serve`
// serving SITE_DIR at URL (tests/it/browser.rs starts both).
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TIMEOUT, run, step } from "./lib.mjs";

const [url, site] = process.argv.slice(2);
if (!url || !site) {
  console.error("usage: node live-reload.mjs URL SITE_DIR");
  process.exit(2);
}
const REPORT = join(site, "content/news/2024-03-28-budapest-mentorings.md");
const PAGE = new URL("news/budapest-mentorings/", url).toString();

const report = (body) =>
  `---\ntitle: "Mentorings Budapeštā"\ndate: 2024-03-28\nauthors: [Ināra Jasvina]\n` +
  `project: kompetents-skolotajs-iii\ntags: [mentorings]\n---\n${body}\n`;

await run(async (browser) => {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.log(`  page error: ${e.message}`));
  let loads = 0;
  page.on("load", () => loads++);

  step("open a served report");
  const connected = page.waitForResponse((r) => r.url().endsWith("/__lapa/events"));
  await page.goto(PAGE);
  await page.getByText("Sākotnējais teksts par Budapeštu.").waitFor({ timeout: TIMEOUT });
  await connected;

  step("change its text on disk: the page shows it by itself");
  await writeFile(REPORT, report("Teksts pēc pirmās saglabāšanas."));
  await page.getByText("Teksts pēc pirmās saglabāšanas.").waitFor({ timeout: TIMEOUT });

  step("save as vim does (a temp file renamed over the report)");
  await writeFile(`${REPORT}.tmp`, report("Teksts pēc pārdēvēšanas."));
  await rename(`${REPORT}.tmp`, REPORT);
  await page.getByText("Teksts pēc pārdēvēšanas.").waitFor({ timeout: TIMEOUT });

  step("break the front matter: the overlay names the file");
  const good = await readFile(REPORT, "utf8");
  await writeFile(REPORT, `---\ntitle: "<b>nepabeigts\ndate: 2024-03-28\n---\nX\n`);
  const overlay = page.locator("#lapa-overlay");
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });
  const text = await overlay.innerText();
  if (!text.includes("content/news/2024-03-28-budapest-mentorings.md")) {
    throw new Error(`the overlay does not name the file: ${text}`);
  }
  if ((await overlay.locator("b").count()) > 0) {
    throw new Error("the overlay let markup from the file through");
  }
  // The last good page is still there under the overlay.
  await page.getByText("Teksts pēc pārdēvēšanas.").waitFor({ timeout: TIMEOUT });

  step("a fresh load while broken shows the overlay too");
  await page.reload();
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });

  step("fix it: the overlay goes and the page is back");
  await writeFile(REPORT, good.replace("pārdēvēšanas", "labošanas"));
  await overlay.waitFor({ state: "detached", timeout: TIMEOUT });
  await page.getByText("Teksts pēc labošanas.").waitFor({ timeout: TIMEOUT });

  step("delete the report: its URL gives the 404 page");
  await rm(REPORT);
  await page.getByText("404:").waitFor({ timeout: TIMEOUT });
  const status = await page.evaluate(async () => (await fetch(location.href)).status);
  if (status !== 404) throw new Error(`the deleted report's URL answers ${status}`);

  step(`the page loaded ${loads} times, once per change`);
  if (loads > 7) throw new Error(`too many reloads: ${loads}`);
});
