// Whistlestop's dashboard script. The pages work without it; with it they stay live: every event
// on the page's server-sent event stream makes it fetch the page again and swap in the parts
// marked data-live, and times are shown in the viewer's own zone too.
(function () {
  "use strict";
  var body = document.body;
  var configZone = body.getAttribute("data-timezone") || "";
  var viewerZone = "";
  try {
    viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    viewerZone = "";
  }
  var localFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" });

  /** Adds the viewer's own time after each <time datetime> when the viewer is not in the config's zone. */
  function localTimes(root) {
    root.querySelectorAll("[data-viewer-zone]").forEach(function (el) {
      el.textContent = viewerZone || "unknown";
    });
    if (!viewerZone || viewerZone === configZone) return;
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (isNaN(at.getTime())) return;
      el.setAttribute("data-local", "1");
      var span = document.createElement("span");
      span.className = "local-time";
      span.textContent = " (" + localFormat.format(at) + " your time)";
      el.insertAdjacentElement("afterend", span);
    });
  }

  localTimes(document);
  var stream = body.getAttribute("data-stream");
  var status = document.getElementById("live-status");
  if (!stream || !window.EventSource || !window.fetch || !window.DOMParser) return;

  var timer = null;
  var running = false;
  var again = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  /** The position of the focused element among the focusable ones of a region, to restore it after a swap. */
  function focusIndex(region) {
    var active = document.activeElement;
    if (!active || !region.contains(active)) return -1;
    return Array.prototype.indexOf.call(region.querySelectorAll("a, button, input, select, textarea"), active);
  }

  function swap(fresh) {
    document.querySelectorAll("[data-live][id]").forEach(function (old) {
      var next = fresh.getElementById(old.id);
      if (!next) return;
      var typing = old.querySelector("input:not([type=hidden]):focus, textarea:focus, select:focus");
      if (typing) return;
      var index = focusIndex(old);
      old.replaceWith(next);
      localTimes(next);
      if (index >= 0) {
        var focusable = next.querySelectorAll("a, button, input, select, textarea");
        if (focusable[index]) focusable[index].focus();
      }
    });
  }

  function refresh() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Whistlestop-Live": "1" }, redirect: "manual" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (text) {
        swap(new DOMParser().parseFromString(text, "text/html"));
        say("Live: updated " + new Date().toLocaleTimeString());
      })
      .catch(function () {
        say("Live updates paused: reload the page.");
      })
      .then(function () {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  function schedule() {
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      refresh();
    }, 150);
  }

  var source = new EventSource(stream);
  var names = ["deploy", "tick", "snapshot", "awaiting_approval", "queued", "waiting", "started", "progress", "succeeded", "failed", "cancelled", "superseded", "verifying"];
  names.forEach(function (name) {
    source.addEventListener(name, schedule);
  });
  source.addEventListener("end", function () {
    source.close();
    schedule();
  });
  source.onopen = function () {
    body.setAttribute("data-live-connected", "true");
  };
  source.onerror = function () {
    if (source.readyState === 2) say("Live updates stopped: reload the page.");
  };
})();
