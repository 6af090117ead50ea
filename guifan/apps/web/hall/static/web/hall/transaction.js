// The counter's transaction panel: the customer's signature pad (the pattern of the field
// app's evidence.js: draw with a finger or the pen, the form sends a PNG data URL), bound to
// each panel htmx swaps in; and the panel reloads when the counter's ticket changes.
(() => {
  "use strict";
  const bind = (root) => {
    root.querySelectorAll("canvas[data-pad]:not([data-bound])").forEach((pad) => {
      pad.setAttribute("data-bound", "");
      const form = pad.closest("form");
      const field = form.querySelector("[data-pad-field]");
      const ctx = pad.getContext("2d");
      let drawing = false;
      ctx.lineWidth = 3;
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
      });
      const stop = () => {
        if (drawing) field.value = pad.toDataURL("image/png");
        drawing = false;
      };
      pad.addEventListener("pointerup", stop);
      pad.addEventListener("pointercancel", stop);
      const clear = form.querySelector("[data-pad-clear]");
      if (clear) {
        clear.addEventListener("click", () => {
          ctx.clearRect(0, 0, pad.width, pad.height);
          field.value = "";
        });
      }
    });
  };
  const reloadIfStale = () => {
    const panel = document.getElementById("transaction");
    const body = document.getElementById("transaction-body");
    const marker = document.querySelector("#panel [data-state]");
    if (!panel || !body || !marker) return;
    if (marker.getAttribute("data-state") !== body.getAttribute("data-state")) {
      htmx.ajax("GET", panel.getAttribute("data-src"), { target: "#transaction" });
    }
  };
  htmx.onLoad((elt) => bind(elt));
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target && e.detail.target.id === "panel") reloadIfStale();
  });
})();
