// mockround's small behaviours. No inline scripts anywhere: the CSP forbids
// them, so everything the pages need beyond htmx lives here.
(function () {
  "use strict";

  // Ctrl+Enter (Cmd+Enter on a Mac) submits the answer form.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
    var box = e.target.closest && e.target.closest("textarea[data-submit-shortcut]");
    if (!box || !box.form) return;
    e.preventDefault();
    box.form.requestSubmit();
  });

  // A submitted form disables its buttons until the response arrives, so a
  // double click sends one request (the server also refuses the second).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("[data-once]")) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target.closest && e.target.closest("form[data-once]");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
  });

  // Round timer: elapsed time against the round's budget.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(s) { return Math.floor(s / 60) + ":" + pad(Math.floor(s % 60)); }
  function tick() {
    document.querySelectorAll("[data-timer-start]").forEach(function (el) {
      var start = Number(el.getAttribute("data-timer-start"));
      var budget = Number(el.getAttribute("data-timer-budget"));
      var elapsed = Math.max(0, Date.now() / 1000 - start);
      el.textContent = fmt(elapsed) + " of " + fmt(budget);
      el.classList.toggle("over", elapsed > budget);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:load", tick);

  // Draft status: say when the draft was saved, or that saving failed.
  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt;
    if (!el || !el.matches("textarea[data-draft]")) return;
    var status = document.getElementById(el.getAttribute("data-draft"));
    if (!status) return;
    status.textContent = e.detail.successful ? "Draft saved" : "Could not save the draft; your text is still here.";
  });
})();
