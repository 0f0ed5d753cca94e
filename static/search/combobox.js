// The header search box as an ARIA 1.2 combobox: suggestions as you type, arrow keys to move,
// Enter opens the chosen suggestion (or submits the search), Escape closes. Without JavaScript
// the form simply submits to /search/.
(function () {
  "use strict";
  function init(form) {
    var input = form.querySelector("[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var url = form.getAttribute("data-suggestions");
    var timer = null, active = -1, items = [], lastQuery = "", controller = null;

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function announce(count) {
      var text = count === 0 ? status.dataset.none : count === 1 ? status.dataset.one
        : status.dataset.many.replace("%(count)s", count);
      status.textContent = text;
    }
    function select(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function render(results) {
      list.innerHTML = ""; items = results; active = -1;
      results.forEach(function (result, i) {
        var li = document.createElement("li");
        li.id = "site-search-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = result.title;            // text, never HTML
        var kind = document.createElement("span");
        kind.className = "site-search-kind";
        kind.textContent = result.kind_label;
        li.appendChild(title); li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.assign(result.url); });
        list.appendChild(li);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      announce(results.length);
    }
    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { close(); status.textContent = ""; return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.results || []); } })
        .catch(function () { /* offline or aborted: the plain search still works */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (list.hidden) { lastQuery = ""; fetchSuggestions(); return; }
        event.preventDefault(); select(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        if (!list.hidden) { event.preventDefault(); select(Math.max(active - 1, -1)); }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          event.preventDefault(); window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); } else { input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.site-search[data-suggestions]").forEach(init);
  });
})();
