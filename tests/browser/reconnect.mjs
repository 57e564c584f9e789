// A tab finds a restarted server by itself and reloads once: `node reconnect.mjs URL`.
// Prints "opened" when the page is up, then waits for a line "restarted" on stdin
// (tests/it/browser.rs restarts `lapa serve` on the same port in between).
import { createInterface } from "node:readline";
import { TIMEOUT, run, step } from "./lib.mjs";

const [url] = process.argv.slice(2);
if (!url) {
  console.error("usage: node reconnect.mjs URL");
  process.exit(2);
}
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

await run(async (browser) => {
  const page = await browser.newPage();
  let loads = 0;
  page.on("load", () => loads++);
  const connected = page.waitForResponse((r) => r.url().endsWith("/__lapa/events"));
  await page.goto(new URL("news/budapest-mentorings/", url).toString());
  await connected;
  await page.evaluate(() => (window.lapaMarker = "before the restart"));
  console.log("opened");
  const answer = await lines.next();
  if (answer.done || answer.value.trim() !== "restarted") throw new Error("no restart");

  step("the tab reconnects and reloads into the new server's build");
  await page.waitForFunction(() => window.lapaMarker === undefined, null, { timeout: TIMEOUT });
  await page.getByText("Sākotnējais teksts par Budapeštu.").waitFor({ timeout: TIMEOUT });
  const after = loads;
  step("and then stays put");
  await page.waitForTimeout(2000);
  if (loads !== after) throw new Error(`the tab kept reloading: ${loads - after} more loads`);
});
process.exit(process.exitCode ?? 0);
