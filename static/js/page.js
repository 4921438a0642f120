/* Small touches shared by every page, kept out of the HTML so the Content-Security-Policy allows no inline script.
 *
 * - Wide screens have room for the catalogue filters: show them open (phones keep them folded).
 * - A button marked data-print prints the page (the desk's cash report, the producer's parcel label).
 * - A button marked data-copy copies its value (account number, amount, transfer note) for a banking app,
 *   and says so in its own live region.
 * - A section marked data-watch-status (the order page waiting for a transfer) asks the server now and then
 *   whether the order's status changed, and reloads the page when it did.
 */
(function () {
  "use strict";

  var filters = document.querySelector("details.filters");
  if (filters && window.matchMedia("(min-width: 900px)").matches) filters.open = true;

  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var done = document.execCommand("copy");
    document.body.removeChild(field);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  var copies = document.querySelectorAll("[data-copy]");
  for (var c = 0; c < copies.length; c++) {
    copies[c].hidden = false;
    copies[c].addEventListener("click", function (event) {
      var button = event.currentTarget, label = button.querySelector("span") || button;
      var original = label.getAttribute("data-label") || label.textContent;
      label.setAttribute("data-label", original);
      copyText(button.getAttribute("data-copy")).then(function () {
        label.textContent = button.getAttribute("data-copied");
        button.classList.add("done");
        setTimeout(function () { label.textContent = original; button.classList.remove("done"); }, 2500);
      }, function () { /* the value stays on screen to select by hand */ });
    });
  }

  var watched = document.querySelector("[data-watch-status]");
  if (watched && window.fetch) {
    var every = Math.max(1, parseInt(watched.getAttribute("data-interval"), 10) || 10) * 1000;
    var since = Date.now(), note = watched.querySelector("[data-watch-note]");
    if (note) note.hidden = false;
    var ask = function () {
      // Stop after an hour: a forgotten tab should not ask forever.
      if (Date.now() - since > 3600 * 1000) return;
      if (document.hidden) { setTimeout(ask, every); return; }
      fetch(watched.getAttribute("data-watch-status"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.status && data.status !== watched.getAttribute("data-status")) window.location.reload();
          else setTimeout(ask, every);
        }, function () { setTimeout(ask, every * 2); });
    };
    setTimeout(ask, every);
  }
})();
