// The funding block as a reader gets it from the default theme: on a funded report, a
// project page and a plain page that names a project, in both languages, the block has a
// box, is displayed and visible, and holds the emblem, the statement and the disclaimer.
//
//   node funding.mjs SITE_DIR
import { run, step, TIMEOUT } from "./lib.mjs";
import { serve } from "./static-server.mjs";

const site = await serve(process.argv[2]);

const PAGES = [
  ["/news/budapesta/", "Līdzfinansē Eiropas Savienība", "Ne Eiropas Savienība, ne VIAA nevar būt atbildīgas par tiem."],
  ["/en/news/budapesta/", "Co-funded by the European Union", "Neither the European Union nor VIAA can be held responsible for them."],
  ["/projects/kompetents-iii/", "Līdzfinansē Eiropas Savienība", "Ne Eiropas Savienība, ne VIAA nevar būt atbildīgas par tiem."],
  ["/en/projects/kompetents-iii/", "Co-funded by the European Union", "Neither the European Union nor VIAA can be held responsible for them."],
  ["/par-projektu/", "Līdzfinansē Eiropas Savienība", "Ne Eiropas Savienība, ne VIAA nevar būt atbildīgas par tiem."],
  ["/en/par-projektu/", "Co-funded by the European Union", "Neither the European Union nor VIAA can be held responsible for them."],
];

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

await run(async (browser) => {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    for (const [path, statement, disclaimer] of PAGES) {
      const response = await page.goto(site.url + path);
      assert(response && response.ok(), `${path} answered ${response && response.status()}`);
      const blocks = await page.$$eval("[data-eu-funding]", (els) =>
        els.map((el) => {
          const seen = (e) => {
            const box = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return {
              width: box.width,
              height: box.height,
              display: style.display,
              visibility: style.visibility,
              checkVisibility: e.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
            };
          };
          const emblem = el.querySelector("svg.eu-emblem");
          return {
            code: el.dataset.euFunding,
            block: seen(el),
            emblem: emblem ? seen(emblem) : null,
            text: el.innerText.replace(/\s+/g, " "),
          };
        }));
      step(`${path}: ${blocks.length} block(s): ${JSON.stringify(blocks.map((b) => [b.code, b.block]))}`);
      assert(blocks.length === 1, `${path} has ${blocks.length} funding blocks, not one`);
      const [b] = blocks;
      for (const [what, s] of [["the block", b.block], ["the emblem", b.emblem]]) {
        assert(s, `${path}: ${what} is missing`);
        assert(s.width > 0 && s.height > 0, `${path}: ${what} has no box: ${JSON.stringify(s)}`);
        assert(s.display !== "none", `${path}: ${what} is display: none`);
        assert(s.visibility === "visible", `${path}: ${what} is visibility: ${s.visibility}`);
        assert(s.checkVisibility, `${path}: ${what} is not visible to checkVisibility()`);
      }
      // innerText holds only what is rendered: the statement and the disclaimer are seen.
      assert(b.text.includes(statement), `${path}: the block does not show "${statement}": ${b.text}`);
      assert(b.text.includes(disclaimer), `${path}: the block does not show the disclaimer: ${b.text}`);
    }
  } finally {
    await site.close();
  }
});
