// The coverage matrix, drawn from data/matrix.json (gapkb.site.matrix) when the page opens:
// filters (jurisdiction, binding or voluntary, category, strength), sorting, and cells that
// open their provisions. The table scrolls inside its own box; its first column stays put.
(function () {
  "use strict";
  const app = document.getElementById("matrix");
  if (!app || !app.dataset.src || !window.fetch) return;
  const dataUrl = new URL(app.dataset.src, location.href);
  const root = new URL(app.dataset.root, location.href);
  const MARKS = { "explicit 1": "●", "implicit 1": "◐", "explicit 0": "○", "implicit 0": "◌" };
  let data = null;
  let cells = null; // "concept,instrument" -> cell
  let controls = null;
  let dialog = null;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) if (child !== null) node.append(child);
    return node;
  }

  const href = (url) => new URL(url, root).href;

  function select(name, text, options) {
    const id = `gk-matrix-${name}`;
    const box = el("select", { id, name }, options.map(([value, label]) => el("option", { value, text: label })));
    box.addEventListener("change", draw);
    return el("span", { class: "gk-matrix__control" }, [el("label", { for: id, text }), box]);
  }

  function buildControls() {
    const jurisdictions = [...new Set(data.instruments.map((i) => i.jurisdiction))].sort();
    const form = el("form", { class: "gk-matrix__controls", "aria-label": "Filter and sort the matrix" }, [
      select("jurisdiction", "Jurisdiction", [["", "all"], ...jurisdictions.map((j) => [j, j])]),
      select("binding", "Instruments", [
        ["", "binding and voluntary"],
        ["binding", "binding only"],
        ["voluntary", "voluntary only"],
      ]),
      select("category", "Category", [["", "all"], ...data.categories.map((c, n) => [String(n), c.label])]),
      select("strength", "Strength", [
        ["", "explicit and implicit"],
        ["explicit", "explicit only"],
        ["implicit", "implicit only"],
      ]),
      select("rows", "Sort concepts", [
        ["category", "by category"],
        ["title", "by name"],
        ["used", "by Used by, most first"],
        ["gaps", "gaps first"],
      ]),
      select("columns", "Sort instruments", [
        ["title", "by name"],
        ["jurisdiction", "by jurisdiction"],
        ["count", "by concepts covered, most first"],
      ]),
    ]);
    form.addEventListener("submit", (event) => event.preventDefault());
    return form;
  }

  function value(name) {
    return controls.querySelector(`[name=${name}]`).value;
  }

  function visibleCell(cell, strength) {
    return cell && (!strength || cell[2] === strength);
  }

  function draw() {
    const jurisdiction = value("jurisdiction");
    const binding = value("binding");
    const category = value("category");
    const strength = value("strength");
    let columns = data.instruments
      .map((inst, n) => ({ inst, n }))
      .filter(({ inst }) => !jurisdiction || inst.jurisdiction === jurisdiction)
      .filter(({ inst }) => !binding || inst.binding === (binding === "binding"));
    let rows = data.concepts
      .map((concept, n) => ({ concept, n }))
      .filter(({ concept }) => category === "" || String(concept.category) === category);
    const count = (col) => rows.filter((r) => visibleCell(cells.get(`${r.n},${col.n}`), strength)).length;
    const byTitle = (a, b) => a.localeCompare(b, undefined, { sensitivity: "base" });
    const sortColumns = value("columns");
    if (sortColumns === "title") columns.sort((a, b) => byTitle(a.inst.title, b.inst.title));
    if (sortColumns === "jurisdiction")
      columns.sort((a, b) => byTitle(a.inst.jurisdiction, b.inst.jurisdiction) || byTitle(a.inst.title, b.inst.title));
    if (sortColumns === "count") {
      const counts = new Map(columns.map((c) => [c.n, count(c)]));
      columns.sort((a, b) => counts.get(b.n) - counts.get(a.n) || byTitle(a.inst.title, b.inst.title));
    }
    const sortRows = value("rows");
    const gapFirst = (c) => (c.status === "covered" ? 1 : 0);
    if (sortRows === "category")
      rows.sort((a, b) => a.concept.category - b.concept.category || byTitle(a.concept.title, b.concept.title));
    if (sortRows === "title") rows.sort((a, b) => byTitle(a.concept.title, b.concept.title));
    if (sortRows === "used")
      rows.sort((a, b) => b.concept.used_by - a.concept.used_by || byTitle(a.concept.title, b.concept.title));
    if (sortRows === "gaps")
      rows.sort((a, b) => gapFirst(a.concept) - gapFirst(b.concept) || byTitle(a.concept.title, b.concept.title));
    // A strength filter leaves only the rows and columns that still have a mark.
    if (strength) {
      columns = columns.filter((c) => count(c) > 0);
      rows = rows.filter((r) => columns.some((c) => visibleCell(cells.get(`${r.n},${c.n}`), strength)));
    }
    render(columns, rows, strength, sortRows === "category");
  }

  function header(columns) {
    const cells = [el("th", { scope: "col", class: "gk-matrix__corner", text: "Concept" })];
    for (const { inst } of columns) {
      const off = inst.state !== "in force";
      const label = el("span", { text: inst.title + (off ? "†" : "") });
      const link = el("a", { href: href(inst.url), title: `${inst.title} (${inst.jurisdiction}, ${inst.binding ? "binding" : "voluntary"}, ${inst.state})` }, [label]);
      cells.push(
        el("th", { scope: "col", class: `gk-matrix__instrument${off ? " gk-matrix__instrument--off" : ""}` }, [
          link,
          off ? el("span", { class: "gk-sr", text: " (not in force)" }) : null,
        ]),
      );
    }
    cells.push(el("th", { scope: "col", class: "gk-matrix__count", text: "Used by (binding)" }));
    return el("thead", {}, [el("tr", {}, cells)]);
  }

  function row(concept, n, columns, strength) {
    const gap = concept.status !== "covered";
    const cellsOut = [
      el("th", { scope: "row", class: `gk-matrix__concept gk-matrix__concept--${concept.status}` }, [
        el("a", { href: href(concept.url), text: concept.title }),
        gap ? el("span", { class: "gk-sr", text: ` (${data.status_text[concept.status]})` }) : null,
      ]),
    ];
    for (const { inst, n: col } of columns) {
      const cell = cells.get(`${n},${col}`);
      if (!visibleCell(cell, strength)) {
        cellsOut.push(el("td", { class: "gk-cell gk-cell--none" }));
        continue;
      }
      const applies = cell[3] === 1;
      const what = `${cell[2]}${applies ? "" : ", not applying"}: ${cell[4].map((p) => p[0]).join(", ")}`;
      const button = el(
        "button",
        { type: "button", class: "gk-cell__open", title: what, "aria-label": `${concept.title} × ${inst.title}: ${what}` },
        [el("span", { "aria-hidden": "true", text: MARKS[`${cell[2]} ${cell[3]}`] })],
      );
      button.addEventListener("click", () => open(concept, inst, cell));
      cellsOut.push(
        el("td", { class: `gk-cell gk-cell--${cell[2]}${applies ? "" : " gk-cell--off"}` }, [button]),
      );
    }
    cellsOut.push(el("td", { class: "gk-matrix__count", text: String(concept.used_by) }));
    return el("tr", { "data-concept": concept.id }, cellsOut);
  }

  function render(columns, rows, strength, grouped) {
    const table = el("table", { class: "gk-matrix" }, [
      el("caption", {
        class: "gk-sr",
        text: `Coverage of ${rows.length} of ${data.concepts.length} concepts by ${columns.length} of ${data.instruments.length} instruments as of ${data.as_of}`,
      }),
      header(columns),
    ]);
    let body = null;
    let current = null;
    for (const { concept, n } of rows) {
      if (!body || (grouped && concept.category !== current)) {
        body = el("tbody");
        table.append(body);
        if (grouped) {
          const cat = data.categories[concept.category];
          body.append(
            el("tr", { class: "gk-matrix__group" }, [
              el("th", { scope: "rowgroup", colspan: String(columns.length + 2) }, [
                el("a", { href: href(cat.url), text: cat.label }),
              ]),
            ]),
          );
        }
        current = concept.category;
      }
      body.append(row(concept, n, columns, strength));
    }
    if (!rows.length) table.append(el("tbody", {}, [el("tr", {}, [el("td", { text: "No concept matches these filters." })])]));
    const scroller = app.querySelector(".gk-matrix-wrap");
    scroller.replaceChildren(table);
    app.querySelector(".gk-matrix__summary").textContent = table.caption.textContent + ".";
  }

  function open(concept, inst, cell) {
    const list = el(
      "ul",
      {},
      cell[4].map(([label, strength, applies, place, official]) =>
        el("li", {}, [
          el("a", { href: href(place), text: `${inst.title} ${label}` }),
          ` — ${strength}${applies ? "" : ", does not apply on " + data.as_of}`,
          official ? " · " : null,
          official ? el("a", { href: official, text: "official text", rel: "noopener" }) : null,
        ]),
      ),
    );
    dialog.querySelector(".gk-matrix__dialog-body").replaceChildren(
      el("h2", { id: "gk-matrix-dialog-title", text: `${concept.title} × ${inst.title}` }),
      el("p", {}, [
        el("a", { href: href(concept.url), text: "The concept" }),
        " · ",
        el("a", { href: href(inst.url), text: "the instrument" }),
      ]),
      list,
    );
    if (dialog.showModal) dialog.showModal();
    else dialog.setAttribute("open", "");
  }

  async function start() {
    const response = await fetch(dataUrl);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    data = await response.json();
    cells = new Map(data.cells.map((c) => [`${c[0]},${c[1]}`, c]));
    controls = buildControls();
    const close = el("button", { type: "button", class: "md-button gk-matrix__close", text: "Close" });
    dialog = el("dialog", { class: "gk-matrix__dialog", "aria-labelledby": "gk-matrix-dialog-title" }, [
      el("div", { class: "gk-matrix__dialog-body" }),
      close,
    ]);
    close.addEventListener("click", () => dialog.close ? dialog.close() : dialog.removeAttribute("open"));
    app.replaceChildren(
      controls,
      el("p", { class: "gk-matrix__summary", "aria-live": "polite" }),
      el("div", { class: "gk-matrix-wrap", tabindex: "0", role: "region", "aria-label": "Coverage matrix, scrolls in both directions" }),
      dialog,
    );
    draw();
  }

  start().catch((error) => {
    app.append(el("p", { class: "gk-matrix__error", text: `The matrix could not load its data (${error.message}).` }));
  });
})();
