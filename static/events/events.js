/* Progressive enhancement for event pages (no inline scripts: CSP). */
(function () {
  "use strict";
  // Strings come from Django's JavaScript catalogue (/i18n/js/, loaded by base.html).
  var gettext = window.gettext || function (text) { return text; };
  // Show an event's time also in the visitor's own time zone when it differs.
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = null; }
  document.querySelectorAll("time[data-local][datetime]").forEach(function (el) {
    var eventZone = el.getAttribute("data-tz");
    if (!zone || zone === eventZone) { return; }
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) { return; }
    var text = when.toLocaleString(document.documentElement.lang || undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    });
    var note = document.createElement("span");
    note.className = "local-time";
    note.textContent = (el.getAttribute("data-label") || gettext("Your time:")) + " " + text;
    el.insertAdjacentElement("afterend", note);
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
