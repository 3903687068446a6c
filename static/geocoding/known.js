/* What a map can draw without tiles: the agency's service area, its open reports, and (zoomed in)
   the address points around the view, from the agency's own data. Used by every Leaflet map of
   the portal: window.CivicDeskMap.drawKnown(map, config, { openReports: true }). */
(function () {
  "use strict";
  // A local gettext (the page's catalogue when it is loaded, else the English) under the name makemessages
  // extracts: strings behind an alias were never in the djangojs catalogues.
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  var POINTS_ZOOM = 17;

  function attribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  function drawKnown(map, config, options) {
    options = options || {};
    if (config.leafletImages) { L.Icon.Default.imagePath = config.leafletImages; }
    if (config.area) {
      L.geoJSON(config.area, {
        interactive: false,
        style: { color: "#0b5cad", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.04 }
      }).addTo(map);
    }
    if (options.openReports && config.openUrl) {
      getJSON(config.openUrl).then(function (data) {
        if (!data || !data.features) { return; }
        data.features.forEach(function (f) {
          var label = f.properties.reference + " · " + f.properties.category + " · " + f.properties.status_label;
          L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
            radius: 6, color: "#8a4b00", weight: 2, fillColor: "#f0a030", fillOpacity: 0.8
          }).bindTooltip(label).addTo(map);
        });
      });
    }
    if (!config.geocode || !config.geocode.nearby) { return; }
    var points = L.layerGroup().addTo(map);
    var pending = null;
    function refresh() {
      clearTimeout(pending);
      pending = setTimeout(function () {
        if (map.getZoom() < POINTS_ZOOM) { points.clearLayers(); return; }
        var centre = map.getCenter();
        var bounds = map.getBounds();
        var radius = Math.min(300, Math.max(50, centre.distanceTo(bounds.getNorthEast())));
        var url = config.geocode.nearby + "?lat=" + centre.lat.toFixed(6) + "&long=" + centre.lng.toFixed(6) +
          "&radius=" + Math.round(radius);
        getJSON(url).then(function (rows) {
          points.clearLayers();
          (rows || []).forEach(function (row) {
            L.circleMarker([row.lat, row.long], {
              radius: 4, color: "#555", weight: 1, fillColor: "#fff", fillOpacity: 1
            }).bindTooltip(row.address).addTo(points);
          });
        });
      }, 250);
    }
    map.on("moveend zoomend", refresh);
    refresh();
  }

  /* Every map of the portal opens the same way: the page's #map-config, the view it names, what drawKnown
     draws, and the tile server's tiles, or without one the blank grid and the page's #map-note. Returns
     { map, config }, or null without a config, an element or Leaflet (the page's fields still work). */
  function open(element, options) {
    var configNode = document.getElementById("map-config");
    if (!configNode || !element || typeof L === "undefined") { return null; }
    options = options || {};
    var config = JSON.parse(configNode.textContent);
    var map = L.map(element, { scrollWheelZoom: !!options.scrollWheelZoom, zoomControl: false })
      .setView([config.lat, config.long], config.zoom);
    // Leaflet's own words (the zoom buttons' names, its link's title) in the page's language.
    L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
    var prefix = map.attributionControl && map.attributionControl.options.prefix;
    if (typeof prefix === "string") {
      map.attributionControl.setPrefix(prefix.replace("A JavaScript library for interactive maps",
        attribute(gettext("A JavaScript library for interactive maps"))));
    }
    drawKnown(map, config, { openReports: !!options.openReports });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution || "" }).addTo(map);
    } else {
      element.classList.add("no-tiles");
      var note = document.getElementById("map-note");
      if (note) { note.hidden = false; }
    }
    return { map: map, config: config };
  }

  window.CivicDeskMap = { drawKnown: drawKnown, open: open, POINTS_ZOOM: POINTS_ZOOM, t: gettext };
})();
