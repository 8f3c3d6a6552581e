// A link to one reply that ends in "#reactie-N" but leads to a page of the story without it
// (a link from before replies came in pages, or one copied from the address bar) goes to the
// reply's lasting address, which knows its page. A page reached that way always names its
// page number, so this never sends anyone round in circles.
(function () {
  "use strict";
  var match = /^#reactie-(\d+)$/.exec(window.location.hash);
  if (!match || document.getElementById("reactie-" + match[1])) { return; }
  if (/[?&]pagina=/.test(window.location.search)) { return; }
  var thread = document.querySelector("[data-reply-permalink]");
  if (!thread) { return; }
  window.location.replace(thread.getAttribute("data-reply-permalink").replace(/0$/, match[1]));
})();
