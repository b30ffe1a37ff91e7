/*
 * LoopGPT status banner: the current incident or maintenance of the status page it is served from,
 * at the top of the page that includes it, with a link to the details; nothing when all is well.
 *   <script src="https://status.loopgpt.ai/embed/banner.js" async></script>
 * Works under a strict Content-Security-Policy: allow the status page's origin in script-src and
 * connect-src; it adds no inline script or style attribute (styles are set through the DOM) and
 * writes names as text, never as HTML. Checks again every minute.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) {
    return;
  }
  var origin = new URL(script.src).origin;
  var ID = "loopgpt-status-banner";
  var COLORS = {minor: "#8a6d00", major: "#c43e00", critical: "#b71c1c", maintenance: "#1565c0"};

  function show(summary) {
    var old = document.getElementById(ID);
    if (old) {
      old.parentNode.removeChild(old);
    }
    var incident = (summary.incidents || [])[0];
    var maintenance = (summary.scheduled_maintenances || []).filter(function (m) {
      return m.status === "in_progress" || m.status === "verifying";
    })[0];
    var item = incident || maintenance;
    if (!item) {
      return;
    }
    var bar = document.createElement("div");
    bar.id = ID;
    bar.setAttribute("role", "status");
    var s = bar.style;
    s.background = incident ? (COLORS[item.impact] || COLORS.major) : COLORS.maintenance;
    s.color = "#fff";
    s.padding = "8px 12px";
    s.font = "14px/1.4 system-ui, sans-serif";
    s.textAlign = "center";
    s.overflowWrap = "anywhere";
    var text = document.createElement("span");
    text.textContent = (incident ? "" : "Maintenance: ") + item.name + " \u2014 ";
    var link = document.createElement("a");
    link.href = origin + "/incidents/" + encodeURIComponent(item.id);
    link.textContent = "status page";
    link.style.color = "#fff";
    link.style.textDecoration = "underline";
    bar.appendChild(text);
    bar.appendChild(link);
    document.body.insertBefore(bar, document.body.firstChild);
  }

  function check() {
    // Revalidated each time (a 304 while nothing changed), so a resolved incident leaves at once.
    fetch(origin + "/api/v2/summary.json", {credentials: "omit", cache: "no-cache"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (summary) { if (summary) { show(summary); } })
      .catch(function () { /* The status page cannot be reached: show nothing rather than guess. */ });
  }

  if (document.body) {
    check();
  } else {
    document.addEventListener("DOMContentLoaded", check);
  }
  setInterval(check, 60000);
})();
