// "Snel weg": leave at once for a neutral site, replacing this page in the history,
// by the button or by pressing Escape twice within a second.
// No inline script or style is needed: the page's CSP allows only 'self'.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit-url") || link.href;
  function leave(event) {
    if (event) { event.preventDefault(); }
    // Hide the page at once (the hidden attribute needs no stylesheet), so nothing
    // stays on screen while the neutral site loads.
    document.body.hidden = true;
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(event); }
    lastEscape = now;
  });
}());
