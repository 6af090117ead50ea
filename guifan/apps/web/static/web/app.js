// Shared page behaviour: htmx sends the CSRF token (set on <body hx-headers>), and a 409/422
// answer from a fragment is still swapped in, so the error shows next to the field.
document.addEventListener("htmx:beforeSwap", function (event) {
  const status = event.detail.xhr.status;
  if (status === 409 || status === 422 || status === 403) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Behaviour that would otherwise be inline script (the Content-Security-Policy allows none, and
// no eval, so htmx's hx-on, js: values and [filters] are not used):
// a form marked data-reset-on-success is cleared once htmx got a 2xx answer for it (the kiosk);
document.addEventListener("htmx:afterRequest", function (event) {
  const elt = event.detail.elt;
  if (event.detail.successful && elt.matches && elt.matches("form[data-reset-on-success]")) {
    elt.reset();
  }
});
// a polled region marked data-pause-while-focused skips its refresh while the user works in
// it, so the swap never takes away the focus or a half-typed input.
document.addEventListener("htmx:beforeRequest", function (event) {
  const elt = event.detail.elt;
  if (elt.hasAttribute && elt.hasAttribute("data-pause-while-focused") && elt.contains(document.activeElement)) {
    event.preventDefault();
  }
});
