// Supportive reactions without a page reload. Without JavaScript the form posts the button
// that was pressed and the page comes back at the same place; this only saves the reload.
// Each button sends "steun=<kind>:<1 to give, 0 to take back>". The answer holds counts,
// never names.
(function () {
  "use strict";

  function update(form, answer) {
    Array.prototype.forEach.call(form.querySelectorAll("button[data-kind]"), function (button) {
      var kind = button.getAttribute("data-kind");
      var given = answer.given.indexOf(kind) !== -1;
      button.setAttribute("aria-pressed", given ? "true" : "false");
      button.value = kind + (given ? ":0" : ":1");
      var mark = button.querySelector(".reaction-mark");
      if (mark) {
        mark.textContent = given ? "\u2713 " : "";
      }
      var count = button.querySelector("[data-count]");
      if (count && Object.prototype.hasOwnProperty.call(answer.counts, kind)) {
        count.textContent = String(answer.counts[kind]);
      }
    });
  }

  // The plain post, as without this script: the pressed button's value rides along.
  function postPlainly(form, button) {
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList || !form.classList.contains("reaction-form") || !window.fetch ||
        !button || !button.name) {
      return;
    }
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    var data = new FormData(form);
    data.append(button.name, button.value);
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: data,
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
        button.disabled = false;
        update(form, answer);
      })
      .catch(function () {
        button.disabled = false;
        postPlainly(form, button);
      });
  });
})();
