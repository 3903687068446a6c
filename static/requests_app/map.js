/* Maps of the public open-reports page and the staff queue/detail (Leaflet, vendored).
   Tiles come from the MAP_TILE_URL setting; without one the map shows markers on a blank grid. */
(function () {
  "use strict";
  var configNode = document.getElementById("map-config");
  if (!configNode || typeof L === "undefined" || !window.CivicDeskMap) { return; }
  var config = JSON.parse(configNode.textContent);

  function makeMap(element) {
    return window.CivicDeskMap.open(element).map;
  }

  function addMarkers(map, markers) {
    var points = [];
    markers.forEach(function (m) {
      if (m.lat === null || m.long === null) { return; }
      var marker = L.marker([m.lat, m.long], { title: m.label, alt: m.label }).addTo(map);
      var popup = document.createElement("div");
      if (m.url) {
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = m.label;
        popup.appendChild(link);
      } else {
        popup.textContent = m.label;
      }
      marker.bindPopup(popup);
      points.push([m.lat, m.long]);
    });
    if (points.length === 1) { map.setView(points[0], Math.max(config.zoom, 16)); }
    else if (points.length > 1) { map.fitBounds(points, { padding: [24, 24], maxZoom: 17 }); }
  }

  var publicMap = document.getElementById("public-map");
  if (publicMap) {
    var map = makeMap(publicMap);
    fetch(publicMap.dataset.openUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (data) {
        addMarkers(map, data.features.map(function (f) {
          return {
            lat: f.geometry.coordinates[1], long: f.geometry.coordinates[0],
            label: f.properties.reference + " · " + f.properties.category + " · " + f.properties.status_label,
            url: f.properties.url
          };
        }));
      });
  }

  var staffMap = document.getElementById("staff-map");
  var markersNode = document.getElementById("map-markers");
  if (staffMap && markersNode) {
    addMarkers(makeMap(staffMap), JSON.parse(markersNode.textContent));
  }
})();
