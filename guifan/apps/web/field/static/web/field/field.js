// Technician phone app: registers the service worker, keeps what the technician does on site
// (trip, arrival, steps, photos, signature, rating, completion) in the IndexedDB queue
// (queue.js) with the time of the tap while offline, and posts it to /t/sync/ when the
// connection is back. Every visible string comes from data attributes on #field-app
// (translated in the template).
(function () {
  "use strict";
  const app = document.getElementById("field-app");
  const Q = window.GuifanQueue;
  if (!app || !Q) return;
  const msg = app.dataset;
  const RETRY_MS = 30000;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(msg.swUrl, { scope: msg.scope }).catch(() => {});
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? cookie.slice("csrftoken=".length) : "";
  }

  function setStatus(text) {
    document.getElementById("sync-status").textContent = text;
  }

  // What is waiting shows where it was tapped: the step's card, a note under the form.
  function markQueued(items) {
    document.querySelectorAll(".step.queued").forEach((el) => el.classList.remove("queued"));
    document.querySelectorAll("[data-queued-note]").forEach((el) => el.remove());
    const counts = {};
    items.forEach((item) => {
      const where = item.order + ":" + item.kind;
      counts[where] = (counts[where] || 0) + 1;
      if (item.kind === "step") {
        const card = document.getElementById("step-" + item.norm);
        if (card) card.classList.add("queued");
      }
      if (item.kind === "arrive") {
        document.querySelectorAll("[data-after-arrival][data-order='" + item.order + "']")
          .forEach((el) => { el.hidden = false; });
      }
    });
    Object.keys(counts).forEach((where) => {
      const [order, kind] = where.split(":");
      const form = document.querySelector("form[data-order='" + order + "'][data-offline~='" + kind + "']");
      if (!form || kind === "step") return;
      const note = document.createElement("p");
      note.className = "tag warn";
      note.dataset.queuedNote = kind;
      note.textContent = msg.msgQueuedHere.replace("{n}", counts[where]);
      form.after(note);
    });
  }

  function showPending() {
    return Q.all().then((items) => {
      const offline = navigator.onLine ? "" : msg.msgOffline + " ";
      setStatus(items.length ? offline + msg.msgPending.replace("{n}", items.length) : offline.trim());
      markQueued(items);
      return items;
    });
  }

  function report(lines) {
    const box = document.getElementById("sync-report");
    const reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = msg.msgReload;
    box.replaceChildren(...lines.map((text) => {
      const p = document.createElement("p");
      p.textContent = text;
      return p;
    }), reload);
    box.hidden = lines.length === 0;
  }

  function formData(form, submitter) {
    try {
      return new FormData(form, submitter);
    } catch (e) {
      const data = new FormData(form);
      if (submitter && submitter.name) data.set(submitter.name, submitter.value);
      return data;
    }
  }

  function tapTime(form) {
    // Sent with every post: the service worker keeps a post that fails with this time too.
    let input = form.querySelector("input[name=at]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "at";
      form.append(input);
    }
    input.value = new Date().toISOString();
  }

  function resetForm(form) {
    form.reset();
    // The drawn signatures too (the customer's, a step's own): the next tap starts blank.
    form.querySelectorAll("[data-sig-clear], [data-pad-clear]").forEach((clear) => clear.click());
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset || !form.dataset.offline) return;
    tapTime(form);
    if (navigator.onLine) return;
    event.preventDefault();
    // getAttribute: form.action would be the button named "action" (the trip form has one).
    const action = Q.fromForm(form.getAttribute("action"), formData(form, event.submitter), form.dataset.label);
    if (!action) {
      report([msg.msgNothing]);
      return;
    }
    Q.push(action).then(() => {
      report([]);
      const next = Q.target(action, msg.scope);
      if (next !== window.location.pathname) {
        window.location.assign(next);
        return null;
      }
      resetForm(form);
      return showPending().then(() => setStatus(document.getElementById("sync-status").textContent + " " + msg.msgQueued));
    });
  });

  function problemOf(item, result) {
    const text = item.label + " — " + (result.message || "");
    if (result.status === "conflict") return msg.msgConflict + " " + text;
    if (result.status === "skipped") return msg.msgSkipped + " " + text;
    if (result.status !== "ok") return msg.msgError + " " + text;
    return null;
  }

  let flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return Q.all().then((items) => {
      if (!items.length) return null;
      return fetch(msg.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        body: Q.body(items),
      }).then((response) => {
        if (!response.ok) throw new Error("sync " + response.status);
        return response.json();
      }).then((body) => {
        const problems = [];
        const done = items.map((item, i) => {
          const problem = problemOf(item, body.results[i] || {});
          if (problem) problems.push(problem);
          // Answered actions leave the queue; a retry would get the same answer.
          return Q.remove(item.seq);
        });
        return Promise.all(done).then(() => problems);
      });
    }).then((problems) => {
      if (problems === null) return;
      if (problems.length) {
        report(problems);
        return showPending();
      }
      setStatus(msg.msgSynced);
      window.location.reload();
    }).catch(() => showPending()).finally(() => { flushing = false; });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", showPending);
  window.setInterval(() => { if (navigator.onLine) flush(); }, RETRY_MS);
  showPending().then(flush);

  // Today's visit pages go into the service worker's page cache while online, so each opens
  // in a basement too.
  const visits = Array.from(document.querySelectorAll("[data-visit-url]"), (el) => el.dataset.visitUrl);
  if (visits.length && navigator.onLine && "serviceWorker" in navigator) {
    navigator.serviceWorker.ready.then((reg) => {
      if (reg.active) reg.active.postMessage({ precache: visits });
    });
  }

  // Signature boxes (the customer's, VIS-18; the data-risk one, VIS-09): evidence.js.
})();
