// The gaps page's as-of picker, the coverage matrix on a phone, the concept page's print
// brief and search in Chinese, Japanese and Korean, in headless Chromium over a built site.
// Run by tests/site/test_browser.py, which builds and serves the site and asserts on the
// JSON this prints; this script only looks and reports.
//
//   node asof-matrix-print.mjs <base-url> <out-dir> <picked-date> <concept-path> <query>...
//
// Each check catches its own errors ({"error": "..."}), so one failure does not hide the rest.

import path from "node:path";
import { attempter, launch, opener, watchErrors } from "./browser.mjs";

const [base, outDir, picked, concept, ...queries] = process.argv.slice(2);
if (!base || !outDir || !picked || !concept) {
  console.error("usage: node asof-matrix-print.mjs <base-url> <out-dir> <picked-date> <concept-path> <query>...");
  process.exit(2);
}
const origin = new URL(base).origin;
const report = { external_requests: [], console_errors: [], page_errors: [] };
const attempt = attempter(report);
const { page, close } = await launch(origin, report, { defaultTimeout: 20_000 });
watchErrors(page, report);
const open = opener(page, base);

// The concepts listed as gaps, in order, and what the status line says.
async function gapList() {
  return page.evaluate(() => ({
    rows: [...document.querySelectorAll("#as-of .gk-asof__gaps tbody tr")].map((tr) => [
      tr.dataset.concept,
      tr.querySelector(".gk-status")?.textContent.trim(),
    ]),
    used_by: Object.fromEntries(
      [...document.querySelectorAll("#as-of .gk-asof__counts tbody tr")].map((tr) => [
        tr.dataset.concept,
        Number(tr.cells[1].textContent),
      ]),
    ),
    status: document.querySelector("#as-of .gk-asof__status").textContent.trim(),
    shown: document.getElementById("as-of").dataset.shown || "",
  }));
}

// Pick a date in the gaps page's picker; read the gap list before and after.
await attempt("asof", async () => {
  const status = await open("gaps/");
  await page.locator("#as-of .gk-asof__form").waitFor({ state: "visible" });
  await page.waitForFunction(() => document.getElementById("as-of").dataset.shown);
  const before = await gapList();
  const milestones = await page.locator("#gk-asof-milestone option").allTextContents();
  await page.locator("#gk-asof-date").fill(picked);
  await page.waitForFunction((day) => document.getElementById("as-of").dataset.shown === day, picked);
  const after = await gapList();
  // Back to the build date with the button, as a reader would.
  await page.locator("[data-asof-reset]").click();
  await page.waitForFunction((day) => document.getElementById("as-of").dataset.shown === day, before.shown);
  const reset = await gapList();
  return { status, before, after, reset, milestones };
});

// The matrix on a phone: filter, sort, open a cell; the page never scrolls sideways.
await attempt("matrix", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const status = await open("matrix/");
  await page.locator("#matrix table.gk-matrix").waitFor();
  const read = () =>
    page.evaluate(() => {
      const table = document.querySelector("#matrix table.gk-matrix");
      const wrap = document.querySelector("#matrix .gk-matrix-wrap");
      const doc = document.scrollingElement;
      return {
        rows: [...table.querySelectorAll("tbody tr[data-concept]")].map((tr) => tr.dataset.concept),
        columns: [...table.querySelectorAll("thead .gk-matrix__instrument a")].map((a) => a.textContent),
        page_scroll_width: doc.scrollWidth,
        page_client_width: doc.clientWidth,
        wrap_scroll_width: wrap.scrollWidth,
        wrap_client_width: wrap.clientWidth,
        wrap_right: wrap.getBoundingClientRect().right,
        first_column_position: getComputedStyle(table.querySelector("tbody th[scope=row]")).position,
        controls_right: Math.max(
          ...[...document.querySelectorAll("#matrix .gk-matrix__control")].map((c) => c.getBoundingClientRect().right),
        ),
      };
    });
  const all = await read();
  const categories = await page.locator("#gk-matrix-category option").allTextContents();
  const jurisdictions = await page.locator("#gk-matrix-jurisdiction option").allTextContents();
  // Filter by the last category and then by strength, as a reader would on a phone.
  const lastCategory = await page.locator("#gk-matrix-category option").last().getAttribute("value");
  await page.locator("#gk-matrix-category").selectOption(lastCategory);
  const byCategory = await read();
  await page.locator("#gk-matrix-category").selectOption("");
  await page.locator("#gk-matrix-strength").selectOption("explicit");
  const explicit = await read();
  await page.locator("#gk-matrix-strength").selectOption("");
  await page.locator("#gk-matrix-jurisdiction").selectOption(jurisdictions[1]);
  const byJurisdiction = await read();
  await page.locator("#gk-matrix-jurisdiction").selectOption("");
  await page.locator("#gk-matrix-rows").selectOption("used");
  const sorted = await read();
  // Scroll the table sideways: the first column stays where it was, the page does not move.
  const sticky = await page.evaluate(() => {
    const wrap = document.querySelector("#matrix .gk-matrix-wrap");
    const head = document.querySelector("#matrix tbody th[scope=row]");
    const left = head.getBoundingClientRect().left;
    wrap.scrollLeft = wrap.scrollWidth;
    return {
      scrolled: wrap.scrollLeft,
      moved: Math.abs(head.getBoundingClientRect().left - left),
      page_x: window.scrollX,
    };
  });
  // Open the first cell: a dialog with its provisions' links.
  const button = page.locator("#matrix .gk-cell__open").first();
  await button.scrollIntoViewIfNeeded();
  await button.click();
  const dialog = page.locator("#matrix dialog.gk-matrix__dialog");
  await dialog.waitFor({ state: "visible" });
  const links = await dialog.locator("li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const heading = (await dialog.locator("h2").innerText()).trim();
  await dialog.locator(".gk-matrix__close").click();
  await page.setViewportSize({ width: 1280, height: 900 });
  return {
    status,
    all,
    categories,
    jurisdictions,
    by_category: { value: lastCategory, ...byCategory },
    explicit,
    by_jurisdiction: { value: jurisdictions[1], ...byJurisdiction },
    sorted,
    sticky,
    dialog: { heading, links },
  };
});

// Print the concept page (the brief) on A4 and Letter, and its full record on A4.
await attempt("print", async () => {
  const files = {};
  for (const [name, hash, format] of [
    ["brief-a4", "", "A4"],
    ["brief-letter", "", "Letter"],
    ["full-a4", "#full-record", "A4"],
  ]) {
    await page.goto("about:blank");
    await open(concept + hash);
    await page.emulateMedia({ media: "print" });
    const file = path.join(outDir, `${name}.pdf`);
    await page.pdf({ path: file, format, printBackground: true });
    await page.emulateMedia({ media: "screen" });
    files[name] = file;
  }
  return { files, canonical: await page.locator("link[rel=canonical]").getAttribute("href") };
});

// Material's search: type each phrase, read the results.
await attempt("search", async () => {
  const found = {};
  for (const query of queries) {
    await open("");
    await page.waitForFunction(
      () => document.querySelector(".md-search-result__meta")?.textContent.trim() !== "Initializing search",
    );
    const input = page.locator("input.md-search__input");
    await input.click();
    await input.pressSequentially(query, { delay: 20 });
    // Characters typed through an input method arrive without a keyup of their own; the
    // reader's next key (here End) is what Material's search listens for.
    await input.press("End");
    const results = page.locator(".md-search-result__item");
    await results.first().waitFor({ state: "visible" });
    found[query] = {
      meta: (await page.locator(".md-search-result__meta").innerText()).trim(),
      hrefs: await page
        .locator(".md-search-result__item > a")
        .evaluateAll((as) => as.map((a) => new URL(a.href).pathname)),
    };
  }
  return found;
});

await close();
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
