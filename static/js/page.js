/* Small touches shared by every page, kept out of the HTML so the Content-Security-Policy allows no inline script.
 *
 * - Wide screens have room for the catalogue filters: show them open (phones keep them folded).
 * - A button marked data-print prints the page (the desk's cash report, the producer's parcel label).
 */
(function () {
  "use strict";

  var filters = document.querySelector("details.filters");
  if (filters && window.matchMedia("(min-width: 900px)").matches) filters.open = true;

  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
