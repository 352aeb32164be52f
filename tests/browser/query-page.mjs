// Drive the built site's Query page in headless Chromium and print what it saw as one JSON
// object. Run by tests/sparql/test_query_page_browser.py, which builds the site, serves it on
// 127.0.0.1 and asserts on the JSON; this script only acts and reports.
//
//   node query-page.mjs <base-url> [page]
//
// `page` is the page's path under the base URL: query/ (the default) for the static site,
// where queries run in the browser; sparql for `gapkb serve`'s page, where they are POSTed.
//
// Environment: GAPKB_CHROMIUM (default /usr/bin/chromium). Every request the page or its
// Web Worker makes is listed; requests to any other origin are refused (the page must run
// the queries in the browser, over the site's own dump, and load nothing from elsewhere).

import { attempter, launch } from "./browser.mjs";

const [base, pagePath = "query/"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node query-page.mjs <base-url> [page]");
  process.exit(2);
}
const origin = new URL(base).origin;

const WAIT = 60_000; // loading the WebAssembly engine and the dump, on a busy 2-core machine

const report = { requests: [], external_requests: [], console_errors: [], page_errors: [] };
const attempt = attempter(report);
const { context, page, close } = await launch(origin, report, { defaultTimeout: WAIT });
context.on("request", (request) => report.requests.push(request.url()));
page.on("console", (msg) => {
  if (msg.type() === "error") report.console_errors.push(msg.text());
});
page.on("pageerror", (error) => report.page_errors.push(String(error)));

const status = () => page.locator(".gapkb-query-status").innerText();
const editorText = () => page.evaluate(() => document.querySelector(".CodeMirror").CodeMirror.getValue());
const setEditor = (text) =>
  page.evaluate((value) => document.querySelector(".CodeMirror").CodeMirror.setValue(value), text);

// Run what the editor holds, the way a reader does, and wait for the outcome.
async function run(how = "button") {
  await page.evaluate(() => {
    document.querySelector(".gapkb-query-status").textContent = "";
  });
  if (how === "keys") {
    await page.locator(".CodeMirror").click();
    await page.keyboard.press("Control+Enter");
  } else {
    await page.locator(".yasqe_queryButton").click();
  }
  await page.waitForFunction(() => {
    const text = document.querySelector(".gapkb-query-status").textContent;
    return text.startsWith("Answered") || text.startsWith("The query failed");
  });
  return status();
}

// The results table as text: header cells and body rows (Yasr's table plugin).
async function table() {
  const box = page.locator(".gapkb-query-results");
  await box.locator("table tbody tr").first().waitFor();
  return box.evaluate((node) => {
    const tableNode = node.querySelector("table");
    const text = (cell) => cell.innerText.trim();
    return {
      header: [...tableNode.querySelectorAll("thead th")].map(text),
      rows: [...tableNode.querySelectorAll("tbody tr")].map((row) => [...row.querySelectorAll("td")].map(text)),
    };
  });
}

await attempt("load", async () => {
  const response = await page.goto(new URL(pagePath, base).href, { waitUntil: "load" });
  await page.waitForFunction(
    () =>
      document.getElementById("gapkb-query").dataset.ready === "true" ||
      /could not load/.test(document.querySelector(".gapkb-query-status")?.textContent || ""),
  );
  return {
    status: response ? response.status() : null,
    ready: await page.evaluate(() => document.getElementById("gapkb-query").dataset.ready || null),
    message: await status(),
    examples: await page.locator("#gapkb-example option").evaluateAll((options) =>
      options.map((o) => ({ value: o.value, text: o.textContent })),
    ),
    selected: await page.evaluate(() => document.getElementById("gapkb-example")?.value ?? null),
  };
});

// The steps below need a ready page; without one each would only wait out its time limit.
const ready = report.load && report.load.ready === "true";
async function step(name, fn) {
  if (ready) await attempt(name, fn);
  else report[name] = { error: `the page did not get ready: ${JSON.stringify(report.load)}` };
}

// A saved query with a parameter: its form, and the editor's text bound to a new value.
await step("parameters", async () => {
  await page.locator("#gapkb-example").selectOption("instrument-coverage");
  const input = page.locator("#gapkb-param-instrument");
  const before = { value: await input.inputValue(), editor: await editorText() };
  await input.fill("us-eo-14110");
  await input.dispatchEvent("change");
  const after = await editorText();
  const outcome = await run();
  return {
    description: await page.locator(".gapkb-query-description").innerText(),
    before,
    after,
    outcome,
    table: await table(),
  };
});

// The gaps, picked from the examples and run with the button.
await step("gaps", async () => {
  await page.locator("#gapkb-example").selectOption("gaps");
  const date = page.locator("#gapkb-param-asOf");
  const outcome = await run();
  return { date: await date.inputValue(), outcome, table: await table() };
});

// A query typed by hand, run with Ctrl+Enter.
await step("typed", async () => {
  await page.locator("#gapkb-example").selectOption("");
  await setEditor(
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "PREFIX gk: <https://w3id.org/gapkb/ontology#>\n" +
      "SELECT ?concept WHERE { ?c a gk:Concept ; skos:notation ?concept } ORDER BY ?concept\n",
  );
  const outcome = await run("keys");
  return { outcome, table: await table() };
});

// A syntax error, and a SERVICE clause: both answered with a message, not a table.
async function failing(text) {
  await setEditor(text);
  const outcome = await run();
  const box = page.locator(".gapkb-query-results");
  return { outcome, shown: (await box.innerText()).trim(), rows: await box.locator("table tbody tr").count() };
}

await step("syntax_error", () => failing("SELECT ?s WHERE {\n  ?s ?p\n}\n"));
await step("service", () =>
  failing("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n"),
);
await step("update", () => failing("INSERT DATA { <urn:a> <urn:b> <urn:c> }\n"));

await close();
console.log(JSON.stringify(report, null, 1));
