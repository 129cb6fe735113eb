// Small behaviour that the CSP allows: no inline script anywhere. Every page works without it.
// - A page that reports a problem (error summary, alert) moves focus there, so that screen
//   readers read it first; the summary's links move focus to their field.
// - After an htmx swap, focus lands on the problem in the new content, or, when the swap
//   removed the focused element, on the new content itself (never back at the top of the page);
//   a part that asks again by itself (data-poll) leaves the focus alone.
// - A failed htmx request is announced in the live region #messages.
// - A table too wide for the screen gets a hint above it ("more columns: scroll sideways") and
//   its scrolling box becomes a named, focusable region, so arrow keys scroll it too.
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function focus(element) {
    if (!element.matches(FOCUSABLE)) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  function first(root, selector) {
    return root.matches(selector) ? root : root.querySelector(selector);
  }

  function focusProblemOnLoad() {
    var problem = document.getElementById("error-summary") ||
      document.querySelector("main [role='alert']");
    if (problem) focus(problem);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusProblemOnLoad);
  } else {
    focusProblemOnLoad();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + CSS.escape(field.id) + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // htmx dispatches afterSwap on the new content (for outerHTML swaps event.detail.target is the
  // element that was replaced and is no longer in the document).
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    if (!(root instanceof Element) || !root.isConnected) return;
    // Parts swapped out of band (data-oob: e.g. a heading's count) never take the focus, nor
    // does what a part that asks again by itself (data-poll: figures being counted) brings.
    if (root.hasAttribute("data-oob")) return;
    var asking = event.detail && event.detail.elt;
    if (asking instanceof Element && asking.hasAttribute("data-poll")) return;
    var problem = first(root, "#error-summary") || first(root, "[aria-invalid='true']");
    if (problem) {
      focus(problem);
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    focus(first(root, "[autofocus]") || first(root, "h1, h2, h3") || root);
  });

  function announceFailure() {
    var region = document.getElementById("messages");
    if (!region) return;
    var message = document.documentElement.lang === "de"
      ? "Die Aktion konnte nicht ausgeführt werden. Bitte laden Sie die Seite neu."
      : "The action could not be completed. Please reload the page.";
    var alert = document.createElement("div");
    alert.className = "kern-alert kern-alert--danger";
    alert.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.className = "kern-body";
    text.textContent = message;
    alert.appendChild(text);
    region.replaceChildren(alert);
  }

  function markWideTables(root) {
    var german = document.documentElement.lang === "de";
    root.querySelectorAll(".kern-table-responsive").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling;
      var hinted = hint && hint.classList.contains("table-scroll-hint");
      box.classList.toggle("is-scrollable", wide);
      if (wide && !hinted) {
        hint = document.createElement("p");
        hint.className = "kern-body table-scroll-hint";
        hint.id = "table-hint-" + Math.random().toString(36).slice(2);
        hint.textContent = german
          ? "Weitere Spalten: seitlich wischen oder scrollen →"
          : "More columns: swipe or scroll sideways →";
        box.parentNode.insertBefore(hint, box);
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-labelledby") && !box.hasAttribute("aria-label")) {
          box.setAttribute("aria-labelledby", hint.id);
        }
      } else if (!wide && hinted) {
        hint.remove();
      }
    });
  }

  function markAll() { markWideTables(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markAll);
  } else {
    markAll();
  }
  window.addEventListener("resize", markAll);
  document.addEventListener("htmx:afterSettle", markAll);

  document.addEventListener("htmx:responseError", announceFailure);
  document.addEventListener("htmx:sendError", announceFailure);
})();
