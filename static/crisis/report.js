/* The live delivery report: counts re-read every 2 s until nothing is queued or being sent. */
(function () {
  "use strict";
  var section = document.getElementById("delivery-report");
  if (!section) { return; }
  // A local gettext (the page's catalogue when it is loaded, else the English) under the name makemessages
  // extracts: strings behind an alias were never in the djangojs catalogues.
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  function cell(tag, text) { var c = document.createElement(tag); c.textContent = text; return c; }
  function render(data) {
    document.getElementById("report-progress").value = data.percent;
    document.getElementById("report-progress").textContent = data.percent + "%";
    document.getElementById("report-percent").textContent = data.percent;
    document.getElementById("report-total").textContent = data.total;
    var status = document.getElementById("alert-status");
    if (status && data.status_display) { status.textContent = data.status_display; }
    var rows = document.getElementById("report-rows");
    if (data.channels.length) {
      rows.textContent = "";
      data.channels.forEach(function (c) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("th", c.channel_label)).setAttribute("scope", "row");
        ["queued", "sending", "sent", "delivered", "failed", "skipped"].forEach(function (k) { tr.appendChild(cell("td", c[k])); });
        rows.appendChild(tr);
      });
    }
    var skipped = document.getElementById("report-skipped");
    if (skipped) {
      skipped.textContent = "";
      data.channels.forEach(function (c) {
        (c.skipped_reasons || []).forEach(function (r) { skipped.appendChild(cell("li", c.channel_label + " · " + r.label + ": " + r.n)); });
      });
      if (!skipped.childNodes.length) { skipped.appendChild(cell("li", gettext("None."))); }
    }
    var failures = document.getElementById("report-failures");
    failures.textContent = "";
    if (!data.failures.length) { failures.appendChild(cell("li", gettext("None."))); }
    data.failures.forEach(function (f) {
      failures.appendChild(cell("li", f.channel_label + " · " + f.subscription__address + " · " + (f.reason ? f.reason + " " : "") + f.error + (f.permanent ? " (" + gettext("permanent") + ")" : "")));
    });
    return data.channels.some(function (c) { return c.queued + c.sending > 0; }) || data.status === "sending";
  }
  function poll() {
    fetch(section.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && render(data)) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
