/* Checkout's first step: the delivery fee beside the province follows the province chosen. The fee of every
 * province comes with the page (data-fees, from the rule the order is charged by); without JavaScript the
 * fee of the province shown on arrival is there, and the second step gives the exact fee in any case.
 */
(function () {
  "use strict";
  var select = document.querySelector("select[data-fees]");
  var out = document.getElementById("province-fee");
  if (!select || !out) return;
  var fees = JSON.parse(select.getAttribute("data-fees"));
  select.addEventListener("change", function () { out.textContent = fees[select.value] || ""; });
})();
