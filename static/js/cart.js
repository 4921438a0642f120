/* The cart without waiting for a page load: the +/− steppers, "Remove" and the province of the delivery fee post
 * their plain forms in the background, and the cart the server answers replaces the one on screen. Without
 * JavaScript the same forms post and the page reloads; nothing here is needed to buy.
 */
(function () {
  "use strict";

  function page() { return document.querySelector("[data-cart-page]"); }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var focusId = submitter && submitter.id;
    var current = page();
    current.setAttribute("aria-busy", "true");
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-cart-page]");
        if (!fresh) throw new Error("no cart in the answer");
        current.replaceWith(fresh);
        var count = new DOMParser().parseFromString(html, "text/html").querySelector(".cart-link");
        var link = document.querySelector(".cart-link");
        if (count && link) link.innerHTML = count.innerHTML;
        enhance(fresh);
        var again = (focusId && document.getElementById(focusId)) || fresh.querySelector("h1");
        if (again && !again.disabled) again.focus();
        else if (again) { again.setAttribute("tabindex", "-1"); again.focus(); }
      })
      .catch(function () {  // anything odd: the plain form does it the slow way
        if (submitter && submitter.name) {
          var field = document.createElement("input");
          field.type = "hidden"; field.name = submitter.name; field.value = submitter.value;
          form.appendChild(field);
        }
        form.submit();
      });
  }

  function enhance(root) {
    if (!root) return;
    var forms = root.querySelectorAll("form[data-cart-form]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        event.preventDefault();
        send(event.currentTarget, event.submitter);
      });
    }
    var selects = root.querySelectorAll("select[data-submit-on-change]");
    for (var s = 0; s < selects.length; s++) {
      var apply = selects[s].form.querySelector(".province-apply");
      if (apply) apply.hidden = true;
      selects[s].addEventListener("change", function (event) {
        var select = event.currentTarget;
        send(select.form, { id: select.id, name: "", value: "" });
      });
    }
  }

  enhance(page());
})();
