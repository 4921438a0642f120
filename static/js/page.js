/* Small touches shared by every page, kept out of the HTML so the Content-Security-Policy allows no inline script.
 *
 * - Wide screens have room for the catalogue filters: show them open (phones keep them folded).
 * - A button marked data-print prints the page (the desk's cash report, the producer's parcel label).
 * - A button marked data-copy copies its value (account number, amount, transfer note) for a banking app,
 *   and says so in its own live region.
 * - A section marked data-watch-status (the order page waiting for a transfer) asks the server now and then
 *   whether the order's status changed, and reloads the page when it did.
 * - The product page: the price follows the chosen variant; "Add to cart" posts by fetch and confirms in the
 *   buy bar's live region, updating the header's count, with no reload and no history entry (so Back leaves
 *   the page); without a script, or when fetch fails, the form posts and comes back at #added.
 * - A gallery's thumbnails slide its pictures sideways instead of jumping the page.
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

  var buy = document.querySelector("form[data-add-to-cart]");
  if (buy) {
    var prices = document.querySelectorAll("[data-price]"), estimates = document.querySelectorAll("[data-estimate]");
    buy.addEventListener("change", function (event) {
      var text = event.target.getAttribute("data-price-text");
      if (!text) return;
      for (var p = 0; p < prices.length; p++) prices[p].textContent = text;
      // A visitor's estimate in their currency follows the chosen variant too.
      for (var e = 0; e < estimates.length; e++) {
        var note = estimates[e].querySelector(".estimate");
        if (note) note.textContent = event.target.getAttribute("data-estimate-text");
      }
    });
  }
  if (buy && window.fetch && window.FormData) {
    var added = buy.querySelector("[data-added]");
    var say = function (message, link, error) {
      var line = document.createElement("p");
      line.className = error ? "added-error" : "added-ok";
      line.textContent = message + " ";
      if (link) {
        var a = document.createElement("a");
        a.href = link;
        a.textContent = buy.getAttribute("data-view-cart");
        line.appendChild(a);
      }
      added.textContent = "";
      added.appendChild(line);
    };
    var showCount = function (count) {
      var link = document.querySelector(".cart-link");
      if (!link) return;
      var badge = link.querySelector(".cart-count");
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "cart-count";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + buy.getAttribute("data-items-label");
        badge.appendChild(document.createTextNode(""));
        badge.appendChild(hidden);
        link.appendChild(document.createTextNode(" "));
        link.appendChild(badge);
      }
      badge.firstChild.nodeValue = String(count);
    };
    buy.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = buy.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(buy.action, {
        method: "POST", body: new FormData(buy), credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": buy.elements.csrf_token.value}
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("not JSON");
        return response.json();
      }).then(function (data) {
        button.disabled = false;
        if (data.ok) { showCount(data.count); say(data.message, data.cart_url, false); }
        else say(data.message, null, true);
      }, function () {
        // An expired form or a lost connection: the plain post shows the page's own answer.
        button.disabled = false;
        buy.submit();
      });
    });
  }

  var tracks = document.querySelectorAll(".gallery-track");
  for (var t = 0; t < tracks.length; t++) {
    (function (track) {
      var thumbs = track.parentNode.querySelectorAll(".gallery-thumbs a");
      for (var k = 0; k < thumbs.length; k++) {
        thumbs[k].addEventListener("click", function (event) {
          var target = document.getElementById(event.currentTarget.getAttribute("href").slice(1));
          if (!target) return;
          event.preventDefault();
          track.scrollTo({left: target.offsetLeft - track.offsetLeft, behavior: "smooth"});
        });
      }
      track.addEventListener("scroll", function () {
        var index = Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
        for (var k = 0; k < thumbs.length; k++) {
          if (k === index) thumbs[k].setAttribute("aria-current", "true"); else thumbs[k].removeAttribute("aria-current");
        }
      }, {passive: true});
    })(tracks[t]);
  }
})();
