// Behaviour every page shares. The Content-Security-Policy forbids inline script, on*
// attributes and style= attributes, so what they did is done here (docs/deployment.md).

// Navigation menus (<details class="nav-group">, and the phone's "Menu" <details class="nav-toggle">):
// a click elsewhere or Escape closes them.
document.addEventListener("click", (event) => {
  for (const group of document.querySelectorAll(".nav-group[open], .nav-toggle[open]")) {
    if (!group.contains(event.target)) group.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.querySelectorAll(".nav-group[open], .nav-toggle[open]").forEach((g) => g.removeAttribute("open"));
});

// <select data-autosubmit>: choosing an option submits its form (filters, the language).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
    select.form.submit();
  }
});

// <span data-width="42">: a bar 42 % wide (match-quality bars). Setting a style property from a
// script is allowed; a style= attribute in the HTML is not.
const setWidths = () => {
  for (const bar of document.querySelectorAll("[data-width]")) {
    bar.style.width = `${Number(bar.dataset.width)}%`;
  }
};

// <table class="responsive">: on a phone each row is a card (qiao.css); every body cell gets its
// column's header text as data-label. Header rows may span (rowspan/colspan): the label of a
// column joins the distinct header texts above it ("Module 1 · Attendance").
const labelResponsiveTables = () => {
  for (const table of document.querySelectorAll("table.responsive")) {
    // display: block (the cards) drops a table's meaning for screen readers: say it in ARIA.
    table.setAttribute("role", "table");
    for (const group of table.querySelectorAll(":scope > thead, :scope > tbody")) group.setAttribute("role", "rowgroup");
    for (const row of table.rows) row.setAttribute("role", "row");
    for (const cell of table.querySelectorAll(":scope > thead th")) cell.setAttribute("role", "columnheader");
    for (const body of table.tBodies) {
      for (const cell of body.querySelectorAll(":scope > tr > td, :scope > tr > th")) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
      }
    }
    if (!table.tHead) continue;
    const columns = [];
    const taken = [];
    Array.from(table.tHead.rows).forEach((row, r) => {
      let c = 0;
      for (const cell of row.cells) {
        while (taken[r]?.[c]) c += 1;
        const text = cell.textContent.trim().replace(/\s+/g, " ");
        for (let dc = 0; dc < cell.colSpan; dc += 1) {
          for (let dr = 0; dr < cell.rowSpan; dr += 1) (taken[r + dr] ??= [])[c + dc] = true;
          const labels = (columns[c + dc] ??= []);
          if (text && !labels.includes(text)) labels.push(text);
        }
        c += cell.colSpan;
      }
    });
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let c = 0;
        for (const cell of row.cells) {
          const label = cell.colSpan === 1 ? (columns[c] || []).join(" · ") : "";
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          c += cell.colSpan;
        }
      }
    }
  }
};

const onReady = (callback) => {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
  else callback();
};
onReady(setWidths);
onReady(labelResponsiveTables);

// <button data-back hidden> (the error pages): back to the page the visitor came from, if any.
for (const button of document.querySelectorAll("[data-back]")) {
  if (document.referrer) button.hidden = false;
  button.addEventListener("click", () => window.history.back());
}
