// On a phone, fold the directory's extra filters away until someone asks for them,
// so the results are visible without scrolling. Without JavaScript they stay open.
(function () {
  "use strict";
  var details = document.querySelector("details[data-collapse-on-small='true']");
  if (details && window.matchMedia("(max-width: 48rem)").matches) {
    details.open = false;
  }
})();
