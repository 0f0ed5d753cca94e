// Look CPV codes and NUTS regions up by code or name. Without JavaScript the code is typed.
// The texts come translated from the server in data-lookup-* attributes.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function attach(field) {
    const url = field.dataset.lookupUrl;
    const multiple = field.tagName === "TEXTAREA";
    const box = document.createElement("div");
    box.className = "code-lookup-box";
    const searchId = field.id + "_lookup";
    const label = document.createElement("label");
    label.htmlFor = searchId;
    label.textContent = field.dataset.lookupLabel;
    const search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "help";
    status.setAttribute("aria-live", "polite");
    const list = document.createElement("ul");
    list.className = "code-lookup-results";
    box.append(label, search, status, list);
    field.after(box);

    function choose(code) {
      if (multiple) {
        const codes = field.value.split(/[,;\n]/).map((c) => c.trim()).filter(Boolean);
        if (!codes.includes(code)) codes.push(code);
        field.value = codes.join(", ");
      } else {
        field.value = code;
      }
      status.textContent = field.dataset.lookupAdded.replace("%s", code);
      list.replaceChildren();
      search.value = "";
      field.focus();
    }

    search.addEventListener("input", debounce(async () => {
      const q = search.value.trim();
      if (q.length < 2) { list.replaceChildren(); status.textContent = ""; return; }
      const response = await fetch(url + "?q=" + encodeURIComponent(q),
                                   {headers: {Accept: "application/json"}});
      if (!response.ok) return;
      const {results} = await response.json();
      list.replaceChildren(...results.map((item) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = item.code + " — " + item.label;
        button.addEventListener("click", () => choose(item.code));
        li.append(button);
        return li;
      }));
      status.textContent = field.dataset.lookupFound.replace("%s", results.length);
    }, 200));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-lookup-url]").forEach(attach);
  });
})();
