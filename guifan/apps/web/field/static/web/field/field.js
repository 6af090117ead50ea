// Technician phone app: registers the service worker, queues step and call-ahead actions in
// IndexedDB while offline, and posts them to /t/sync/ when the connection is back.
// Every visible string comes from data attributes on #field-app (translated in the template).
(function () {
  "use strict";
  const app = document.getElementById("field-app");
  if (!app) return;
  const DB = "guifan-field";
  const STORE = "queue";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.swUrl, { scope: app.dataset.scope }).catch(() => {});
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function tx(mode, work) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const result = work(t.objectStore(STORE));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
    }));
  }

  const queueAll = () => tx("readonly", (s) => s.getAll());
  const queueAdd = (item) => tx("readwrite", (s) => s.add(item));
  const queueDelete = (seq) => tx("readwrite", (s) => s.delete(seq));

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setStatus(text) {
    document.getElementById("sync-status").textContent = text;
  }

  function showPending() {
    return queueAll().then((items) => {
      const offline = navigator.onLine ? "" : app.dataset.msgOffline + " ";
      setStatus(items.length ? offline + app.dataset.msgPending.replace("{n}", items.length) : offline.trim());
      document.querySelectorAll(".step.queued").forEach((el) => el.classList.remove("queued"));
      items.forEach(markQueued);
      return items;
    });
  }

  function markQueued(item) {
    if (item.kind !== "step") return;
    const card = document.getElementById("step-" + item.norm);
    if (card) card.classList.add("queued");
  }

  function report(lines) {
    const box = document.getElementById("sync-report");
    const reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = app.dataset.msgReload;
    box.replaceChildren(...lines.map((text) => {
      const p = document.createElement("p");
      p.textContent = text;
      return p;
    }), reload);
    box.hidden = lines.length === 0;
  }

  function actionFrom(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    const action = { key: newKey(), kind: form.dataset.offline, order: Number(form.dataset.order),
      label: form.dataset.label || "" };
    data.forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken") action[name] = value;
    });
    action.version = Number(action.version);
    action.late = action.late === "1";
    return action;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset || !form.dataset.offline || navigator.onLine) return;
    event.preventDefault();
    queueAdd(actionFrom(form, event.submitter)).then(() => {
      report([]);
      return showPending();
    }).then(() => setStatus(document.getElementById("sync-status").textContent + " " + app.dataset.msgQueued));
  });

  let flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return queueAll().then((items) => {
      if (!items.length) return null;
      return fetch(app.dataset.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ actions: items }),
      }).then((response) => {
        if (!response.ok) throw new Error("sync " + response.status);
        return response.json();
      }).then((body) => {
        const problems = [];
        const done = items.map((item, i) => {
          const r = body.results[i] || {};
          if (r.status === "conflict") problems.push(app.dataset.msgConflict + " " + item.label + " — " + r.message);
          if (r.status === "error") problems.push(app.dataset.msgError + " " + item.label + " — " + r.message);
          // Answered actions leave the queue; a retry would get the same answer.
          return queueDelete(item.seq);
        });
        return Promise.all(done).then(() => problems);
      });
    }).then((problems) => {
      if (problems === null) return;
      if (problems.length) {
        report(problems);
        return showPending();
      }
      setStatus(app.dataset.msgSynced);
      window.location.reload();
    }).catch(() => showPending()).finally(() => { flushing = false; });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", showPending);
  showPending().then(flush);

  // The customer's signature: pointer events cover mouse, pen and touch.
  const pad = document.getElementById("sig-pad");
  if (pad) {
    const ctx = pad.getContext("2d");
    const field = document.getElementById("sig-data");
    let drawing = false;
    let drawn = false;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#111827";
    const point = (e) => {
      const box = pad.getBoundingClientRect();
      return [(e.clientX - box.left) * (pad.width / box.width), (e.clientY - box.top) * (pad.height / box.height)];
    };
    pad.addEventListener("pointerdown", (e) => {
      drawing = true;
      pad.setPointerCapture(e.pointerId);
      ctx.beginPath();
      ctx.moveTo(...point(e));
    });
    pad.addEventListener("pointermove", (e) => {
      if (!drawing) return;
      ctx.lineTo(...point(e));
      ctx.stroke();
      drawn = true;
    });
    const stop = () => { drawing = false; };
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);
    document.querySelector("[data-sig-clear]").addEventListener("click", () => {
      ctx.clearRect(0, 0, pad.width, pad.height);
      drawn = false;
      field.value = "";
    });
    pad.closest("form").addEventListener("submit", () => {
      field.value = drawn ? pad.toDataURL("image/png") : "";
    });
  }
})();
