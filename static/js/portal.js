// Small behaviour that the CSP allows: no inline script anywhere.
// After an htmx swap, move focus to the swapped-in content's first field or its heading,
// and announce failed requests in the live region.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var focusable = target.querySelector("[autofocus], [aria-invalid='true'], #error-summary");
    if (focusable) { focusable.focus(); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("messages");
    if (!region) return;
    var message = document.documentElement.lang === "de"
      ? "Die Aktion konnte nicht ausgeführt werden. Bitte laden Sie die Seite neu."
      : "The action could not be completed. Please reload the page.";
    var alert = document.createElement("div");
    alert.className = "kern-alert kern-alert--danger";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    region.replaceChildren(alert);
  });
})();
