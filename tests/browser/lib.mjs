// Shared by the browser scenarios: start Debian's chromium, report a step, fail clearly.
import { chromium } from "playwright-core";

export const TIMEOUT = 10_000;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.LAPA_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// Print a step, so a failure says how far the scenario got.
export function step(text) {
  console.log(`- ${text}`);
}

// Run `scenario(browser)`; exit 1 with the error on any failure.
export async function run(scenario) {
  const browser = await launch();
  try {
    await scenario(browser);
    console.log("ok");
  } catch (error) {
    console.error(`FAILED: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
