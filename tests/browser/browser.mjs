// What the browser scripts share: Debian's Chromium launched headless with a throwaway
// profile, every request to another origin refused and listed in the report, and checks
// that catch their own errors so that one failure does not hide the rest.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

// No sandbox (the tests run as root in CI), and none of Chromium's own background
// traffic, which the closed network would refuse.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Run `fn` and store its answer, or its error, under report[name].
export function attempter(report) {
  return async (name, fn) => {
    try {
      report[name] = await fn();
    } catch (error) {
      report[name] = { error: String(error && error.stack ? error.stack : error) };
    }
  };
}

// A browser whose requests may reach `origin` (and data:/blob: URLs) only; the others are
// aborted and appended to report.external_requests. Returns the context, its first page
// and close(), which also removes the profile.
export async function launch(origin, report, { defaultTimeout }) {
  const profile = mkdtempSync(path.join(tmpdir(), "gapkb-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.GAPKB_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(defaultTimeout);
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (target.startsWith(origin + "/") || target.startsWith("data:") || target.startsWith("blob:")) {
      return route.continue();
    }
    report.external_requests.push(target);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

// List the page's console errors and uncaught exceptions in the report, with the page's
// address; `ignore(text)` leaves out console messages a check expects (a 404 page's own).
export function watchErrors(page, report, ignore = () => false) {
  page.on("console", (msg) => {
    if (msg.type() === "error" && !ignore(msg.text())) report.console_errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => report.page_errors.push(`${page.url()}: ${error}`));
}

// open(p): load the site's page `p` (relative to `base`) in `page`; its HTTP status.
export function opener(page, base) {
  return async (p) => {
    const response = await page.goto(new URL(p, base).href, { waitUntil: "load" });
    return response ? response.status() : null;
  };
}
