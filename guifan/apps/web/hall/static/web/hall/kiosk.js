// The kiosk's keypad (HAL-04: a phone number or member card, never a star level). The digits go
// into a hidden field; the screen shows them masked as SEC-01 masks phones (first 3, last 4).
(function () {
  "use strict";
  function masked(value) {
    if (value.length <= 3) return value;
    if (value.length <= 7) return value.slice(0, 3) + "*".repeat(value.length - 3);
    return value.slice(0, 3) + "*".repeat(value.length - 7) + value.slice(-4);
  }
  function setup(form) {
    const display = form.querySelector("[data-display]");
    const fields = {
      phone: form.querySelector('[data-field="phone"]'),
      member_card: form.querySelector('[data-field="member_card"]'),
    };
    let mode = "phone";
    function show() {
      const value = fields[mode].value;
      display.textContent = value ? masked(value) : display.dataset.empty;
    }
    function clear() {
      fields.phone.value = "";
      fields.member_card.value = "";
      show();
    }
    form.querySelectorAll("[data-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.dataset.mode;
        form.querySelectorAll("[data-mode]").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        clear();
      });
    });
    form.querySelectorAll("[data-key]").forEach(function (button) {
      button.addEventListener("click", function () {
        const field = fields[mode];
        const key = button.dataset.key;
        if (key === "clear") field.value = "";
        else if (key === "back") field.value = field.value.slice(0, -1);
        else if (field.value.length < (mode === "phone" ? 12 : 40)) field.value += key;
        show();
      });
    });
    // A member card reader types like a keyboard: digits and letters go to the card field.
    document.addEventListener("keydown", function (event) {
      if (mode !== "member_card" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (/^[0-9A-Za-z-]$/.test(event.key) && fields.member_card.value.length < 40) {
        fields.member_card.value += event.key;
        show();
      }
    });
    // One key per press: a press whose answer was lost, pressed again for the same business,
    // sends the same key and gets the same ticket back, never a second number.
    const pressKey = form.querySelector("[data-press-key]");
    let pending = null;
    function newKey() {
      pressKey.value = window.crypto && crypto.randomUUID
        ? crypto.randomUUID()
        : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
    }
    newKey();
    form.querySelectorAll('button[name="category"]').forEach(function (button) {
      button.addEventListener("click", function () {
        if (pending !== button.value) newKey();
        pending = button.value;
      });
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== form) return;
      if (event.detail.successful) {
        clear();
        newKey();
        pending = null;
      } else if (event.detail.xhr && event.detail.xhr.status > 0 && event.detail.xhr.status < 500) {
        pending = null; // refused (nothing issued): the next press is a new one
        newKey();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-kiosk]").forEach(setup);
  });
})();
