// Shared page behaviour: htmx sends the CSRF token (set on <body hx-headers>), and a 409/422
// answer from a fragment is still swapped in, so the error shows next to the field.
document.addEventListener("htmx:beforeSwap", function (event) {
  const status = event.detail.xhr.status;
  if (status === 409 || status === 422 || status === 403) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
