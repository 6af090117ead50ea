// Nobody answers (VIS-03): each tap is stamped with the phone's time, the hint counts down
// to the next knock and to the call; the times go to the server as tapped.
(() => {
  "use strict";
  const form = document.querySelector("form[data-door]");
  if (!form) return;
  const repeat = Number(form.dataset.repeat || 30);
  const wait = Number(form.dataset.wait || 3) * 60;
  const events = [];
  const field = form.querySelector("[data-door-events]");
  const log = form.querySelector("[data-door-log]");
  const hint = form.querySelector("[data-door-hint]");
  const label = { knock: form.dataset.msgKnock, call: form.dataset.msgCall, neighbour: form.dataset.msgNeighbour };
  const hhmmss = (d) => d.toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
  const tick = () => {
    const knocks = events.filter((e) => e.kind === "knock");
    if (!knocks.length || events.some((e) => e.kind === "call")) { hint.textContent = ""; return; }
    const now = Date.now();
    const sinceFirst = (now - Date.parse(knocks[0].at)) / 1000;
    const sinceLast = (now - Date.parse(knocks[knocks.length - 1].at)) / 1000;
    if (sinceFirst >= wait) { hint.textContent = form.dataset.msgCallNow; return; }
    const parts = [form.dataset.msgNextKnock.replace("{s}", Math.max(0, Math.ceil(repeat - sinceLast)))];
    parts.push(form.dataset.msgCallIn.replace("{s}", Math.ceil(wait - sinceFirst)));
    hint.textContent = parts.join("；");
  };
  form.querySelectorAll("[data-door-tap]").forEach((button) => {
    button.addEventListener("click", () => {
      const at = new Date();
      events.push({ kind: button.dataset.doorTap, at: at.toISOString() });
      field.value = JSON.stringify(events);
      const item = document.createElement("li");
      item.textContent = `${hhmmss(at)} ${label[button.dataset.doorTap]}`;
      log.appendChild(item);
      tick();
    });
  });
  setInterval(tick, 1000);
  form.addEventListener("submit", () => {
    form.querySelector("[data-door-left]").value = new Date().toISOString();
  });
})();
