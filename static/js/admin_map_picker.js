/* Admin forms: a map under the latitude/longitude inputs. Clicking it fills both inputs; typing
   in them moves the marker. Without JavaScript (or Leaflet) the number inputs work as before.
   The latitude input carries data-map-picker (the id of the longitude input), data-map-label,
   data-tile-url and data-tile-attribution (no tile URL: no background, the click still works). */
(function () {
  "use strict";

  function attach(latInput) {
    var lonInput = document.getElementById(latInput.getAttribute("data-map-picker"));
    if (!lonInput || !window.L) { return; }
    var row = lonInput.closest(".form-row") || lonInput.parentNode;
    var box = document.createElement("div");
    box.className = "admin-map-picker";
    var help = document.createElement("p");
    help.className = "help";
    help.id = latInput.id + "_map_help";
    help.textContent = latInput.getAttribute("data-map-label") || "";
    var element = document.createElement("div");
    element.className = "admin-map";
    element.setAttribute("role", "application");
    element.setAttribute("aria-describedby", help.id);
    element.setAttribute("aria-label", help.textContent);
    box.appendChild(help);
    box.appendChild(element);
    row.parentNode.insertBefore(box, row.nextSibling);

    var script = document.querySelector("script[src*='vendor/leaflet/leaflet.js']");
    if (script) { window.L.Icon.Default.imagePath = script.src.replace(/leaflet\.js.*$/, "images/"); }
    var map = window.L.map(element, { scrollWheelZoom: false });
    var tileUrl = latInput.getAttribute("data-tile-url");
    if (tileUrl) {
      window.L.tileLayer(tileUrl, { maxZoom: 19, attribution: latInput.getAttribute("data-tile-attribution") || "" }).addTo(map);
    }
    var marker = null;
    function current() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      return (isNaN(lat) || isNaN(lon)) ? null : window.L.latLng(lat, lon);
    }
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); }
      else { marker = window.L.marker(latlng, { keyboard: false, alt: help.textContent }).addTo(map); }
    }
    var start = current();
    if (start) { map.setView(start, 14); place(start); } else { map.setView([47.5, 12.5], 4); }
    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(6);
      lonInput.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var point = current();
        if (point) { place(point); map.panTo(point); }
      });
    });
  }

  function start() {
    document.querySelectorAll("input[data-map-picker]").forEach(attach);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
