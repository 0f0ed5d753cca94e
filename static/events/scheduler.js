/* Scheduler page: follow the progress of a running scheduler and reload when it is done. */
(function () {
  "use strict";
  var root = document.querySelector("[data-status-url]");
  if (!root || root.getAttribute("data-running") !== "true") { return; }
  var bar = root.querySelector("progress");
  var text = root.querySelector("[data-progress-text]");
  var poll = function () {
    fetch(root.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (bar && data.progress !== undefined) { bar.value = data.progress; }
        if (text && data.progress !== undefined) { text.textContent = data.progress + " %"; }
        if (data.status === "done" || data.status === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  };
  setTimeout(poll, 1000);
})();
