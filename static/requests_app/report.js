/* The report form: place a pin (click, drag, or "use my location"), keep the coordinate fields in
   step, and warn about open reports of the same kind nearby before the citizen sends the form.
   Without JavaScript or tiles the form still works through the address and coordinate fields. */
(function () {
  "use strict";
  // A local gettext (the page's catalogue when it is loaded, else the English) under the name makemessages
  // extracts: strings behind an alias were never in the djangojs catalogues.
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  var element = document.getElementById("report-map");
  var latInput = document.getElementById("id_lat");
  var longInput = document.getElementById("id_long");
  var nearbyBox = document.getElementById("nearby");
  var opened = window.CivicDeskMap && window.CivicDeskMap.open(element, { scrollWheelZoom: true, openReports: true });
  if (!opened) { return; }
  var map = opened.map, config = opened.config;
  var addressInput = document.getElementById("id_address");
  var addressStatus = document.getElementById("address-status");
  var geocode = config.geocode || {};
  // The address field is ours to fill while the citizen has not typed in it.
  var addressIsOurs = addressInput && !addressInput.value;
  var marker = null;

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function say(text) { if (addressStatus) { addressStatus.textContent = text; } }

  function nearestAddress(lat, lng) {
    if (!geocode.reverse || !addressInput) { return; }
    fetch(geocode.reverse + "?lat=" + lat.toFixed(6) + "&long=" + lng.toFixed(6), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) { if (addressIsOurs) { addressInput.value = ""; } say(""); return; }
        if (addressIsOurs) {
          addressInput.value = found.address;
          say(interpolate(gettext("Nearest address: %s"), [found.address]));
        }
      })
      .catch(function () { /* the pin alone is enough */ });
  }

  function place(lat, lng, pan, keepAddress) {
    if (marker === null) {
      marker = L.marker([lat, lng], { draggable: true, keyboard: true, title: gettext("Problem location"), alt: gettext("Problem location") }).addTo(map);
      marker.on("dragend", function () {
        var p = marker.getLatLng();
        place(p.lat, p.lng, false, false);
      });
    } else {
      marker.setLatLng([lat, lng]);
    }
    latInput.value = round(lat);
    longInput.value = round(lng);
    if (pan) { map.setView([lat, lng], Math.max(map.getZoom(), 17)); }
    if (!keepAddress) { nearestAddress(lat, lng); }
    checkNearby();
  }

  function findAddress() {
    var text = addressInput.value.trim();
    addressIsOurs = !text;
    if (!text || !geocode.search) { return; }
    var zip = document.getElementById("id_zipcode");
    var query = zip && zip.value.trim() ? text + ", " + zip.value.trim() : text;
    fetch(geocode.search + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) { say(gettext("This address is not in the agency's address list; place the pin if you can.")); return; }
        place(found.lat, found.long, true, true);
        say(interpolate(found.exact ? gettext("Pin placed at %s.") : gettext("Pin placed near %s (between the nearest house numbers)."), [found.address]));
      })
      .catch(function () { /* typing the address is enough */ });
  }
  if (addressInput) {
    addressInput.addEventListener("change", findAddress);
    addressInput.addEventListener("input", function () { addressIsOurs = !addressInput.value; });
  }

  map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng, false); });

  function fromInputs() {
    var lat = parseFloat(latInput.value), lng = parseFloat(longInput.value);
    if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) { place(lat, lng, true); }
  }
  latInput.addEventListener("change", fromInputs);
  longInput.addEventListener("change", fromInputs);
  if (latInput.value && longInput.value) { fromInputs(); }
  else if (addressInput && addressInput.value) { findAddress(); }

  var locate = document.getElementById("locate-me");
  var locateStatus = document.getElementById("locate-status");
  if (!("geolocation" in navigator)) { locate.hidden = true; }
  locate.addEventListener("click", function () {
    locateStatus.textContent = gettext("Finding your location…");
    navigator.geolocation.getCurrentPosition(function (position) {
      locateStatus.textContent = gettext("Pin placed at your location.");
      place(position.coords.latitude, position.coords.longitude, true);
    }, function () {
      locateStatus.textContent = gettext("Your location is not available; place the pin or type the address.");
    }, { enableHighAccuracy: true, timeout: 10000 });
  });

  var pending = null;
  function checkNearby() {
    if (!nearbyBox || !element.dataset.nearbyUrl) { return; }
    clearTimeout(pending);
    pending = setTimeout(function () {
      var url = element.dataset.nearbyUrl + "?service_code=" + encodeURIComponent(element.dataset.serviceCode) +
        "&lat=" + encodeURIComponent(latInput.value) + "&long=" + encodeURIComponent(longInput.value);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(render)
        .catch(function () { render([]); });
    }, 300);
  }

  function render(items) {
    nearbyBox.textContent = "";
    if (!items.length) { return; }
    var heading = document.createElement("p");
    heading.innerHTML = "<strong></strong>";
    heading.firstChild.textContent = gettext("Already reported nearby:");
    nearbyBox.appendChild(heading);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.reference;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" · " + item.status_label + " · " +
        interpolate(gettext("%s m away"), [item.distance_m])));
      list.appendChild(li);
    });
    nearbyBox.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = gettext("If it is the same problem, you can follow that report instead of sending a new one.");
    nearbyBox.appendChild(hint);
  }

  function interpolate(fmt, args) {
    return typeof window.interpolate === "function" ? window.interpolate(fmt, args) : fmt.replace("%s", args[0]);
  }
})();
