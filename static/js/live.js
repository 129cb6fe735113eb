// Live updates (portal/live.py): a region with data-live (the URL that renders it again, with
// the page's filter) and data-live-stream (its server-sent events) is fetched again when the
// server says something changed. Focus, open menus and scroll positions are kept; while the
// user types in a field of the region, the update waits until they leave it.
(function () {
  "use strict";
  var timer = null;

  function regions() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-live][id]"));
  }

  function busy(region) {
    var active = document.activeElement;
    return active && region.contains(active) &&
      (active.tagName === "TEXTAREA" || active.tagName === "SELECT" ||
       (active.tagName === "INPUT" && active.type !== "submit"));
  }

  function refresh(region) {
    var focusedId = document.activeElement && region.contains(document.activeElement)
      ? document.activeElement.id : "";
    var open = Array.prototype.slice.call(region.querySelectorAll("details[open][id]"))
      .map(function (d) { return d.id; });
    var scrolls = Array.prototype.slice.call(region.querySelectorAll("[data-scroll-key]"))
      .map(function (el) { return [el.getAttribute("data-scroll-key"), el.scrollLeft, el.scrollTop]; });
    var ownScroll = [region.scrollLeft, region.scrollTop];
    var x = window.scrollX, y = window.scrollY;
    var context = { target: "#" + region.id, swap: "outerHTML" };
    if (region.getAttribute("data-live-select")) {
      context.select = region.getAttribute("data-live-select");
    }
    htmx.ajax("GET", region.getAttribute("data-live"), context).then(function () {
      var fresh = document.getElementById(region.id);
      if (!fresh) { return; }
      open.forEach(function (id) {
        var d = document.getElementById(id);
        if (d) { d.open = true; }
      });
      scrolls.forEach(function (s) {
        var el = fresh.querySelector('[data-scroll-key="' + s[0] + '"]');
        if (el) { el.scrollLeft = s[1]; el.scrollTop = s[2]; }
      });
      fresh.scrollLeft = ownScroll[0];
      fresh.scrollTop = ownScroll[1];
      window.scrollTo(x, y);
      if (focusedId) {
        var again = document.getElementById(focusedId);
        if (again && document.activeElement !== again) { again.focus({ preventScroll: true }); }
      }
    });
  }

  function update() {
    regions().forEach(function (region) {
      if (busy(region)) {
        region.addEventListener("focusout", later, { once: true });
      } else {
        refresh(region);
      }
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  }

  function connect() {
    var source = document.querySelector("[data-live-stream]");
    if (!source || !window.EventSource || !window.htmx) { return; }
    var events = new EventSource(source.getAttribute("data-live-stream"));
    events.addEventListener("placement", later);
    // For the tests (and a curious reader of the DOM): whether the stream is open.
    events.addEventListener("open", function () { source.ownerDocument.body.dataset.live = "open"; });
    events.addEventListener("error", function () { document.body.dataset.live = "closed"; });
    window.addEventListener("pagehide", function () { events.close(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
