/* Drawing an agency's jurisdiction area on the staff map: each click adds a corner; the outline is kept in
   the hidden "drawn" field as a GeoJSON Polygon ([long, lat] positions, the ring closed) once it has three
   corners. The server validates it again (frontdoor.services.drawn_area_parse). */
(function () {
  "use strict";
  var opened = window.CivicDeskMap && window.CivicDeskMap.open(document.getElementById("area-map"));
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
  var map = opened.map, config = opened.config;
  if (config.area) {
    try {
      var bounds = L.geoJSON(config.area).getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16] }); }
    } catch (_e) { /* an area the map cannot read: the default view stays */ }
  }
  var field = document.querySelector("#area-form input[name=drawn]");
  var status = document.getElementById("area-status");
  var layer = L.layerGroup().addTo(map);
  var corners = []; // [lat, long], as Leaflet draws them

  function geojson() {
    var ring = corners.map(function (p) { return [p[1], p[0]]; });
    ring.push(ring[0]);
    return { type: "Polygon", coordinates: [ring] };
  }
  function draw() {
    layer.clearLayers();
    if (corners.length >= 2) { L.polygon(corners, { color: "#b00020" }).addTo(layer); }
    corners.forEach(function (p) { L.circleMarker(p, { radius: 4, color: "#b00020" }).addTo(layer); });
    field.value = corners.length >= 3 ? JSON.stringify(geojson()) : "";
    if (!corners.length) { status.textContent = ""; }
    else if (corners.length < 3) { status.textContent = interpolate(ngettext("%s corner: add at least three", "%s corners: add at least three", corners.length), [corners.length]); }
    else { status.textContent = interpolate(ngettext("%s corner drawn", "%s corners drawn", corners.length), [corners.length]); }
  }
  map.on("click", function (event) {
    corners.push([Math.round(event.latlng.lat * 1e6) / 1e6, Math.round(event.latlng.lng * 1e6) / 1e6]);
    draw();
  });
  document.getElementById("area-undo").addEventListener("click", function () { corners.pop(); draw(); });
  document.getElementById("area-clear").addEventListener("click", function () { corners = []; draw(); });
  draw();
})();
