// recount: the little the pages need beyond htmx. No inline scripts (the CSP forbids them).
"use strict";

// Review queue: one key per decision on the pair shown; s skips to the next.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select") return;
  const pair = document.querySelector("section.pair:not([hidden])");
  if (!pair) return;
  const button = pair.querySelector(`[data-key="${event.key.toLowerCase()}"]`);
  if (!button) return;
  event.preventDefault();
  button.click();
});

document.addEventListener("click", (event) => {
  const skip = event.target.closest("button.skip");
  if (!skip) return;
  const pair = skip.closest("section.pair");
  const next = pair.nextElementSibling;
  pair.hidden = true;
  if (next && next.matches("section.pair")) next.hidden = false;
});

// Confirm buttons that ask for it (data-confirm), without inline handlers.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
