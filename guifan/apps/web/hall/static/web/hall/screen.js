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

  document.addEventListener("DOMContentLoaded", function () {
    scan(document, false);
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
