// The compare page (gapkb.site.compare): two instruments side by side over every concept,
// or one instrument at two dates. It reads data/compare.json, written by the site build:
// every coverage link with its strength, its provision's place on the site and the periods
// in which the provision applies (gapkb.timeline's answer). Here the only rule is whether a
// date falls in a period; nothing is fetched from anywhere but this site.

(function () {
  "use strict";

  const root = document.getElementById("gk-compare");
  if (!root) return;
  const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }

  // A period is [first day, day after the last or null]; ISO dates compare as strings.
  const appliesOn = (periods, day) => periods.some(([start, end]) => start <= day && (end === null || day < end));

  // What one side shows for each concept: its links, whether each applies on the day, and
  // the strongest strength among those that do ("" when none applies, null when no link).
  function side(data, instrumentId, day) {
    const byConcept = new Map();
    for (const [concept, strength, label, href, interpretive, periods] of data.links[instrumentId] || []) {
      const applies = appliesOn(periods, day);
      if (!byConcept.has(concept)) byConcept.set(concept, []);
      byConcept.get(concept).push({ strength, label, href, interpretive, applies });
    }
    const summary = (links) => {
      if (!links) return null;
      const on = links.filter((l) => l.applies);
      if (on.some((l) => l.strength === "explicit")) return "explicit";
      return on.length ? "implicit" : "";
    };
    return { byConcept, summary };
  }

  function cell(links, summary, day) {
    const td = element("td");
    if (summary === null) {
      td.append(element("span", { class: "gk-compare-none", text: "—" }), element("span", { class: "gk-sr", text: "no link" }));
      return td;
    }
    td.append(
      summary
        ? element("span", { class: `gk-strength gk-strength--${summary}`, text: summary })
        : element("span", { class: "gk-compare-none", text: `none applies on ${day}` }),
    );
    const list = element("ul");
    for (const link of links) {
      const item = element("li");
      const a = element("a", { href: link.href, text: link.label });
      if (!link.applies) {
        a.classList.add("gk-compare-off");
        a.title = `does not apply on ${day}`;
      }
      item.append(a, ` (${link.strength}${link.interpretive ? ", interpretive: not binding" : ""}${link.applies ? "" : `; does not apply on ${day}`})`);
      list.append(item);
    }
    td.append(list);
    return td;
  }

  function draw(data, state, table, note) {
    const left = side(data, state.a, state.da);
    const right = side(data, state.b, state.db);
    const byId = Object.fromEntries(data.instruments.map((i) => [i.id, i]));
    const heading = (id, day) => {
      const th = element("th", { scope: "col" });
      const instrument = byId[id];
      th.append(element("a", { href: instrument.href, text: instrument.title }), ` on ${day}`);
      return th;
    };
    const head = element("thead", {}, element("tr", {}, element("th", { scope: "col", text: "Concept" }), heading(state.a, state.da), heading(state.b, state.db)));
    const body = element("tbody");
    let shown = 0;
    let differ = 0;
    data.concepts.forEach((concept, index) => {
      const l = left.byConcept.get(index);
      const r = right.byConcept.get(index);
      const ls = left.summary(l);
      const rs = right.summary(r);
      const differs = (ls || "") !== (rs || "");
      if (differs) differ += 1;
      if (state.only && !differs) return;
      if (state.hide && ls === null && rs === null) return;
      shown += 1;
      const name = element("th", { scope: "row" }, element("a", { href: concept.href, text: concept.title }));
      const row = element("tr", differs ? { class: "gk-compare-differs" } : {}, name, cell(l, ls, state.da), cell(r, rs, state.db));
      body.append(row);
    });
    table.replaceChildren(head, body);
    note.textContent =
      `${shown} of ${data.concepts.length} concepts shown; the two sides differ on ${differ} ` +
      "(the strongest link that applies, explicit or implicit, or none).";
  }

  function select(id, label, options, value) {
    const input = element("select", { id, name: id });
    for (const option of options) input.append(element("option", { value: option.id, text: option.title }));
    input.value = value;
    return [element("label", { for: id, text: label }), input];
  }

  function dateInput(id, label, value) {
    return [element("label", { for: id, text: label }), element("input", { id, name: id, type: "date", value, required: "" })];
  }

  function checkbox(id, label, checked) {
    const input = element("input", { id, name: id, type: "checkbox" });
    input.checked = checked;
    return element("label", { for: id }, input, ` ${label}`);
  }

  // The choice lives in the page's address (?a=…&da=…&b=…&db=…), so that it can be shared.
  function readState(data) {
    const params = new URLSearchParams(location.search);
    const ids = data.instruments.map((i) => i.id);
    const pick = (name, fallback) => (ids.includes(params.get(name)) ? params.get(name) : fallback);
    const day = (name) => (ISO_DAY.test(params.get(name) || "") ? params.get(name) : data.as_of);
    return {
      a: pick("a", ids[0]),
      b: pick("b", ids[1] || ids[0]),
      da: day("da"),
      db: day("db"),
      only: params.get("only") === "1",
      hide: params.get("hide") === "1",
    };
  }

  function writeState(state) {
    const params = new URLSearchParams({ a: state.a, da: state.da, b: state.b, db: state.db });
    if (state.only) params.set("only", "1");
    if (state.hide) params.set("hide", "1");
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }

  async function main() {
    const status = element("p", { class: "gk-compare-status", role: "status", text: "Loading…" });
    root.append(status);
    let data;
    try {
      const response = await fetch(root.dataset.data);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      data = await response.json();
    } catch (error) {
      status.textContent = `The comparison could not load (${error.message}).`;
      return;
    }
    if (!data.instruments.length) {
      status.textContent = "There are no instruments to compare.";
      return;
    }
    const state = readState(data);
    const form = element(
      "form",
      { class: "gk-compare-form", "aria-label": "What to compare" },
      element("fieldset", {}, element("legend", { text: "Left" }), ...select("gk-compare-a", "Instrument", data.instruments, state.a), ...dateInput("gk-compare-da", "On the date", state.da)),
      element("fieldset", {}, element("legend", { text: "Right" }), ...select("gk-compare-b", "Instrument", data.instruments, state.b), ...dateInput("gk-compare-db", "On the date", state.db)),
      element(
        "div",
        { class: "gk-compare-options" },
        checkbox("gk-compare-only", "Only concepts where the two sides differ", state.only),
        checkbox("gk-compare-hide", "Leave out concepts neither side links to", state.hide),
      ),
    );
    form.addEventListener("submit", (event) => event.preventDefault());
    const note = element("p", { class: "gk-compare-summary", role: "status" });
    const table = element("table", { class: "gk-compare-table" });
    const wrap = element("div", { class: "md-typeset__scrollwrap" }, element("div", { class: "md-typeset__table" }, table));
    status.replaceWith(form);
    root.append(note, wrap);
    const update = () => {
      const value = (id) => document.getElementById(id).value;
      state.a = value("gk-compare-a");
      state.b = value("gk-compare-b");
      // An emptied date field keeps the last date drawn.
      state.da = ISO_DAY.test(value("gk-compare-da")) ? value("gk-compare-da") : state.da;
      state.db = ISO_DAY.test(value("gk-compare-db")) ? value("gk-compare-db") : state.db;
      state.only = document.getElementById("gk-compare-only").checked;
      state.hide = document.getElementById("gk-compare-hide").checked;
      writeState(state);
      draw(data, state, table, note);
    };
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    draw(data, state, table, note);
    root.dataset.ready = "true"; // for tests
  }

  main();
})();
