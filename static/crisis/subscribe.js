/* The subscription map: a click places the pin whose surroundings the citizen wants alerts for. */
(function () {
  "use strict";
  var opened = window.CivicDeskMap && window.CivicDeskMap.open(document.getElementById("subscribe-map"));
  if (!opened) { return; }
  var map = opened.map;
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
