// Answering by voice: the Dictate button beside the answer box dictates
// into it with the browser's speech recognition (the Web Speech API), and
// a quiet countdown shows what is left of the question's speaking budget.
// Where the browser has no speech recognition, the button, its note and
// the countdown are removed. The audio goes to the browser's own speech
// service; the server only ever receives the text, with two hidden fields
// saying whether the answer was dictated and for how many seconds.
(function () {
  "use strict";

  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var storePrefix = "mockround:speech:";
  // session is the dictation under way, or null.
  var session = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(s) { return Math.floor(s / 60) + ":" + pad(Math.floor(s % 60)); }

  // join appends dictated words to the text, with one space between.
  function join(text, words) {
    words = words.replace(/^\s+/, "");
    if (!words) return text;
    if (!text || /\s$/.test(text)) return text + words;
    return text + " " + words;
  }

  function parts(form) {
    return {
      box: form.querySelector("textarea[data-draft]"),
      button: form.querySelector("button[data-voice]"),
      dictated: form.querySelector("input[name=dictated]"),
      seconds: form.querySelector("input[name=speaking_seconds]"),
      countdown: form.querySelector("[data-speak-budget]"),
      status: document.getElementById("voice-status")
    };
  }

  function say(form, text) {
    var s = parts(form).status;
    if (s) s.textContent = text;
  }

  // The speaking time and the dictated mark are kept in this tab per round
  // and question, so a reload in the middle of an answer keeps them.
  function storeKey(form) {
    var pos = form.querySelector("input[name=position]");
    var step = form.querySelector("input[name=step]");
    return storePrefix + form.getAttribute("action") + ":" + (pos ? pos.value : "") + ":" + (step ? step.value : "");
  }
  function remember(form) {
    var p = parts(form);
    try {
      window.sessionStorage.setItem(storeKey(form), JSON.stringify({ dictated: p.dictated.value, seconds: p.seconds.value }));
    } catch (err) { /* private mode, quota: the time is then only on the page */ }
  }
  function recall(form) {
    var p = parts(form);
    if (!p.dictated || !p.seconds) return;
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(storeKey(form)) || "null");
      if (kept) {
        p.dictated.value = kept.dictated === "1" ? "1" : "0";
        p.seconds.value = String(Math.max(0, parseInt(kept.seconds, 10) || 0));
      }
    } catch (err) { /* nothing kept */ }
  }

  // spokenSeconds is the speaking time so far: what the hidden field holds
  // plus the stretch under way.
  function spokenSeconds(form) {
    var base = Number(parts(form).seconds.value) || 0;
    if (session && session.form === form && session.since !== null) {
      base += (performance.now() - session.since) / 1000;
    }
    return base;
  }

  function showCountdown(form) {
    var el = parts(form).countdown;
    if (!el) return;
    var budget = Number(el.getAttribute("data-speak-budget"));
    var spoken = spokenSeconds(form);
    var left = budget - spoken;
    if (spoken === 0) el.textContent = clock(budget) + " to speak";
    else if (left >= 0) el.textContent = clock(left) + " left to speak";
    else el.textContent = clock(-left) + " over";
    el.classList.toggle("over", left < 0);
  }

  // bank adds the stretch under way to the hidden field.
  function bank(s) {
    if (s.since === null) return;
    var p = parts(s.form);
    p.seconds.value = String(Math.round(spokenSeconds(s.form)));
    s.since = null;
    remember(s.form);
  }

  function pressed(form, on) {
    var b = parts(form).button;
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }

  // write shows the recognised words in the box: the final ones are kept,
  // the interim ones are replaced as recognition revises them. When the
  // user edited the box meanwhile, their text wins: the words shown so far
  // are taken as they now stand, and only new words are added.
  function write(s, event) {
    var box = s.box;
    var results = event.results;
    if (box.value !== s.written) {
      s.committed = box.value;
      s.done = Math.max(s.done, Math.min(s.seen, results.length));
    }
    s.seen = results.length;
    while (s.done < results.length && results[s.done].isFinal) {
      s.committed = join(s.committed, results[s.done][0].transcript);
      s.done++;
    }
    var interim = "";
    for (var i = s.done; i < results.length; i++) interim += results[i][0].transcript;
    var value = join(s.committed, interim);
    if (value === box.value) return;
    box.value = value;
    s.written = value;
    parts(s.form).dictated.value = "1";
    remember(s.form);
    // The draft autosave and the copy kept in this browser listen for input.
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var fatal = {
    "not-allowed": "The microphone is blocked for this site. Allow it in the browser's site settings, or type your answer.",
    "service-not-allowed": "This browser's speech service is not available here. Type your answer instead.",
    "audio-capture": "No microphone was found. Connect one and try again, or type your answer.",
    "network": "The browser's speech service could not be reached. Your text is kept: try again, or type.",
    "language-not-supported": "This browser cannot recognise English speech. Type your answer instead."
  };

  function start(form) {
    var p = parts(form);
    if (!p.box || session) return;
    var rec = new Recognition();
    rec.continuous = true;
    rec.interimResults = true;
    rec.lang = /^en\b/i.test(navigator.language || "") ? navigator.language : "en-US";
    var s = { form: form, box: p.box, rec: rec, wanted: true, since: null, startedAt: 0,
      committed: p.box.value, written: p.box.value, done: 0, seen: 0, error: "" };
    session = s;
    rec.addEventListener("start", function () {
      if (session !== s) return;
      s.since = performance.now();
      say(form, "Listening: speak your answer, then press Dictate again to stop.");
    });
    rec.addEventListener("result", function (e) {
      if (session !== s || !document.contains(s.box)) return;
      // A browser that sends no "start" still counts from the first words.
      if (s.wanted && s.since === null) s.since = performance.now();
      write(s, e);
    });
    rec.addEventListener("error", function (e) {
      if (session !== s) return;
      if (fatal[e.error]) {
        s.wanted = false;
        s.error = fatal[e.error];
      }
    });
    rec.addEventListener("end", function () {
      if (session !== s) return;
      bank(s);
      // Recognition ends by itself after a silence: carry on listening
      // until the user stops, unless it ends again at once.
      if (s.wanted && document.contains(s.box) && performance.now() - s.startedAt > 1000) {
        s.committed = s.box.value;
        s.written = s.box.value;
        s.done = 0;
        s.seen = 0;
        s.startedAt = performance.now();
        try { rec.start(); return; } catch (err) { /* fall through: stopped */ }
      }
      finish(s, s.error || "Dictation stopped. Correct anything it misheard, then submit.");
    });
    s.startedAt = performance.now();
    pressed(form, true);
    try {
      rec.start();
    } catch (err) {
      finish(s, "Dictation could not start. Type your answer, or try again.");
    }
  }

  function finish(s, message) {
    if (session === s) session = null;
    bank(s);
    if (!document.contains(s.form)) return; // the answer was sent meanwhile
    pressed(s.form, false);
    showCountdown(s.form);
    if (message) say(s.form, message);
  }

  // stop asks recognition to stop: the last words arrive, then "end". A
  // second press, when "end" never came, lets go at once.
  function stop(s) {
    if (!s.wanted) {
      try { s.rec.abort(); } catch (err) { /* already ended */ }
      finish(s, "Dictation stopped. Correct anything it misheard, then submit.");
      return;
    }
    s.wanted = false;
    bank(s);
    try { s.rec.stop(); } catch (err) { finish(s, ""); }
  }

  function toggle(form) {
    if (session && session.form === form) stop(session);
    else if (!session) start(form);
  }

  // setup shows the voice controls where the browser can dictate and
  // removes them where it cannot.
  function setup(root) {
    if (!root || !root.querySelectorAll) return;
    var controls = root.querySelectorAll("[data-voice]");
    controls.forEach(function (el) {
      if (Recognition) el.hidden = false;
      else el.remove();
    });
    if (!Recognition) return;
    root.querySelectorAll("form").forEach(function (form) {
      if (!parts(form).button) return;
      recall(form);
      showCountdown(form);
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-voice]");
    if (b && b.form) toggle(b.form);
  });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== "KeyV") return;
    var b = document.querySelector("button[data-voice]");
    if (!b || b.hidden || !b.form) return;
    e.preventDefault();
    toggle(b.form);
  });
  // Submitting (or skipping) stops dictation and sends the speaking time
  // with the answer. This runs before htmx reads the form.
  document.addEventListener("submit", function (e) {
    if (session && session.form === e.target) stop(session);
  }, true);
  // A swap that removed the box ends its dictation.
  document.addEventListener("htmx:load", function (e) {
    if (session && !document.contains(session.box)) {
      var s = session;
      s.wanted = false;
      session = null;
      try { s.rec.abort(); } catch (err) { /* already ended */ }
    }
    setup(e.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  setInterval(function () {
    if (session && session.since !== null) showCountdown(session.form);
  }, 250);
})();
