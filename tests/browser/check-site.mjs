// Drive headless Chromium over a built gapkb site and print what it saw as one JSON object.
// Run by tests/site/test_browser.py, which builds the site, serves it on 127.0.0.1 and asserts on
// the JSON; this script only looks and reports, so that every assertion lives in pytest.
//
//   node check-site.mjs <base-url> <out-dir>
//
// Environment: GAPKB_CHROMIUM (default /usr/bin/chromium). Requests to any host other than
// the base URL's are refused and listed in the report: the site must load nothing from outside.
// Each check catches its own errors ({"error": "..."}), so one failure does not hide the rest.

import { createRequire } from "node:module";
import path from "node:path";
import { attempter, launch, opener, watchErrors } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error("usage: node check-site.mjs <base-url> <out-dir>");
  process.exit(2);
}
const origin = new URL(base).origin;

const report = { external_requests: [], console_errors: [], page_errors: [] };
const attempt = attempter(report);
const { page, close } = await launch(origin, report, { defaultTimeout: 15_000 });
watchErrors(page, report);
const open = opener(page, base);

const CONCEPT = "concepts/model-merging-risk/";

// The headline number, as a reader sees it.
await attempt("concept", async () => {
  const status = await open(CONCEPT);
  return {
    status,
    title: await page.title(),
    h1: (await page.locator("article h1").first().innerText()).trim(),
    glance: await page.locator("#at-a-glance + *").first().innerText(),
  };
});

// Click every citation tab in order; after each click, which panels of that set are visible?
await attempt("citation_tabs", async () => {
  await open(CONCEPT);
  const sets = {};
  for (const block of ["cite-page", "cite-source"]) {
    const set = page.locator(`#${block} .tabbed-set`).first();
    const labels = set.locator(".tabbed-labels > label");
    const panels = set.locator(".tabbed-content > .tabbed-block");
    const clicks = [];
    for (let i = 0; i < (await labels.count()); i++) {
      const label = labels.nth(i);
      await label.click();
      const visible = [];
      for (let j = 0; j < (await panels.count()); j++) {
        if (await panels.nth(j).isVisible()) visible.push(j);
      }
      clicks.push({
        label: (await label.innerText()).trim(),
        checked: await set.locator(`input#${await label.getAttribute("for")}`).isChecked(),
        visible,
        text: visible.length === 1 ? (await panels.nth(visible[0]).innerText()).trim() : "",
      });
    }
    sets[block] = clicks;
  }
  return sets;
});

// Follow the first related-concept link and see where the reader lands.
await attempt("related", async () => {
  await open(CONCEPT);
  const link = page
    .locator("#at-a-glance + * li", { hasText: "Related concepts" })
    .locator("a")
    .first();
  const text = (await link.innerText()).trim();
  const href = await link.getAttribute("href");
  await Promise.all([page.waitForEvent("load"), link.click()]);
  return {
    text,
    href,
    landed: page.url(),
    h1: (await page.locator("article h1").first().innerText()).trim(),
    kind: await page.locator('meta[name="gapkb:kind"]').getAttribute("content"),
  };
});

// Material's built-in search: type a query into the header's search box, read the results.
await attempt("search", async () => {
  await open("");
  // The index loads in a web worker; a query typed before it is ready is not run again.
  const meta = page.locator(".md-search-result__meta");
  await page.waitForFunction(
    () => document.querySelector(".md-search-result__meta")?.textContent.trim() !== "Initializing search",
  );
  const input = page.locator("input.md-search__input");
  await input.click();
  await input.pressSequentially("merging", { delay: 20 });
  const results = page.locator(".md-search-result__item");
  await results.first().waitFor({ state: "visible" });
  const items = [];
  for (let i = 0; i < (await results.count()); i++) {
    const item = results.nth(i);
    items.push({
      href: await item.locator("a").first().getAttribute("href"),
      title: (await item.locator("h1, h2").first().innerText()).trim(),
    });
  }
  const summary = (await meta.innerText()).trim();
  // Open the first result, as a reader would.
  await Promise.all([page.waitForEvent("load"), results.first().locator("a").first().click()]);
  return { query: "merging", meta: summary, items, opened: page.url() };
});

// axe-core in the page; every violation with its impact, so pytest decides what fails.
await attempt("axe", async () => {
  const pages = {
    concept: CONCEPT,
    instrument: "instruments/eu-ai-act/",
    gaps: "gaps/",
    matrix: "matrix/",
    home: "",
  };
  const results = {};
  for (const [name, p] of Object.entries(pages)) {
    const status = await open(p);
    await page.addScriptTag({ path: AXE });
    const { violations, passed } = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const run = await axe.run(document, { resultTypes: ["violations"] });
      return {
        violations: run.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 200) })),
        })),
        // The rules that found something to check and found it right.
        passed: run.passes.map((r) => r.id),
      };
    });
    results[name] = { path: p, status, violations, passed };
  }
  return results;
});

// Print the concept page's full record; also report what the screen shows outside the article (header,
// tabs, sidebars, footer), so pytest can check that none of it reached the paper.
await attempt("pdf", async () => {
  // The full record: the page at #full-record prints every reference and citation format
  // (printed as it is, the page is a brief; tests/browser/asof-matrix-print.mjs).
  await open(CONCEPT + "#full-record");
  const chrome = await page.evaluate(() => {
    const article = document.querySelector("article").innerText;
    const lines = new Set();
    for (const el of document.querySelectorAll(".md-header, .md-tabs, .md-sidebar, .md-footer")) {
      for (const line of el.innerText.split("\n")) {
        const text = line.trim();
        if (text.length > 2 && !article.includes(text)) lines.add(text);
      }
    }
    return [...lines];
  });
  const citations = await page.evaluate(() =>
    [...document.querySelectorAll(".gk-cite .tabbed-set")].map((set) => ({
      id: set.closest("section").id,
      labels: [...set.querySelectorAll(".tabbed-labels > label")].map((l) => l.textContent.trim()),
      // textContent, not innerText: hidden tabs have no innerText on screen.
      texts: [...set.querySelectorAll(".tabbed-content > .tabbed-block")].map((b) =>
        b.textContent.trim(),
      ),
    })),
  );
  await page.emulateMedia({ media: "print" });
  // Controls and navigation that would still be drawn on paper.
  const printed_controls = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        "button, nav, [role=dialog], .md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .tabbed-control",
      ),
    ]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return (
          box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.opacity !== "0"
        );
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
  // Tables wider than the printed article lose their right-hand columns on paper: lay the
  // page out at the width it prints at and measure. A4 is 210 mm; the print stylesheet's
  // @page leaves 14 mm each side: 182 mm, 688 px at 96 dpi.
  const screenSize = page.viewportSize();
  await page.setViewportSize({ width: 688, height: 1000 });
  const cut_off_tables = await page.evaluate(() => {
    const right = document.querySelector("article").getBoundingClientRect().right;
    return [...document.querySelectorAll("article table")]
      // Material's screen styles make a table its own scroll box: wider content than box.
      .filter(
        (table) =>
          table.getBoundingClientRect().right > right + 1 ||
          table.scrollWidth > table.clientWidth + 1,
      )
      .map((table) => table.querySelector("tr")?.textContent.trim().slice(0, 80));
  });
  if (screenSize) await page.setViewportSize(screenSize);
  const file = path.join(outDir, "model-merging-risk.pdf");
  await page.pdf({ path: file, format: "A4", printBackground: true });
  await page.emulateMedia({ media: "screen" });
  return { file, chrome, citations, printed_controls, cut_off_tables };
});

await close();
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
