// The concept graph's controls: show only the ticked categories (a relation shows when both
// its concepts do), and bring out one concept's relations while it is pointed at or focused.
(function () {
  "use strict";
  const form = document.querySelector(".gk-graph__filter");
  const figure = document.getElementById("graph");
  if (!form || !figure) return;
  const svg = figure.querySelector("svg");
  const boxes = [...form.querySelectorAll("input[name=category]")];

  function apply() {
    const shown = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    for (const node of svg.querySelectorAll(".gk-node, .gk-sector")) {
      node.classList.toggle("gk-hidden", !shown.has(node.dataset.category));
    }
    for (const edge of svg.querySelectorAll(".gk-edge")) {
      const both = edge.dataset.categories.split(" ").every((c) => shown.has(c));
      edge.classList.toggle("gk-hidden", !both);
    }
  }

  function focus(id) {
    svg.classList.toggle("gk-graph--focus", Boolean(id));
    for (const edge of svg.querySelectorAll(".gk-edge")) {
      edge.classList.toggle("gk-edge--lit", Boolean(id) && (edge.dataset.a === id || edge.dataset.b === id));
    }
    for (const node of svg.querySelectorAll(".gk-node")) {
      node.classList.toggle("gk-node--lit", node.dataset.concept === id);
    }
  }

  for (const box of boxes) box.addEventListener("change", apply);
  form.querySelector("[data-graph-all]").addEventListener("click", () => {
    for (const box of boxes) box.checked = true;
    apply();
  });
  form.querySelector("[data-graph-none]").addEventListener("click", () => {
    for (const box of boxes) box.checked = false;
    apply();
  });
  for (const node of svg.querySelectorAll(".gk-node")) {
    node.addEventListener("mouseenter", () => focus(node.dataset.concept));
    node.addEventListener("focus", () => focus(node.dataset.concept));
    node.addEventListener("mouseleave", () => focus(""));
    node.addEventListener("blur", () => focus(""));
  }
  form.hidden = false;
  apply();
})();
