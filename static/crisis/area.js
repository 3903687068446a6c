/* Drawing an alert's area on the map: with "Polygon" chosen each click adds a corner; with "Circle" a click
   places the centre (radius from its field). The fields stay typeable, so the map is never required. */
(function () {
  "use strict";
  var opened = window.CivicDeskMap && window.CivicDeskMap.open(document.getElementById("alert-map"));
  if (!opened) { return; }
  // A local gettext (the page's catalogue when it is loaded, else the English) under the name makemessages
  // extracts: strings behind an alias were never in the djangojs catalogues.
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  function ngettext(one, many, n) {
    return typeof window.ngettext === "function" ? window.ngettext(one, many, n) : (n === 1 ? one : many);
  }
  function interpolate(fmt, args) {
    return typeof window.interpolate === "function" ? window.interpolate(fmt, args) : fmt.replace("%s", args[0]);
  }
  var map = opened.map;
  var form = document.getElementById("alert-form");
  var areaField = form.querySelector("input[name=area]");
  var lat = document.getElementById("id_circle_lat");
  var lon = document.getElementById("id_circle_lon");
  var radius = document.getElementById("id_circle_radius_km");
  var status = document.getElementById("area-status");
  var layer = L.layerGroup().addTo(map);
  var points = [];
  try { points = JSON.parse(areaField.value || "[]") || []; } catch (_e) { points = []; }

  function kind() {
    var checked = form.querySelector("input[name=area_kind]:checked");
    return checked ? checked.value : "whole";
  }
  function draw() {
    layer.clearLayers();
    if (kind() === "polygon" && points.length) {
      L.polygon(points, { color: "#b00020" }).addTo(layer);
      points.forEach(function (p) { L.circleMarker(p, { radius: 4, color: "#b00020" }).addTo(layer); });
      status.textContent = interpolate(ngettext("%s corner", "%s corners", points.length), [points.length]);
    } else if (kind() === "circle" && lat.value && lon.value && radius.value) {
      L.circle([parseFloat(lat.value), parseFloat(lon.value)], { radius: parseFloat(radius.value) * 1000, color: "#b00020" }).addTo(layer);
      status.textContent = gettext("Circle drawn");
    } else {
      status.textContent = kind() === "whole" ? gettext("Whole jurisdiction") : "";
    }
    areaField.value = JSON.stringify(points);
  }
  map.on("click", function (event) {
    var p = [Math.round(event.latlng.lat * 1e6) / 1e6, Math.round(event.latlng.lng * 1e6) / 1e6];
    if (kind() === "polygon") { points.push(p); }
    else if (kind() === "circle") {
      lat.value = p[0]; lon.value = p[1];
      if (!radius.value) { radius.value = "2"; }
    }
    draw();
  });
  document.getElementById("area-clear").addEventListener("click", function () {
    points = []; lat.value = ""; lon.value = ""; draw();
  });
  form.addEventListener("change", draw);
  draw();
})();
