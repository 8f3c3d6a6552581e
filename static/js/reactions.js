// Supportive reactions without a page reload. Without JavaScript the forms post and the
// page comes back at the same place; this only saves the reload. The answer holds counts,
// never names.
(function () {
  "use strict";

  function update(form, answer) {
    var button = form.querySelector("button");
    var state = form.querySelector('input[name="geven"]');
    var kind = form.querySelector('input[name="soort"]').value;
    var given = answer.given.indexOf(kind) !== -1;
    button.setAttribute("aria-pressed", given ? "true" : "false");
    state.value = given ? "0" : "1";
    var mark = button.querySelector(".reaction-mark");
    if (mark) {
      mark.textContent = given ? "\u2713 " : "";
    }
    var bar = form.parentNode;
    Array.prototype.forEach.call(bar.querySelectorAll("form"), function (other) {
      var otherKind = other.querySelector('input[name="soort"]').value;
      var count = other.querySelector("[data-count]");
      if (count && Object.prototype.hasOwnProperty.call(answer.counts, otherKind)) {
        count.textContent = String(answer.counts[otherKind]);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        update(form, answer);
      })
      .catch(function () {
        // Fall back to the plain form post, which always works.
        form.submit();
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
