// Dispatcher board: the map (Leaflet; without a tile server it draws positions only) and
// drag-to-reassign on the timeline. Both re-read the board after every live swap.
(function () {
  "use strict";
  const COLORS = { planned: "#0b5cad", open: "#8a4b00", late: "#b42318", active: "#067647", done: "#6b7280" };
  const ROUTE_COLORS = ["#0b5cad", "#7c3aed", "#047857", "#b45309", "#be185d", "#0e7490", "#4d7c0f", "#9f1239"];
  let map = null;
  let layer = null;
  let fitted = false;

  function data() {
    const el = document.getElementById("board-map-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  // Names and addresses are data: Leaflet renders a string tooltip as HTML, an element as is.
  function textNode(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function escaped(text) {
    const box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  }

  // Timeline positions come as data-left/data-width percentages and are set through the CSSOM:
  // the Content-Security-Policy refuses inline style attributes.
  function place(root) {
    root.querySelectorAll("[data-left]").forEach(function (el) {
      el.style.left = el.dataset.left + "%";
      if (el.dataset.width) el.style.width = el.dataset.width + "%";
    });
  }

  function drawMap() {
    const box = document.getElementById("map");
    const d = data();
    if (!box || !d || typeof L === "undefined") return;
    if (!map) {
      map = L.map(box, { zoomControl: true, attributionControl: !!box.dataset.tiles });
      if (box.dataset.tiles) {
        // Leaflet shows the attribution as HTML: the configured text is escaped first.
        L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: escaped(box.dataset.attribution || "") }).addTo(map);
      }
      map.setView(d.center, 12);
    }
    if (layer) layer.remove();
    layer = L.layerGroup().addTo(map);
    const bounds = [];
    d.techs.forEach(function (t, i) {
      const color = ROUTE_COLORS[i % ROUTE_COLORS.length];
      if (t.route.length > 1) L.polyline(t.route, { color: color, weight: 2, opacity: 0.7 }).addTo(layer);
      L.circleMarker([t.lat, t.lon], { radius: 6, color: color, fillColor: "#ffffff", fillOpacity: 1, weight: 3 })
        .bindTooltip(textNode(t.label)).addTo(layer);
      bounds.push([t.lat, t.lon]);
    });
    d.jobs.forEach(function (j) {
      L.circleMarker([j.lat, j.lon], { radius: 7, color: COLORS[j.state] || "#333", fillOpacity: 0.85, weight: 2 })
        .bindTooltip(textNode(j.label)).addTo(layer);
      bounds.push([j.lat, j.lon]);
    });
    if (bounds.length && !fitted) {
      map.fitBounds(bounds, { padding: [20, 20] });
      fitted = true;
    }
  }

  // Drag a visit onto another technician's row: the drop position (rounded to 5 minutes)
  // places it in that technician's route; the same reassign checks apply.
  function minutesAt(track, clientX) {
    const rect = track.getBoundingClientRect();
    const frac = Math.min(Math.max((clientX - rect.left) / rect.width, 0), 1);
    const start = 7 * 60, span = 14 * 60;
    const m = Math.round((start + frac * span) / 5) * 5;
    return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }

  document.addEventListener("dragstart", function (e) {
    const b = e.target.closest && e.target.closest("button[data-appointment]");
    if (!b) return;
    e.dataTransfer.setData("text/plain", JSON.stringify({ url: b.dataset.assign, version: b.dataset.version }));
    e.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (e) {
    const row = e.target.closest && e.target.closest(".tl-row");
    if (!row) return;
    e.preventDefault();
    document.querySelectorAll(".drop-target").forEach(function (r) { r.classList.remove("drop-target"); });
    row.classList.add("drop-target");
  });
  document.addEventListener("drop", function (e) {
    const row = e.target.closest && e.target.closest(".tl-row");
    if (!row) return;
    e.preventDefault();
    row.classList.remove("drop-target");
    const info = JSON.parse(e.dataTransfer.getData("text/plain") || "{}");
    if (!info.url) return;
    const track = row.querySelector(".tl-track");
    // The drop's time only picks the visit's place in the route; the server computes the
    // arrival from the route (…/assign/ → …/drop/).
    htmx.ajax("POST", info.url.replace(/assign\/$/, "drop/"), {
      target: "#panel",
      values: { technician: row.dataset.technician, dropped: minutesAt(track, e.clientX), version: info.version },
    });
  });

  // Hover card of a timeline block: address, masked phone, status, last event. The facts
  // come from the block's data- attributes and are set as text (never parsed as HTML).
  let card = null;
  let cardFor = null;
  function hideCard() {
    if (card) card.remove();
    if (cardFor) cardFor.removeAttribute("aria-describedby");
    card = null;
    cardFor = null;
  }
  function showCard(button) {
    hideCard();
    const d = button.dataset;
    card = document.createElement("div");
    card.className = "hover-card";
    card.id = "hover-card";
    card.setAttribute("role", "tooltip");
    const title = document.createElement("strong");
    title.textContent = d.cardNumber || "";
    card.appendChild(title);
    // The block's own line (work, tier, customer, window) may be cut off by its width.
    const line = button.cloneNode(true);
    line.querySelectorAll(".sr-only").forEach(function (el) { el.remove(); });
    const summary = document.createElement("div");
    summary.className = "card-summary";
    summary.textContent = line.textContent.trim();
    card.appendChild(summary);
    const facts = document.createElement("dl");
    [["card-address", d.address], ["card-phone", d.phone], ["card-status", d.status], ["card-event", d.event]]
      .forEach(function (pair) {
        if (!pair[1]) return;
        const dd = document.createElement("dd");
        dd.className = pair[0];
        dd.textContent = pair[1];
        facts.appendChild(dd);
      });
    card.appendChild(facts);
    document.body.appendChild(card);
    const rect = button.getBoundingClientRect();
    card.style.left = Math.max(4, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 4)) + "px";
    card.style.top = (rect.bottom + window.scrollY + 4) + "px";
    button.setAttribute("aria-describedby", "hover-card");
    cardFor = button;
  }
  function blockOf(e) {
    return e.target.closest && e.target.closest(".tl-visit button[data-appointment]");
  }
  document.addEventListener("mouseover", function (e) {
    const b = blockOf(e);
    if (b) showCard(b);
  });
  document.addEventListener("focusin", function (e) {
    const b = blockOf(e);
    if (b) showCard(b);
  });
  document.addEventListener("mouseout", function (e) {
    const b = blockOf(e);
    if (b && !b.contains(e.relatedTarget)) hideCard();
  });
  document.addEventListener("focusout", function (e) {
    if (blockOf(e)) hideCard();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hideCard();
  });
  document.addEventListener("dragstart", hideCard);

  // Density and zoom of the timeline (40 technicians fit on 1366×768 when compact). The
  // choice is kept in this browser and on #board itself, which live swaps do not replace.
  const view = { compact: false, zoom: "1" };
  try {
    view.compact = localStorage.getItem("guifan.board.compact") === "1";
    view.zoom = localStorage.getItem("guifan.board.zoom") || "1";
  } catch (err) { /* storage refused: defaults */ }
  function applyView() {
    const board = document.getElementById("board");
    if (!board) return;
    board.classList.toggle("compact", view.compact);
    board.style.setProperty("--zoom", view.zoom);
    const button = document.getElementById("board-density");
    if (button) button.setAttribute("aria-pressed", String(view.compact));
    const select = document.getElementById("board-zoom");
    if (select) select.value = view.zoom;
    try {
      localStorage.setItem("guifan.board.compact", view.compact ? "1" : "0");
      localStorage.setItem("guifan.board.zoom", view.zoom);
    } catch (err) { /* storage refused: this page only */ }
  }
  document.addEventListener("click", function (e) {
    if (e.target && e.target.id === "board-density") {
      view.compact = !view.compact;
      applyView();
    }
  });
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "board-zoom") {
      view.zoom = e.target.value;
      applyView();
    }
  });

  function drawBoard() {
    applyView();
    const board = document.getElementById("board");
    if (board) place(board);
    drawMap();
  }

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "board") {
      hideCard();  // its block may be gone
      place(e.target);
    }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target && e.target.id === "board") drawMap();
  });
  document.addEventListener("DOMContentLoaded", drawBoard);
  if (document.readyState !== "loading") drawBoard();
})();
