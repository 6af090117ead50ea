// Position sharing (ADR 0034): only when the technician turned it on, only while today's
// shift runs, one fix every APT-07 position_interval_seconds, posted to the route's
// /t/position/. The server refuses anything else; the customer only ever sees an ETA.
(() => {
  "use strict";
  const box = document.getElementById("sharing");
  if (!box || box.dataset.sharing !== "on" || !("geolocation" in navigator)) return;
  const url = box.dataset.positionUrl;
  const every = Math.max(15, Number(box.dataset.interval) || 60) * 1000;
  const starts = Date.parse(box.dataset.shiftStart || "");
  const ends = Date.parse(box.dataset.shiftEnd || "");
  const status = document.getElementById("position-status");
  if (Number.isNaN(starts) || Number.isNaN(ends)) return; // no shift today: nothing is sent
  let timer = 0;
  const stop = () => { if (timer) { clearInterval(timer); timer = 0; } };
  const csrfToken = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  const send = (pos) => {
    const body = new URLSearchParams({
      lat: String(pos.coords.latitude),
      lon: String(pos.coords.longitude),
      accuracy: String(pos.coords.accuracy),
      // The fix time, never later than the page's own clock.
      at: new Date(Math.min(pos.timestamp || Date.now(), Date.now())).toISOString(),
    });
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body,
    })
      .then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (status && data.message) status.textContent = data.message;
        if (!ok && (data.code === "position.outside_shift" || data.code === "position.no_consent")) stop();
      })
      .catch(() => {}); // offline: the next fix tries again
  };
  const tick = () => {
    const now = Date.now();
    if (now > ends) { stop(); return; }
    if (now < starts || document.hidden) return;
    navigator.geolocation.getCurrentPosition(send, () => {}, {
      enableHighAccuracy: true,
      maximumAge: every / 2,
      timeout: 20000,
    });
  };
  timer = setInterval(tick, every);
  tick();
})();
