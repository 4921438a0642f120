/* Listings apply a filter or a sort as soon as it changes: forms marked data-instant submit themselves, and their
 * buttons marked data-without-js (Apply, Sort) go, as they are only needed without JavaScript. A changed price
 * applies when the visitor leaves the price fields, not while moving from "from" to "to".
 */
(function () {
  "use strict";

  function leftRange(range) {
    setTimeout(function () {
      if (range.getAttribute("data-changed") && !range.contains(document.activeElement)) {
        range.closest("form").submit();
      }
    }, 0);
  }

  var forms = document.querySelectorAll("form[data-instant]");
  for (var i = 0; i < forms.length; i++) {
    var buttons = forms[i].querySelectorAll("[data-without-js]");
    for (var b = 0; b < buttons.length; b++) buttons[b].hidden = true;
    forms[i].addEventListener("change", function (event) {
      var range = event.target.closest(".price-range");
      if (!range) { event.currentTarget.submit(); return; }
      range.setAttribute("data-changed", "1");
      leftRange(range);
    });
    forms[i].addEventListener("focusout", function (event) {
      var range = event.target.closest(".price-range");
      if (range) leftRange(range);
    });
  }
})();
