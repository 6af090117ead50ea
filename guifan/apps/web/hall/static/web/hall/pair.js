// Device pairing: a pairing link carries the token after "#" (never sent to the server in the
// URL); fill the field from it and drop it from the address bar.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const field = document.getElementById("token");
    const hash = window.location.hash.slice(1);
    if (field && hash.indexOf("gd_") === 0) {
      field.value = decodeURIComponent(hash);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  });
})();
