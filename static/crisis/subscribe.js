/* The subscription map: a click places the pin whose surroundings the citizen wants alerts for. */
(function () {
  "use strict";
  var configNode = document.getElementById("map-config");
  var element = document.getElementById("subscribe-map");
  if (!configNode || !element || typeof L === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([config.lat, config.long], config.zoom);
  if (window.CivicDeskMap) { window.CivicDeskMap.drawKnown(map, config, {}); }
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution || "" }).addTo(map);
  } else {
    element.classList.add("no-tiles");
    var note = document.getElementById("map-note");
    if (note) { note.hidden = false; }
  }
  var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
  var radius = document.getElementById("id_radius_km");
  var marker = null, circle = null;
  function draw() {
    if (!lat.value || !lon.value) { return; }
    var p = [parseFloat(lat.value), parseFloat(lon.value)];
    if (marker) { marker.setLatLng(p); } else { marker = L.marker(p).addTo(map); }
    var r = (parseFloat(radius.value) || 2) * 1000;
    if (circle) { circle.setLatLng(p); circle.setRadius(r); } else { circle = L.circle(p, { radius: r }).addTo(map); }
  }
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    draw();
  });
  radius.addEventListener("change", draw);
  draw();
})();
