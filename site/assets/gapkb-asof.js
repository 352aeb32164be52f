// The gaps page's as-of picker: the build wrote one small JSON file per milestone (every
// date at which some instrument's or provision's state changes, gapkb.site.asof); a date
// reads as the latest milestone on or before it. No server: the files are static.
(function () {
  "use strict";
  const box = document.getElementById("as-of");
  if (!box || !window.fetch || box.dataset.ready) return;
  box.dataset.ready = "1";
  const form = box.querySelector(".gk-asof__form");
  const dateInput = box.querySelector("#gk-asof-date");
  const select = box.querySelector("#gk-asof-milestone");
  const status = box.querySelector(".gk-asof__status");
  const events = box.querySelector(".gk-asof__events");
  const gaps = box.querySelector(".gk-asof__gaps");
  const counts = box.querySelector(".gk-asof__counts");
  const indexUrl = new URL(box.dataset.index, location.href);
  const root = new URL(box.dataset.root, location.href);
  const build = box.dataset.buildDate;
  const cache = new Map();
  let index = null;
  let shown = "";

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  function badge(cls) {
    return el("span", { className: `gk-status gk-status--${cls}`, textContent: index.status_text[cls] || cls });
  }

  function time(day) {
    const node = el("time", { textContent: day });
    node.setAttribute("datetime", day);
    return node;
  }

  // The latest milestone on or before `day` (ISO dates compare as strings); the first
  // one, which holds the state before anything applied, for an earlier day.
  function milestoneFor(day) {
    let found = index.milestones[0];
    for (const m of index.milestones) if (m.date <= day) found = m;
    return found;
  }

  async function load(m) {
    if (!cache.has(m.file)) {
      const response = await fetch(new URL(m.file, indexUrl));
      if (!response.ok) throw new Error(`${m.file}: HTTP ${response.status}`);
      cache.set(m.file, await response.json());
    }
    return cache.get(m.file);
  }

  function conceptCell(i) {
    const c = index.concepts[i];
    return el("th", { scope: "row" }, [el("a", { href: new URL(c.url, root).href, textContent: c.title })]);
  }

  function fill(table, rows, cells) {
    const body = table.tBodies[0];
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = el("tr", {}, [conceptCell(row[0]), ...cells(row).map((c) => el("td", {}, [c]))]);
        tr.dataset.concept = index.concepts[row[0]].id;
        return tr;
      }),
    );
    table.caption.replaceChildren(
      table === gaps ? "Gaps as of " : "Binding instruments in force that expressly govern each concept, as of ",
      time(shown),
    );
  }

  async function show(day) {
    const m = milestoneFor(day);
    const data = await load(m);
    shown = day;
    const gapRows = data.rows.filter((r) => r[1] !== "covered");
    const since = m.date === day ? "" : ` (no change since ${m.date})`;
    status.replaceChildren(
      el("strong", { textContent: `${gapRows.length} of ${data.rows.length} concepts` }),
      " are gaps as of ",
      time(day),
      day === build ? ", the date this site was built for." : `${since}.`,
    );
    events.replaceChildren(...m.events.map((e) => el("li", {}, [time(m.date), ` — ${e}`])));
    fill(gaps, gapRows, (r) => [badge(r[1]), String(r[3]), String(r[4]), String(r[5])]);
    fill(counts, data.rows, (r) => [String(r[2]), badge(r[1])]);
    box.dataset.shown = day;
    select.value = m.file;
  }

  async function start() {
    const response = await fetch(indexUrl);
    if (!response.ok) return;
    index = await response.json();
    for (const m of index.milestones) {
      const label = `${m.date} — ${m.events.join("; ")}`;
      select.append(el("option", { value: m.file, textContent: label }));
    }
    form.hidden = false;
    dateInput.addEventListener("change", () => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) show(dateInput.value);
    });
    select.addEventListener("change", () => {
      const m = index.milestones.find((x) => x.file === select.value);
      if (!m) return;
      dateInput.value = m.date;
      show(m.date);
    });
    form.querySelector("[data-asof-reset]").addEventListener("click", () => {
      dateInput.value = build;
      show(build);
    });
    await show(build);
  }

  start().catch((error) => {
    status.append(el("span", { className: "gk-asof__error", textContent: ` (the picker could not load: ${error.message})` }));
  });
})();
