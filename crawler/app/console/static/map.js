// The console's map: Libya's outline, optional tiles, one marker per incident (clustered when dense).
// Loaded as a file (the Content-Security-Policy allows no inline script); reads its settings
// from the #map element's data- attributes.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("map");
    if (!element || !window.L) { return; }
    var data = element.dataset;
    var map = L.map(element, { minZoom: 4, maxZoom: 18 }).setView([27.0, 17.0], 5);
    map.attributionControl.setPrefix(false);
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
    }
    fetch(data.outline).then(function (r) { return r.json(); }).then(function (outline) {
      L.geoJSON(outline, { interactive: false, style: { color: "#34495e", weight: 1.5, fillColor: "#f4f1e8", fillOpacity: data.tiles ? 0.15 : 0.9 } })
        .addTo(map).bringToBack();
      map.attributionControl.addAttribution(data.outlineCredit);
    });
    fetch(data.points, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (found) {
      var cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
      var bounds = [];
      found.points.forEach(function (p) {
        var type = found.types[p[2]] || "none";
        var size = Math.round(14 + Math.min(26, Math.sqrt(p[3]) * 5));
        var icon = L.divIcon({ className: "incident-marker t-" + type, iconSize: [size, size] });
        var marker = L.marker([p[0], p[1]], { icon: icon, title: (found.places[p[6]] || "") + " " + p[5], keyboard: true });
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = data.incident + encodeURIComponent(p[4]);
        link.textContent = (found.places[p[6]] || "?") + " — " + (found.labels[type] || type);
        var line = document.createElement("div");
        line.textContent = p[5] + " · " + p[3];
        popup.appendChild(link);
        popup.appendChild(line);
        marker.bindPopup(popup);
        marker.incidentId = p[4];
        cluster.addLayer(marker);
        bounds.push([p[0], p[1]]);
      });
      map.addLayer(cluster);
      if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 5 }); }
      var count = document.getElementById("marker-count");
      if (count) { count.textContent = String(found.points.length); }
      element.dataset.loaded = String(found.points.length);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
