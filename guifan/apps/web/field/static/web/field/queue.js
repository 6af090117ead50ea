// The offline queue of the technician app, shared by the pages (field.js) and the service
// worker (sw.js, importScripts): a form post becomes one action, kept in IndexedDB with the
// time of the tap until /t/sync/ answers it. Pictures are kept as Blobs and uploaded as parts.
(function (scope) {
  "use strict";
  const DB = "guifan-field";
  const STORE = "queue";
  // The last path segment of a form's action → the action's kind (trip: its button says).
  const KINDS = { "call-ahead": "call_ahead", step: "step", photo: "photo", signature: "signature",
    rating: "rating", complete: "complete", trip: "" };
  // After these the server sends the phone back to the route; after the others to the visit.
  const TO_ROUTE = ["depart", "call_ahead", "complete"];

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
      t.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      t.onerror = () => { db.close(); reject(t.error); };
    }));
  }

  function newKey() {
    if (scope.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function dataUrlBlob(value) {
    // The signature canvas's PNG; decoded here because CSP forbids fetch("data:...").
    const comma = value.indexOf(",");
    if (!value.startsWith("data:image/png;base64,") || comma < 0) return null;
    const bytes = atob(value.slice(comma + 1));
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 1) out[i] = bytes.charCodeAt(i);
    return new Blob([out], { type: "image/png" });
  }

  function fileBlob(file) {
    if (!file || typeof file === "string" || !file.size) return null;
    return new Blob([file], { type: file.type });
  }

  // The action a form post to `url` with `data` (a FormData) records, or null when the post is
  // not one the phone can keep.
  function fromForm(url, data, label) {
    const path = new URL(url, scope.location.href).pathname;
    const match = path.match(/\/o\/(\d+)\/([a-z-]+)\/$/);
    if (!match || !(match[2] in KINDS)) return null;
    const kind = KINDS[match[2]] || String(data.get("action") || "");
    if (!kind) return null;
    const text = (name) => String(data.get(name) || "");
    const action = { key: newKey(), kind, order: Number(match[1]), version: Number(data.get("version")),
      at: text("at") || new Date().toISOString(), label: label || "" };
    if (kind === "call_ahead") Object.assign(action, { outcome: text("outcome"), late: text("late") === "1" });
    if (kind === "complete" && text("fix_uncertain")) action.fix_uncertain = true;  // QA-01
    if (kind === "step") {
      Object.assign(action, { norm: text("norm"), outcome: text("outcome"), reason: text("reason") });
      // The step's evidence fields (ev-*) travel as typed; the server reads them as it reads
      // the form post. Its own picture (the label's photo, a signature) travels as a Blob.
      const form = {};
      data.forEach((value, name) => {
        if (name.startsWith("ev-") && typeof value === "string" && name !== "ev-signature") form[name] = value;
      });
      if (Object.keys(form).length) action.form = form;
      const photo = fileBlob(data.get("ev-photo"));
      const signed = text("ev-signature") ? dataUrlBlob(text("ev-signature")) : null;
      if (photo || signed) action.blob = photo || signed;
    }
    if (kind === "photo") {
      action.blob = fileBlob(data.get("photo"));
      if (!action.blob) return null;
      action.norm = text("norm");
    }
    if (kind === "signature") action.blob = dataUrlBlob(text("signature"));
    if (kind === "rating") Object.assign(action, { score: Number(text("score")) || 0, comment: text("comment") });
    return action;
  }

  function target(action, home) {
    return TO_ROUTE.includes(action.kind) ? home : home + "o/" + action.order + "/";
  }

  // The batch for /t/sync/: the actions as JSON in "actions", each Blob as a part it names.
  function body(items) {
    const form = new FormData();
    const actions = items.map((item) => {
      const { seq, blob, ...action } = item;
      if (blob) {
        action.file = "f" + seq;
        form.append(action.file, blob, action.file);
      }
      return action;
    });
    form.append("actions", JSON.stringify(actions));
    return form;
  }

  const all = () => tx("readonly", (s) => s.getAll());

  // Taps are recorded one after another: a tap cannot have seen an older state of its order
  // than the taps queued before it (a page kept from before the arrival shows the old
  // version), so it carries the newest version of the queue.
  function push(action) {
    return all().then((items) => {
      items.forEach((item) => {
        if (item.order === action.order && item.version > action.version) action.version = item.version;
      });
      return tx("readwrite", (s) => s.add(action));
    });
  }

  scope.GuifanQueue = {
    all, push,
    remove: (seq) => tx("readwrite", (s) => s.delete(seq)),
    fromForm, target, body,
  };
})(self);
