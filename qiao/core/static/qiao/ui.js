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
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setWidths);
else setWidths();

// <button data-back hidden> (the error pages): back to the page the visitor came from, if any.
for (const button of document.querySelectorAll("[data-back]")) {
  if (document.referrer) button.hidden = false;
  button.addEventListener("click", () => window.history.back());
}
