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
  // The server says how long the round has run; count on from when the
  // page (or the swapped fragment) arrived.
  function tick() {
    document.querySelectorAll("[data-timer-elapsed]").forEach(function (el) {
      if (!el.dataset.loadedAt) el.dataset.loadedAt = String(Date.now());
      var base = Number(el.getAttribute("data-timer-elapsed"));
      var budget = Number(el.getAttribute("data-timer-budget"));
      var elapsed = base + (Date.now() - Number(el.dataset.loadedAt)) / 1000;
      el.textContent = fmt(elapsed) + " of " + fmt(budget);
      el.classList.toggle("over", elapsed > budget);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:load", tick);

  // htmx does not swap error responses: show their message (a fragment the
  // server rendered and escaped) in the flash area instead, and say so when
  // the server cannot be reached. Nothing typed is lost either way.
  function flash(html) {
    var el = document.getElementById("flash");
    if (!el) return;
    el.innerHTML = html;
    el.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:responseError", function (e) {
    if (e.detail.elt && e.detail.elt.matches && e.detail.elt.matches("textarea[data-draft]")) return;
    var xhr = e.detail.xhr;
    if (xhr.getResponseHeader("X-Swap-Inline") === "1") return; // shown in place, below
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") === 0 && xhr.responseText) {
      flash(xhr.responseText);
    } else {
      flash('<p class="alert" role="alert">Something went wrong (' + xhr.status + '). Your text is still here (and kept in this browser); try again.</p>');
    }
  });
  // Some errors come back as the page they concern, with the explanation
  // where the user is looking (an answer sent too soon: the round, a notice
  // beside the form, the answer still in the box). The server marks them
  // X-Swap-Inline; they stay errors, so the unsent copy is kept.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.getResponseHeader("X-Swap-Inline") === "1") e.detail.shouldSwap = true;
  });
  document.addEventListener("htmx:sendError", function () {
    flash('<p class="alert" role="alert">Could not reach mockround. Your text is still here; try again when you are back online.</p>');
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt && e.detail.elt.matches && e.detail.elt.matches("textarea[data-draft]")) return;
    var el = document.getElementById("flash");
    if (el) el.innerHTML = "";
  });

  // A page restored from the back/forward cache shows the round as it was
  // (Chromium restores it even when served no-store): reload it, so an
  // ended round shows its report and never an editable question.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) window.location.reload();
  });

  // Unsent text is also kept in this browser, per round and question,
  // until the server accepts the answer: a database outage or a closed tab
  // loses nothing typed.
  var unsentPrefix = "mockround:unsent:";
  function unsentKey(box) {
    var form = box.form;
    if (!form) return "";
    var pos = form.querySelector("input[name=position]");
    var step = form.querySelector("input[name=step]");
    return unsentPrefix + form.getAttribute("action") + ":" + (pos ? pos.value : "") + ":" + (step ? step.value : "");
  }
  function store(fn) {
    try { return fn(window.localStorage); } catch (err) { return null; } // private mode, quota
  }
  function restoreUnsent(root) {
    var box = root.querySelector && root.querySelector("textarea[data-draft]");
    if (!box) return;
    var key = unsentKey(box);
    var round = key.slice(0, key.lastIndexOf(":", key.lastIndexOf(":") - 1) + 1);
    store(function (ls) {
      // Copies kept for earlier questions of this round are done with.
      for (var i = ls.length - 1; i >= 0; i--) {
        var k = ls.key(i);
        if (k && k !== key && k.indexOf(round) === 0) ls.removeItem(k);
      }
      var kept = ls.getItem(key);
      if (kept && kept !== box.value) {
        box.value = kept;
        var status = document.getElementById(box.getAttribute("data-draft"));
        if (status) status.textContent = "Restored the text you typed earlier: it was kept in this browser, not yet sent.";
      }
    });
  }
  document.addEventListener("input", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("textarea[data-draft]")) return;
    var key = unsentKey(box);
    store(function (ls) { if (box.value.trim()) ls.setItem(key, box.value); else ls.removeItem(key); });
  });
  document.addEventListener("DOMContentLoaded", function () { restoreUnsent(document); });
  document.addEventListener("htmx:load", function (e) { restoreUnsent(e.detail.elt); });
  // The server accepted the answer (or the skip): forget the copy.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("form");
    var box = form && form.querySelector("textarea[data-draft]");
    if (box && e.detail.elt.tagName !== "TEXTAREA") form.dataset.unsentKey = unsentKey(box);
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("form");
    if (!form || !form.dataset.unsentKey || e.detail.elt.tagName === "TEXTAREA") return;
    var key = form.dataset.unsentKey;
    if (e.detail.successful) store(function (ls) { ls.removeItem(key); });
  });

  // Draft status: say when the draft was saved, or that saving failed.
  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt;
    if (!el || !el.matches("textarea[data-draft]")) return;
    var status = document.getElementById(el.getAttribute("data-draft"));
    if (!status) return;
    status.textContent = e.detail.successful ? "Draft saved" : "Could not save the draft; your text is still here.";
  });
})();
