// Calling screen: each new call flashes, chimes (a two-note bell made with WebAudio, no sound
// file) and is spoken once in Chinese with the browser's speech synthesis. Calls already on
// the screen when it loads are not announced again; a recall has a new key. The clock runs
// from the server's time (the hall's clock, Asia/Shanghai), not the device's own.
(function () {
  "use strict";
  const announced = new Set();
  const KEY = "guifan.hall.voice";
  let audio = null;

  function voiceOn() {
    return window.localStorage.getItem(KEY) !== "off";
  }

  function chime() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return 0;
    audio = audio || new Ctx();
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime + 0.05;
    [[659.25, 0], [523.25, 0.45]].forEach(function (note) {  // E5 then C5: "ding-dong"
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, start + note[1]);
      gain.gain.exponentialRampToValueAtTime(0.5, start + note[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + note[1] + 1.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + note[1]);
      osc.stop(start + note[1] + 1.3);
    });
    return 1300;
  }

  function say(text, delay) {
    if (!("speechSynthesis" in window)) return;
    window.setTimeout(function () {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      window.speechSynthesis.speak(utterance);
    }, delay);
  }

  function announce(el) {
    el.classList.add("fresh");
    if (!voiceOn()) return;
    let delay = 0;
    try {
      delay = chime();
    } catch (e) {
      delay = 0;  // no audio device: speak without the chime
    }
    say(el.dataset.say, delay);
  }

  function scan(root, loud) {
    root.querySelectorAll("[data-say]").forEach(function (el) {
      const key = el.dataset.call;
      if (announced.has(key)) return;
      announced.add(key);
      if (loud) announce(el);
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

  function clock() {
    const box = document.getElementById("clock");
    if (!box) return;
    const offset = Number(box.dataset.now) - Date.now();
    const lang = document.documentElement.lang || "zh-CN";
    const time = new Intl.DateTimeFormat(lang, {
      timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit",
      hourCycle: "h23",
    });
    const date = new Intl.DateTimeFormat(lang, {
      timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric", weekday: "long",
    });
    function tick() {
      const now = new Date(Date.now() + offset);
      document.getElementById("clock-time").textContent = time.format(now);
      document.getElementById("clock-date").textContent = date.format(now);
    }
    tick();
    window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan(document, false);
    listen();
    clock();
    const button = document.getElementById("voice");
    button.setAttribute("aria-pressed", String(voiceOn()));
    // The click also gives the page the user activation browsers want before sound.
    button.addEventListener("click", function () {
      window.localStorage.setItem(KEY, voiceOn() ? "off" : "on");
      button.setAttribute("aria-pressed", String(voiceOn()));
      if (voiceOn()) chime();
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    scan(event.detail.target, true);
  });
})();
