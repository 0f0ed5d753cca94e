/* Autocomplete for the pickers rendered by ecosystem.widgets.AutocompleteInput (no inline
   scripts: CSP). Without this file the text box is submitted as typed (a slug or an exact name).
   With it, the box becomes an ARIA 1.2 combobox: suggestions in a listbox, arrow keys to move,
   Enter to choose, Escape to close; the chosen slug is submitted from a hidden input. */
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    var url = input.getAttribute("data-autocomplete");
    var name = input.name;
    var listId = (input.id || "autocomplete-" + (++counter)) + "-listbox";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    hidden.value = input.getAttribute("data-autocomplete-value") || "";
    input.removeAttribute("name");
    input.insertAdjacentElement("afterend", hidden);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    hidden.insertAdjacentElement("afterend", list);

    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      input.value = option.getAttribute("data-label");
      hidden.value = option.getAttribute("data-value");
      close();
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-value", result.value);
        option.setAttribute("data-label", result.label);
        option.textContent = result.label + (result.detail ? " · " + result.detail : "");
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
        return option;
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      status.textContent = options.length
        ? (input.getAttribute("data-autocomplete-found") || "{count}").replace("{count}", options.length)
        : (input.getAttribute("data-autocomplete-none") || "");
      active = -1;
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { show([]); return; }
      if (text === asked) { return; }
      asked = text;
      var params = new URLSearchParams({q: text});
      Array.prototype.forEach.call(input.attributes, function (attribute) {
        var match = /^data-autocomplete-param-(.+)$/.exec(attribute.name);
        if (match && attribute.value) {
          params.set(match[1], attribute.value);
        }
      });
      fetch(url + "?" + params.toString(), {headers: {"Accept": "application/json"},
                                             credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (asked === text) { show(data.results || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    // A name typed but not picked is sent as typed: the field accepts an exact name.
    if (input.form) {
      input.form.addEventListener("submit", function () {
        if (!hidden.value) { hidden.value = input.value.trim(); }
      });
    }
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setup);
})();
