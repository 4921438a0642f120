/* "Near me" on the points list and at checkout: with the visitor's permission, the browser's position sorts the
 * points by distance (haversine, computed here) and shows "2,3 km" beside each. The position never leaves the
 * browser. Without JavaScript or permission the points stay grouped by town; a second press goes back to that.
 */
(function () {
  "use strict";

  var EARTH_KM = 6371.0088;

  function radians(degrees) { return degrees * Math.PI / 180; }

  function haversineKm(lat1, lng1, lat2, lng2) {
    var dLat = radians(lat2 - lat1), dLng = radians(lng2 - lng1);
    var a = Math.pow(Math.sin(dLat / 2), 2) +
            Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.pow(Math.sin(dLng / 2), 2);
    return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function setUp(list) {
    var tools = list.querySelector("[data-near-me]");
    if (!tools || !navigator.geolocation) return;
    var button = tools.querySelector("[data-near-me-button]");
    var status = tools.querySelector("[data-near-me-status]");
    var groups = list.querySelectorAll("[data-town-group]");
    var rows = Array.prototype.slice.call(list.querySelectorAll("[data-town-group] .point-row"));
    var homes = rows.map(function (row) { return {row: row, parent: row.parentNode}; });
    var nearLabel = button.textContent, flat = null;
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                       {minimumFractionDigits: 1, maximumFractionDigits: 1});
    tools.hidden = false;

    function byTown() {
      homes.forEach(function (home) {
        home.parent.appendChild(home.row);
        home.row.querySelector("[data-distance]").textContent = "";
      });
      if (flat) flat.hidden = true;
      for (var g = 0; g < groups.length; g++) groups[g].hidden = false;
      list.classList.remove("by-distance");
      button.textContent = nearLabel;
      button.setAttribute("aria-pressed", "false");
      status.textContent = "";
    }

    function byDistance(position) {
      var here = position.coords;
      var measured = rows.map(function (row) {
        var km = haversineKm(here.latitude, here.longitude,
                             parseFloat(row.getAttribute("data-lat")), parseFloat(row.getAttribute("data-lng")));
        row.querySelector("[data-distance]").textContent = format.format(km) + " km";
        return {row: row, km: km};
      });
      measured.sort(function (a, b) { return a.km - b.km; });
      if (!flat) {
        flat = document.createElement("ul");
        flat.className = "point-rows points-by-distance";
        list.appendChild(flat);
      }
      measured.forEach(function (m) { flat.appendChild(m.row); });
      flat.hidden = false;
      for (var g = 0; g < groups.length; g++) groups[g].hidden = true;
      list.classList.add("by-distance");
      button.textContent = button.getAttribute("data-by-town");
      button.setAttribute("aria-pressed", "true");
      status.textContent = status.getAttribute("data-sorted");
    }

    button.addEventListener("click", function () {
      if (list.classList.contains("by-distance")) { byTown(); return; }
      status.textContent = status.getAttribute("data-asking");
      navigator.geolocation.getCurrentPosition(byDistance, function () {
        status.textContent = status.getAttribute("data-refused");
      }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 600000});
    });
  }

  var lists = document.querySelectorAll("[data-points]");
  for (var i = 0; i < lists.length; i++) setUp(lists[i]);
})();
