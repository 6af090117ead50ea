// Calling screen: speak each new call once, in Chinese, with the browser's speech synthesis.
// Calls already on the screen when it loads are not spoken again; a recall has a new key.
(function () {
  "use strict";
  const spoken = new Set();
  const KEY = "guifan.hall.voice";

  function voiceOn() {
    return window.localStorage.getItem(KEY) !== "off";
  }

  function say(text) {
    if (!voiceOn() || !("speechSynthesis" in window)) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function scan(root, speak) {
    root.querySelectorAll("[data-say]").forEach(function (el) {
      const key = el.dataset.call;
      if (spoken.has(key)) return;
      spoken.add(key);
      if (speak) say(el.dataset.say);
    });
  }

  // Live calls by server-sent events: each "calls" event re-reads the calls fragment. The
  // slow poll on #calls stays as a fallback when the stream is down.
  function listen() {
    const box = document.getElementById("calls");
    if (!box || !box.dataset.events || !("EventSource" in window)) return;
    const source = new EventSource(box.dataset.events);
    source.addEventListener("calls", function (event) {
      if (event.data === box.dataset.stamp) return;  // what the screen already shows
      box.dataset.stamp = event.data;
      htmx.trigger(box, "calls-changed");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan(document, false);
    listen();
    const button = document.getElementById("voice");
    button.setAttribute("aria-pressed", String(voiceOn()));
    // The click also gives the page the user activation Chrome wants before speaking.
    button.addEventListener("click", function () {
      window.localStorage.setItem(KEY, voiceOn() ? "off" : "on");
      button.setAttribute("aria-pressed", String(voiceOn()));
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    scan(event.detail.target, true);
  });
})();
