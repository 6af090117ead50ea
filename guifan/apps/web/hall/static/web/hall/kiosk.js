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
    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt === form && event.detail.successful) clear();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-kiosk]").forEach(setup);
  });
})();
