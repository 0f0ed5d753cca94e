/* Pilots on a Leaflet map (vendored, no CDN). Progressive enhancement: the page already lists
   every pilot; this only adds the map when Leaflet and the data load.

   #pilot-map attributes:
   - data-geojson-url: a GeoJSON FeatureCollection of pilots (the map page)
   - data-center-lat / data-center-lon: one pilot's place (the pilot page)
   - data-points: JSON list of {lat, lon, kind, text}: published feedback at places
   - data-pick-point="1": clicking the map fills #id_latitude / #id_longitude
   - data-tile-url: tile URL template for street detail; empty means the offline basemap
   - data-basemap-url: TopoJSON country outlines (Natural Earth via world-atlas), drawn with
     topojson-client when there are no tiles

   Pilots at the same place (or a few pixels apart at this zoom) are spread on a small circle,
   so each stays a marker of its own; markers are buttons reachable with Tab, Enter opens one. */
(function () {
  "use strict";

  // Strings come from Django's JavaScript catalogue (/i18n/js/, loaded by base.html).
  var gettext = window.gettext || function (value) { return value; };
  var STATUS_COLOURS = { planned: "#8a4b00", running: "#1e6b34", completed: "#0b5394", stopped: "#a4161a" };

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function drawBasemap(map, url) {
    if (!url || !window.topojson) { return; }
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 150; /* under tiles (200), vectors and markers */
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (topology) {
        window.L.geoJSON(window.topojson.feature(topology, topology.objects.countries), {
          pane: "basemap", interactive: false,
          attribution: "Natural Earth",
          style: { color: "#8b9aa6", weight: 1, fillColor: "#f6f3ea", fillOpacity: 1 }
        }).addTo(map);
      })
      .catch(function () { /* the grid background stays; nothing is lost */ });
  }

  function baseMap(element) {
    element.hidden = false;
    var map = window.L.map(element, { scrollWheelZoom: false, zoomControl: false });
    window.L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
    var tileUrl = element.getAttribute("data-tile-url");
    if (tileUrl) {
      window.L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: element.getAttribute("data-tile-attribution") || ""
      }).addTo(map);
    } else {
      drawBasemap(map, element.getAttribute("data-basemap-url"));
      var note = document.getElementById("map-note");
      if (note) { note.hidden = false; }
    }
    return map;
  }

  function pilotMarker(feature, latlng) {
    var props = feature.properties || {};
    var marker = window.L.marker(latlng, {
      keyboard: true,
      title: props.title || "",
      icon: window.L.divIcon({
        className: "pilot-marker pilot-marker-" + (STATUS_COLOURS[props.status] ? props.status : "other"),
        iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8], html: ""
      })
    });
    marker.on("add", function () {
      var icon = marker.getElement();
      if (!icon || icon.getAttribute("data-keys")) { return; }
      icon.setAttribute("data-keys", "1");
      icon.setAttribute("aria-label", props.title || "");
      icon.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          marker.openPopup();
        }
      });
    });
    return marker;
  }

  /* Markers whose places fall within a few pixels of each other at the current zoom (the same
     address, or two streets apart seen from far away) are spread on a small circle around
     their middle, with a dot at the middle; recomputed at each zoom. */
  var CLOSE_PIXELS = 16;

  function spreader(map, markers, element) {
    var dots = window.L.layerGroup().addTo(map);
    markers.forEach(function (marker) { marker.home = marker.getLatLng(); });
    function spread() {
      dots.clearLayers();
      var points = markers.map(function (marker) { return map.latLngToLayerPoint(marker.home); });
      var placed = markers.map(function () { return false; });
      var groups = 0;
      markers.forEach(function (marker, first) {
        if (placed[first]) { return; }
        var group = [];
        markers.forEach(function (other, index) {
          if (!placed[index] && points[index].distanceTo(points[first]) <= CLOSE_PIXELS) {
            placed[index] = true;
            group.push(index);
          }
        });
        if (group.length === 1) { marker.setLatLng(marker.home); return; }
        groups += 1;
        var centre = group.reduce(function (sum, index) { return sum.add(points[index]); }, window.L.point(0, 0))
          .divideBy(group.length);
        var radius = 12 + 3 * group.length;
        window.L.circleMarker(map.layerPointToLatLng(centre), {
          radius: 3, weight: 1, color: "#1d1d1f", fillColor: "#1d1d1f", fillOpacity: 1, interactive: false
        }).addTo(dots);
        group.forEach(function (index, slot) {
          var angle = 2 * Math.PI * slot / group.length - Math.PI / 2;
          markers[index].setLatLng(map.layerPointToLatLng(
            centre.add([radius * Math.cos(angle), radius * Math.sin(angle)])));
        });
      });
      element.setAttribute("data-spread-groups", String(groups));
    }
    map.on("zoomend viewreset", spread);
    return spread;
  }

  function pilotPopup(feature, labelOpen) {
    var props = feature.properties || {};
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    link.setAttribute("aria-label", labelOpen + ": " + props.title);
    box.appendChild(link);
    box.appendChild(text("p", [props.status_label, props.city, props.project].filter(Boolean).join(" · "), "meta"));
    return box;
  }

  function showPilots(element) {
    var map = baseMap(element);
    var labelOpen = element.getAttribute("data-label-open") || gettext("Open");
    map.setView([48.5, 11.5], 4);
    fetch(element.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        var markers = [];
        window.L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            var marker = pilotMarker(feature, latlng);
            markers.push(marker);
            return marker;
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(pilotPopup(feature, labelOpen));
            marker.bindTooltip(feature.properties.title);
          }
        }).addTo(map);
        var spread = spreader(map, markers, element);
        var legend = document.getElementById("map-legend");
        if (legend) { legend.hidden = false; }
        if (!element.getAttribute("data-tile-url")) {
          /* Without background tiles, name each city once so the dots have a context. */
          var seen = {};
          (collection.features || []).forEach(function (feature) {
            var city = feature.properties.city;
            if (!city || seen[city]) { return; }
            seen[city] = true;
            var coordinates = feature.geometry.coordinates;
            window.L.tooltip({ permanent: true, direction: "right", offset: [28, 0], className: "map-city-label" })
              .setLatLng([coordinates[1], coordinates[0]]).setContent(city).addTo(map);
          });
        }
        if (markers.length) {
          var bounds = window.L.latLngBounds(markers.map(function (marker) { return marker.home; }));
          map.fitBounds(bounds, { padding: [32, 32], maxZoom: 14 });
        }
        spread();
        element.setAttribute("data-ready", "1");
      })
      .catch(function () {
        element.hidden = true; /* the list below still has every pilot */
      });
  }

  function showPilot(element) {
    var lat = parseFloat(element.getAttribute("data-center-lat"));
    var lon = parseFloat(element.getAttribute("data-center-lon"));
    if (isNaN(lat) || isNaN(lon)) { return; }
    var map = baseMap(element);
    map.setView([lat, lon], 14);
    window.L.circleMarker([lat, lon], { radius: 10, color: "#ffffff", weight: 2, fillColor: "#073763", fillOpacity: 0.9 })
      .addTo(map).bindTooltip(element.getAttribute("data-label-pilot") || gettext("Pilot"));
    var points = [];
    try { points = JSON.parse(element.getAttribute("data-points") || "[]"); } catch (e) { points = []; }
    points.forEach(function (point) {
      var box = document.createElement("div");
      box.appendChild(text("strong", point.kind));
      box.appendChild(text("p", point.text));
      window.L.circleMarker([point.lat, point.lon], { radius: 6, color: "#1e6b34", fillOpacity: 0.7 })
        .addTo(map).bindPopup(box);
    });
    if (element.getAttribute("data-pick-point") === "1") {
      var latInput = document.getElementById("id_latitude");
      var lonInput = document.getElementById("id_longitude");
      var picked = null;
      map.on("click", function (event) {
        if (!latInput || !lonInput) { return; }
        latInput.value = event.latlng.lat.toFixed(6);
        lonInput.value = event.latlng.lng.toFixed(6);
        if (picked) { picked.setLatLng(event.latlng); } else {
          picked = window.L.marker(event.latlng, { keyboard: false }).addTo(map);
        }
      });
    }
  }

  function start() {
    var element = document.getElementById("pilot-map");
    if (!element || !window.L) { return; }
    var path = element.getAttribute("data-marker-path");
    if (path) { window.L.Icon.Default.imagePath = path; }
    else {
      var script = document.querySelector("script[src*='vendor/leaflet/leaflet.js']");
      if (script) { window.L.Icon.Default.imagePath = script.src.replace(/leaflet\.js.*$/, "images/"); }
    }
    if (element.hasAttribute("data-geojson-url")) { showPilots(element); } else { showPilot(element); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
