// The Query page: YASGUI's editor (Yasqe) and results view (Yasr), the saved queries as
// examples with a form for their parameters, and one of two engines:
//   data-mode="wasm"      the site's RDF dump, queried in this browser by Oxigraph's
//                         WebAssembly build, in a Web Worker that is stopped at a time limit
//   data-mode="endpoint"  a gapkb SPARQL endpoint (`gapkb serve`), by POST
// Everything is loaded from this site (data-vendor); nothing is fetched from elsewhere, and
// Yasqe's autocompleters that call outside services are left off.

const TIME_LIMIT_MS = 20000; // in the browser as on the endpoint: a runaway query is stopped
const XSD_DATE = "http://www.w3.org/2001/XMLSchema#date";
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PREFIXES = {
  gk: "https://w3id.org/gapkb/ontology#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  dcterms: "http://purl.org/dc/terms/",
  eli: "http://data.europa.eu/eli/ontology#",
  prov: "http://www.w3.org/ns/prov#",
  schema: "https://schema.org/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
};

const root = document.getElementById("gapkb-query");
const config = root.dataset;
const here = (path) => new URL(path, document.baseURI).href;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = element("script", { src });
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

function loadStyle(href) {
  document.head.append(element("link", { rel: "stylesheet", href }));
}

// --- results: plain values ----------------------------------------------------------------

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Yasr's table writes a literal as "0"^^xsd:integer or "text"@en and an IRI without a prefix
// in angle brackets; its "Simple view" drops that decoration but hides the row numbers too.
// This table shows the values as a reader writes them (0, text, gk:Concept) and keeps the
// row numbers in their own column; the switch that would hide them goes.
function plainTable(Table, base) {
  return class PlainTable extends Table {
    formatLiteral(binding) {
      return escapeHtml(binding.value);
    }
    getUriLinkFromBinding(binding, prefixes) {
      const iri = binding.value;
      let text = iri;
      for (const [prefix, namespace] of Object.entries(prefixes || {})) {
        if (iri.startsWith(namespace)) {
          text = `${prefix}:${iri.slice(namespace.length)}`;
          break;
        }
      }
      // The knowledge base's own IRIs do not resolve yet (its w3id.org redirect awaits
      // registration; the Data page says so): shown as gapkb:…, never as a dead link.
      if (iri.startsWith(base)) return escapeHtml(text === iri ? `gapkb:${iri.slice(base.length)}` : text);
      if (!/^https?:\/\//i.test(iri)) return escapeHtml(text); // only web addresses are links
      return `<a class="iri" target="_blank" rel="noopener noreferrer" href="${escapeHtml(iri)}">${escapeHtml(text)}</a>`;
    }
    drawControls() {
      super.drawControls();
      this.tableCompactSwitch?.closest(".switch")?.parentElement?.remove();
    }
  };
}

// --- parameters: the saved queries' text is split at them (gapkb.queries.segments) -------

function termFor(param, value, base) {
  const bad = (what) => new Error(`${param.name}: "${value}" is not ${what}`);
  switch (param.type) {
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw bad("a date (YYYY-MM-DD)");
      return `"${value}"^^<${XSD_DATE}>`;
    case "instrument":
    case "concept":
      if (!ID.test(value)) throw bad(`a ${param.type} id`);
      return `<${base}${param.type}/${value}>`;
    case "jurisdiction":
      if (!/^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|INT)$/.test(value)) throw bad("a jurisdiction code");
      return `<${base}jurisdiction/${value}>`;
    case "iri":
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*$/.test(value)) throw bad("an IRI");
      return `<${value}>`;
    default:
      return JSON.stringify(value); // JSON's string escapes are SPARQL's too
  }
}

function bind(query, values, base) {
  const byName = Object.fromEntries(query.params.map((p) => [p.name, p]));
  return query.segments
    .map((part) => (typeof part === "string" ? part : termFor(byName[part.param], values[part.param], base)))
    .join("");
}

// --- engines ----------------------------------------------------------------------------

const ACCEPT = {
  results: "application/sparql-results+json",
  graph: "text/turtle",
};

class EndpointEngine {
  constructor(url) {
    this.url = url;
  }
  async ready() {
    return "";
  }
  async run(query, kind) {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: ACCEPT[kind] },
      body: query,
    });
    const data = await response.text();
    if (!response.ok) throw new Error(data || `${response.status} ${response.statusText}`);
    return { data, contentType: response.headers.get("Content-Type") || ACCEPT[kind] };
  }
}

class WasmEngine {
  constructor(oxigraph, dump) {
    this.oxigraph = oxigraph;
    this.dump = dump;
    this.start();
  }
  start() {
    this.worker = new Worker(new URL("query-worker.js", import.meta.url), { type: "module" });
    this.loaded = new Promise((resolve, reject) => {
      this.worker.onmessage = (event) => {
        if (event.data.type === "ready") resolve(event.data.triples);
        else if (event.data.type === "failed") reject(new Error(event.data.message));
      };
      this.worker.onerror = (event) => reject(new Error(event.message || "the query engine failed to start"));
    });
    this.worker.postMessage({ type: "load", oxigraph: this.oxigraph, dump: this.dump });
  }
  async ready() {
    const triples = await this.loaded;
    return `${triples.toLocaleString("en")} triples, queried in this browser`;
  }
  async run(query, kind) {
    await this.loaded;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The only way to stop a running query: end the worker, then start a fresh one.
        this.worker.terminate();
        this.start();
        reject(new Error(`the query ran longer than ${TIME_LIMIT_MS / 1000} s and was stopped — add a LIMIT or narrow the patterns`));
      }, TIME_LIMIT_MS);
      this.worker.onmessage = (event) => {
        clearTimeout(timer);
        if (event.data.type === "answer") resolve({ data: event.data.data, contentType: ACCEPT[kind] });
        else reject(new Error(event.data.message));
      };
      this.worker.postMessage({ type: "query", query, format: ACCEPT[kind] });
    });
  }
}

// --- the page ---------------------------------------------------------------------------

async function main() {
  const vendor = here(config.vendor || "vendor/");
  const status = element("p", { class: "gapkb-query-status", role: "status", "aria-live": "polite" });
  const fallback = root.querySelector("form");
  root.prepend(status);
  status.textContent = "Loading the query editor…";
  try {
    loadStyle(vendor + "yasgui/yasgui.min.css");
    await loadScript(vendor + "yasgui/yasgui.min.js");
  } catch (error) {
    status.textContent = `The query editor could not load (${error.message}).` + (fallback ? " The plain form below still works." : "");
    return;
  }
  const examples = await fetch(here(config.queries)).then((r) => (r.ok ? r.json() : { queries: [] }), () => ({ queries: [] }));
  const base = examples.base || "https://w3id.org/gapkb/";
  if (fallback) fallback.hidden = true;

  const picker = element("select", { id: "gapkb-example" });
  picker.append(element("option", { value: "", text: "— your own query —" }));
  for (const query of examples.queries) picker.append(element("option", { value: query.name, text: query.title }));
  const description = element("p", { class: "gapkb-query-description" });
  const form = element("div", { class: "gapkb-query-params" });
  const bar = element(
    "div",
    { class: "gapkb-query-bar" },
    element("label", { for: "gapkb-example", text: "Saved query " }),
    picker,
  );
  const editorBox = element("div", { class: "gapkb-query-editor" });
  const resultsBox = element("div", { class: "gapkb-query-results" });
  root.append(bar, description, form, editorBox, resultsBox);

  const { Yasqe, Yasr } = window.Yasgui;
  Yasr.registerPlugin("table", plainTable(Yasr.plugins.table, base));
  const yasqe = new Yasqe(editorBox, {
    persistenceId: null,
    resizeable: true,
    editorHeight: "22rem",
    showQueryButton: true,
    autocompleters: ["prefixes", "variables"], // the class and property ones call lov.linkeddata.es
    prefixCcApi: null,
    createShareableLink: null,
    requestConfig: { endpoint: config.endpoint || "" },
  });
  const yasr = new Yasr(resultsBox, { persistenceId: null, prefixes: PREFIXES, defaultPlugin: "table" });

  const engine =
    config.mode === "endpoint"
      ? new EndpointEngine(here(config.endpoint))
      : new WasmEngine(vendor + "oxigraph/web.js", here(config.dump));

  const values = {};
  function show(name) {
    const query = examples.queries.find((q) => q.name === name);
    form.replaceChildren();
    description.textContent = query ? query.description : "";
    if (!query) return;
    for (const param of query.params) {
      values[param.name] = param.default ?? "";
      const id = `gapkb-param-${param.name}`;
      const input = element("input", {
        id,
        name: param.name,
        type: param.type === "date" ? "date" : "text",
        value: values[param.name],
        spellcheck: "false",
      });
      input.addEventListener("change", () => {
        values[param.name] = input.value.trim();
        fill(query);
      });
      form.append(
        element(
          "div",
          { class: "gapkb-query-param" },
          element("label", { for: id, text: param.name }),
          input,
          element("span", { text: ` ${param.description}` }),
        ),
      );
    }
    fill(query);
  }
  function fill(query) {
    try {
      yasqe.setValue(bind(query, values, base));
    } catch (error) {
      status.textContent = error.message;
    }
  }
  picker.addEventListener("change", () => show(picker.value));

  let running = false;
  const run = async () => {
    if (running) return;
    const type = yasqe.getQueryType();
    if (!["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"].includes(type)) {
      yasr.setResponse({ error: { text: "Only queries run here: SELECT, ASK, CONSTRUCT or DESCRIBE (the data is read-only)." } });
      status.textContent = "The query failed: see below.";
      return;
    }
    running = true;
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const kind = type === "CONSTRUCT" || type === "DESCRIBE" ? "graph" : "results";
      const answer = await engine.run(yasqe.getValue(), kind);
      const ms = Math.round(performance.now() - started);
      yasr.setResponse({ data: answer.data, contentType: answer.contentType, status: 200, executionTime: ms });
      status.textContent = `Answered in ${ms} ms.`;
    } catch (error) {
      yasr.setResponse({ error: { text: error.message, status: 400 } });
      status.textContent = "The query failed: see below.";
    } finally {
      running = false;
    }
  };
  // The ▶ button calls yasqe.query; Yasqe's own Ctrl+Enter calls query() on the CodeMirror
  // object inside it, not on the editor `new Yasqe` returns: bind the keys here (key maps
  // added this way take precedence over Yasqe's).
  yasqe.query = run;
  yasqe.addKeyMap({ "Ctrl-Enter": run, "Cmd-Enter": run });

  const first = examples.queries.find((q) => q.name === "gaps") || examples.queries[0];
  if (first) {
    picker.value = first.name;
    show(first.name);
  }
  status.textContent = "Loading the knowledge base…";
  try {
    const what = await engine.ready();
    const asOf = examples.as_of ? ` as of ${examples.as_of}` : "";
    status.textContent = `Ready${asOf}${what ? `: ${what}` : ""}. Run with the ▶ button or Ctrl+Enter.`;
    root.dataset.ready = "true"; // for tests
  } catch (error) {
    status.textContent = `The knowledge base could not load: ${error.message}`;
  }
}

main();
