/* The hand-over form's cash help: the change to give back as the cash received is typed, and a few
 * likely amounts to tap. Only a help for counting: the server checks the amount and records the change.
 */
(function () {
  "use strict";

  var input = document.getElementById("tendered");
  var out = document.getElementById("change");
  if (!input || !out) return;
  var due = parseInt(input.getAttribute("data-due"), 10);
  if (!(due > 0)) return;

  // As shop/money.py writes đồng: 125000 → "125.000 ₫" in Vietnamese, the page's separator in other languages.
  var group = out.getAttribute("data-group") || ".";
  function digits(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, group); }
  function vnd(n) { return digits(n) + "\u00a0₫"; }
  // As the view reads it: dots, commas, spaces and the currency sign are ignored.
  function parse(text) {
    var plain = (text || "").replace(/[.,\s₫đ]/g, "");
    return /^\d{1,12}$/.test(plain) ? parseInt(plain, 10) : null;
  }

  function show() {
    var given = parse(input.value);
    out.classList.remove("is-ok", "is-short");
    if (given === null) {
      out.textContent = "";
      return;
    }
    if (given >= due) {
      out.textContent = out.getAttribute("data-msg-change").replace("{amount}", vnd(given - due));
      out.classList.add("is-ok");
    } else {
      out.textContent = out.getAttribute("data-msg-short").replace("{amount}", vnd(due - given));
      out.classList.add("is-short");
    }
  }

  // The exact amount, then the amount rounded up to the notes customers usually hand over.
  var quick = document.querySelector("[data-quick-cash]");
  if (quick) {
    var amounts = [due];
    [50000, 100000, 200000, 500000].forEach(function (note) {
      var rounded = Math.ceil(due / note) * note;
      if (amounts.indexOf(rounded) === -1 && amounts.length < 4) amounts.push(rounded);
    });
    amounts.forEach(function (amount) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-ghost desk-quick-button";
      button.textContent = vnd(amount);
      button.addEventListener("click", function () {
        input.value = digits(amount);
        show();
        input.focus();
      });
      quick.appendChild(button);
    });
    quick.hidden = false;
  }

  input.addEventListener("input", show);
  show();
})();
