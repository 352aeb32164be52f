// Provisions, dark mode, the compare page and the 404 page in headless Chromium; prints what
// it saw as one JSON object. Run by tests/site/test_browser.py (test_provisions_compare_dark_404),
// which builds the sample site, serves it at the root of one server and under /gapkb/ on
// another (both answer a missing address with 404.html, as GitHub Pages does), and asserts on
// the JSON; this script only acts and reports.
//
//   node provisions.mjs <root-url> <prefixed-url>
//
// Environment: GAPKB_CHROMIUM (default /usr/bin/chromium). Requests to other origins are
// refused and listed.

import { createRequire } from "node:module";
import { attempter, launch, watchErrors } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const [base, prefixed] = process.argv.slice(2);
if (!base || !prefixed) {
  console.error("usage: node provisions.mjs <root-url> <prefixed-url>");
  process.exit(2);
}

const report = { external_requests: [], console_errors: [], page_errors: [] };
const attempt = attempter(report);
// One browser per origin would be needed for the second server; the route filter in
// launch() lets one origin through, so the prefixed server is opened in a second browser.
const first = await launch(new URL(base).origin, report, { defaultTimeout: 15_000 });
const page = first.page;
// A 404 page logs its own status; everything else must run cleanly.
watchErrors(page, report, (text) => /status of 404/.test(text));

async function open(p, root = base, target = page) {
  const response = await target.goto(new URL(p, root).href, { waitUntil: "load" });
  return response ? response.status() : null;
}

// From a concept page, follow the coverage table's provision link; where does it land, and
// what does the provision's place show?
await attempt("provision", async () => {
  await open("concepts/red-teaming/");
  const link = page.locator(".gk-coverage a[href*='#provision-']").first();
  const text = (await link.innerText()).trim();
  const href = await link.getAttribute("href");
  await Promise.all([page.waitForEvent("load"), link.click()]);
  const hash = new URL(page.url()).hash.slice(1);
  return {
    text,
    href,
    landed: page.url(),
    kind: await page.locator('meta[name="gapkb:kind"]').getAttribute("content"),
    ...(await page.evaluate((id) => {
      const heading = document.getElementById(id);
      if (!heading) return { heading: null };
      const box = heading.getBoundingClientRect();
      const block = heading.nextElementSibling;
      return {
        heading: heading.innerText.replace("¶", "").trim(),
        tag: heading.tagName,
        targeted: heading.matches(":target"),
        // Opened by its anchor, the heading is on screen, below the sticky header.
        on_screen: box.top >= 0 && box.bottom <= window.innerHeight,
        below_header: box.top >= document.querySelector(".md-header").getBoundingClientRect().bottom - 1,
        block: block ? block.innerText : "",
        quotes: block ? [...block.querySelectorAll("q")].map((q) => q.textContent) : [],
        official: block ? [...block.querySelectorAll("a[href^='http']")].map((a) => a.href) : [],
      };
    }, hash)),
  };
});

// The edit button of a concept page and of a hand-written page.
await attempt("edit", async () => {
  const hrefs = {};
  for (const p of ["concepts/red-teaming/", "instruments/eu-ai-act/", "methods/", "gaps/"]) {
    await open(p);
    hrefs[p] = await page.locator("article a[rel='edit']").evaluateAll((as) => as.map((a) => a.href));
  }
  return hrefs;
});

// The palette toggle: light to dark and back, kept across pages; in dark, axe's colour
// contrast over the pages with the site's own colours.
await attempt("dark", async () => {
  const scheme = () => page.evaluate(() => document.body.getAttribute("data-md-color-scheme"));
  const toggle = page.locator("form[data-md-component='palette'] label:not([hidden])");
  await open("concepts/red-teaming/");
  const before = await scheme();
  const label = await toggle.getAttribute("title");
  await toggle.click();
  await page.waitForFunction(() => document.body.getAttribute("data-md-color-scheme") === "slate");
  const after = await scheme();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const contrast = {};
  for (const p of ["concepts/red-teaming/", "instruments/eu-ai-act/", "gaps/", "matrix/", "graph/", "compare/", "query/"]) {
    await open(p);
    if (p === "compare/") await page.waitForFunction(() => document.getElementById("gk-compare").dataset.ready === "true");
    await page.addScriptTag({ path: AXE });
    contrast[p] = {
      scheme: await scheme(),
      violations: await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const run = await axe.run(document, { runOnly: ["color-contrast"], resultTypes: ["violations"] });
        return run.violations.flatMap((v) => v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })));
      }),
    };
  }
  await open("concepts/red-teaming/");
  await page.locator("form[data-md-component='palette'] label:not([hidden])").click();
  await page.waitForFunction(() => document.body.getAttribute("data-md-color-scheme") === "default");
  return { before, label, after, background, contrast, back: await scheme() };
});

// The compare page: its table, a change of instrument and of date, and a provision link.
await attempt("compare", async () => {
  const ready = () => page.waitForFunction(() => document.getElementById("gk-compare").dataset.ready === "true");
  const table = () =>
    page.evaluate(() => ({
      header: [...document.querySelectorAll(".gk-compare-table thead th")].map((th) => th.innerText.trim()),
      rows: [...document.querySelectorAll(".gk-compare-table tbody tr")].map((tr) =>
        [...tr.children].map((cell) => cell.innerText.trim().replace(/\s+/g, " ")),
      ),
      off: [...document.querySelectorAll(".gk-compare-table .gk-compare-off")].map((a) => a.textContent),
      summary: document.querySelector(".gk-compare-summary").innerText,
    }));
  await open("compare/?a=eu-ai-act&b=us-eo-14110");
  await ready();
  const pair = await table();
  await page.locator("#gk-compare-b").selectOption("eu-ai-act");
  await page.locator("#gk-compare-db").fill("2025-01-01");
  await page.locator("#gk-compare-db").dispatchEvent("change");
  const dates = { ...(await table()), address: page.url() };
  await page.locator("#gk-compare-only").check();
  const only = await table();
  // The address keeps the choice: opened again, the page shows the same.
  await open(new URL(page.url()).pathname + new URL(page.url()).search);
  await ready();
  const reopened = await table();
  const link = page.locator(".gk-compare-table a[href*='#provision-']").first();
  const text = (await link.innerText()).trim();
  await Promise.all([page.waitForEvent("load"), link.click()]);
  const hash = new URL(page.url()).hash.slice(1);
  const landed = {
    text,
    url: page.url(),
    heading: await page.evaluate((id) => document.getElementById(id)?.innerText.replace("¶", "").trim() ?? null, hash),
  };
  await open("compare/");
  await ready();
  await page.addScriptTag({ path: AXE });
  const axe = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const run = await axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return { pair, dates, only, reopened, landed, axe };
});

// The query page's results: plain values, row numbers apart.
await attempt("query", async () => {
  await open("query/");
  await page.waitForFunction(() => document.getElementById("gapkb-query").dataset.ready === "true", null, { timeout: 60_000 });
  await page.evaluate(() =>
    document
      .querySelector(".CodeMirror")
      .CodeMirror.setValue(
        'SELECT ?n ?label ?day ?iri WHERE { VALUES (?n ?label ?day ?iri) { (0 "Zero"@en "2026-12-01"^^<http://www.w3.org/2001/XMLSchema#date> <https://w3id.org/gapkb/ontology#Concept>) (12 "Twelve" "2027-01-01"^^<http://www.w3.org/2001/XMLSchema#date> <https://example.org/x>) } } ORDER BY ?n',
      ),
  );
  await page.locator(".yasqe_queryButton").click();
  const box = page.locator(".gapkb-query-results");
  await box.locator("table tbody tr").first().waitFor();
  return box.evaluate((node) => ({
    header: [...node.querySelectorAll("thead th")].map((th) => th.innerText.trim()),
    rows: [...node.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText.trim())),
    row_number_cells: node.querySelectorAll("tbody .rowNumber").length,
    switches: [...node.querySelectorAll(".switch")].map((s) => s.innerText.trim()),
  }));
});

// A missing address, under each base path: the page's assets load, and its links lead into
// the site.
async function notFound(target, root) {
  const failed = [];
  const listener = (response) => {
    if (response.status() >= 400 && response.request().method() !== "HEAD" && response.request().resourceType() !== "document") {
      failed.push(`${response.status()} ${response.url()}`);
    }
  };
  target.on("response", listener);
  const status = await open("no/such/page/", root, target);
  await target.waitForFunction(() => document.querySelector(".md-header") && getComputedStyle(document.querySelector(".md-header")).position !== "static");
  const info = await target.evaluate(() => ({
    h1: document.querySelector("article h1")?.innerText.trim(),
    base: document.baseURI,
    links: [...document.querySelectorAll("article a")].map((a) => ({ text: a.innerText.trim(), href: a.href })),
    stylesheets: [...document.styleSheets].map((s) => s.href).filter(Boolean),
    scheme: document.body.getAttribute("data-md-color-scheme"),
  }));
  const concepts = target.locator("article a", { hasText: "Concepts" }).first();
  await Promise.all([target.waitForEvent("load"), concepts.click()]);
  const followed = {
    url: target.url(),
    h1: (await target.locator("article h1").first().innerText()).trim(),
  };
  // Search works from the 404 page too: Material loads its index from the site's root.
  await open("no/such/page/", root, target);
  await target.waitForFunction(
    () => document.querySelector(".md-search-result__meta")?.textContent.trim() !== "Initializing search",
  );
  const input = target.locator("input.md-search__input");
  await input.click();
  await input.pressSequentially("red", { delay: 20 });
  await target.locator(".md-search-result__item").first().waitFor({ state: "visible" });
  const search = await target.locator(".md-search-result__item a").first().getAttribute("href");
  target.off("response", listener);
  return { status, ...info, followed, search: new URL(search, target.url()).href, failed };
}

await attempt("not_found_root", () => notFound(page, base));
await first.close();

const second = await launch(new URL(prefixed).origin, report, { defaultTimeout: 15_000 });
second.page.on("pageerror", (error) => report.page_errors.push(`${second.page.url()}: ${error}`));
await attempt("not_found_prefixed", () => notFound(second.page, prefixed));
await second.close();

process.stdout.write(JSON.stringify(report, null, 2) + "\n");
