// Search in the browser, as a visitor uses it: with and without diacritics, by
// keyboard, announced to a screen reader, and without JavaScript.
//
//   node search.mjs SITE_DIR
import { run, step, TIMEOUT } from "./lib.mjs";
import { serve } from "./static-server.mjs";

const site = await serve(process.argv[2]);

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

// Type `query` on the search page at `path`; the result links' paths and the status.
async function search(page, path, query) {
  await page.goto(site.url + path);
  await page.fill("#search-input", query);
  await page.waitForFunction(() => document.querySelector("#search-status").textContent.trim() !== "");
  await page.waitForFunction(() => [...document.querySelectorAll("#search-results li")].every((li) => li.querySelector("a")));
  const links = await page.$$eval("#search-results li a", (as) => as.map((a) => new URL(a.href).pathname));
  const status = (await page.textContent("#search-status")).trim();
  step(`${path} "${query}": ${status}: ${links.join(" ")}`);
  return { links, status };
}

// The example site's reports with Budapest in the title.
const BUDAPEST = ["/news/budapest-mentorings/", "/news/budapesta-darba-verosana/"];

await run(async (browser) => {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));

  for (const query of ["budapesta", "Budapešta", "BUDAPEŠTĀ", "budapeštā"]) {
    const { links, status } = await search(page, "/search/", query);
    // Two reports have Budapest in their titles: they come first, in either order.
    assert(BUDAPEST.includes(links[0]) && links.slice(0, 2).includes("/news/budapest-mentorings/"),
      `"${query}" does not put the Budapest reports first: ${links}`);
    assert(/\d/.test(status), `the live region does not announce a count: "${status}"`);
  }
  const en = await search(page, "/en/search/", "budapest");
  assert(BUDAPEST.includes(en.links[0].slice(3)) && en.links.slice(0, 2).includes("/en/news/budapest-mentorings/"),
    `"budapest" on /en/search/ finds ${en.links}`);
  assert(en.links.every((l) => l.startsWith("/en/")), `English search shows other languages: ${en.links}`);

  step("a project's Latvian description, found from the English side, is marked lang=lv");
  await search(page, "/en/search/", "teacher");
  const langs = await page.$$eval("#search-results li", (lis) =>
    lis.map((li) => [new URL(li.querySelector("a").href).pathname, li.querySelector(".search-result__excerpt")?.lang || ""]));
  assert(langs.some(([url, lang]) => url.startsWith("/en/projects/") && lang === "lv"), JSON.stringify(langs));
  assert(langs.every(([url, lang]) => url.startsWith("/en/projects/") || lang === ""), JSON.stringify(langs));

  // "skolotaji" (no diacritics) finds pages with "skolotāji"; "skolotāj" finds its forms.
  for (const query of ["skolotaji", "skolotāj"]) {
    const { links } = await search(page, "/search/", query);
    assert(links.length > 0, `"${query}" finds nothing`);
    const marks = await page.$$eval("#search-results mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert(marks.some((m) => m.startsWith("skolotāj")), `"${query}": no excerpt marks a form of skolotāj-: ${marks}`);
  }
  const text = await (await page.request.get(site.url + (await search(page, "/search/", "skolotaji")).links[0])).text();
  assert(/skolotāj/i.test(text), "the first result for skolotaji does not contain skolotāj-");
  const both = await search(page, "/search/", "skolotaji mentorings");
  assert(both.links.includes("/news/budapest-mentorings/"), `two words: ${both.links}`);
  const none = await search(page, "/search/", "zzzqqq");
  assert(none.links.length === 0 && none.status.length > 0, `a query with no results: ${none.status}`);

  step("a query fetches its shards and the results' files, not the whole site's text");
  requests.length = 0;
  await search(page, "/search/", "budapesta");
  const docs = requests.filter((p) => p.includes("/search/lv/d/"));
  const shards = requests.filter((p) => p.includes("/search/lv/w/"));
  assert(shards.length <= 1 && docs.length <= 10, `fetched ${shards.length} shards, ${docs.length} documents`);

  step("the results are a labelled list of links in a live region's wake");
  const roles = await page.evaluate(() => ({
    label: document.querySelector("label[for=search-input]").textContent.trim(),
    status: document.querySelector("#search-status").getAttribute("role"),
    list: document.querySelector("#search-results").tagName,
  }));
  assert(roles.label && roles.status === "status" && roles.list === "OL", JSON.stringify(roles));

  step("Tab from the input reaches the first result; Enter opens it");
  await search(page, "/search/", "budapesta");
  await page.focus("#search-input");
  const first = await page.$eval("#search-results li a", (a) => new URL(a.href).pathname);
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement.closest("#search-results") !== null)) break;
  }
  const focused = await page.evaluate(() => document.activeElement.closest("#search-results") && new URL(document.activeElement.href).pathname);
  assert(focused === first, `Tab did not reach the first result (focus is on ${focused})`);
  await Promise.all([page.waitForURL((u) => u.pathname === first), page.keyboard.press("Enter")]);

  step("Enter on a focused result opens it");
  const opened = (await search(page, "/en/search/", "budapest")).links[0];
  await page.focus("#search-results li a");
  await Promise.all([page.waitForURL((u) => u.pathname === opened), page.keyboard.press("Enter")]);

  step("?q= in the address searches at once");
  await page.goto(site.url + "/search/?q=budapesta");
  await page.waitForSelector("#search-results li a");

  step("without JavaScript the page links to the archive and the tags");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(site.url + "/search/");
  const fallback = await plain.$$eval("#search-fallback a", (as) => as.map((a) => new URL(a.href).pathname));
  assert(fallback.includes("/archive/") && fallback.includes("/tags/"), `fallback links: ${fallback}`);
  await context.close();

  step("only the search page loads a script");
  const report = await browser.newPage();
  await report.goto(site.url + "/news/budapest-mentorings/");
  assert((await report.$$("script")).length === 0, "a report page has a script");
});
await site.close();
process.exit(process.exitCode ?? 0);
