// Signature boxes (the customer's, VIS-18; disk work's, VIS-09): draw with a finger; the
// form sends a PNG data URL. Loaded before field.js so the URL is set before a submit is queued.
(() => {
  "use strict";
  document.querySelectorAll("canvas[data-pad]").forEach((pad) => {
    const form = pad.closest("form");
    const field = form.querySelector("[data-pad-field]");
    const ctx = pad.getContext("2d");
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
    const clear = form.querySelector("[data-pad-clear]");
    if (clear) {
      clear.addEventListener("click", () => {
        ctx.clearRect(0, 0, pad.width, pad.height);
        drawn = false;
        field.value = "";
      });
    }
    form.addEventListener("submit", () => {
      field.value = drawn ? pad.toDataURL("image/png") : "";
    });
  });
})();
