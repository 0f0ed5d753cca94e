/* Admin forms: accessible names for the admin's autocomplete pickers (select2 names its
   combobox after the empty selection) and keyboard access to inline tables that scroll. */
(function () {
  "use strict";

  function labelOf(select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    if (!label) { return null; }
    if (!label.id) { label.id = select.id + "_label"; }
    return label;
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelOf(select);
      var container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) { return; }
      var selection = container.querySelector(".select2-selection");
      var rendered = container.querySelector(".select2-selection__rendered");
      if (selection) {
        selection.setAttribute("aria-labelledby", label.id + (rendered && rendered.id ? " " + rendered.id : ""));
      }
      if (rendered && !rendered.getAttribute("title")) { rendered.setAttribute("title", label.textContent.trim()); }
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", label.textContent.trim());
      });
    });
  }

  function scrollableInlines() {
    document.querySelectorAll(".inline-group .tabular, .inline-group").forEach(function (group) {
      if (group.scrollWidth > group.clientWidth && !group.hasAttribute("tabindex")) {
        group.setAttribute("tabindex", "0");
      }
    });
  }

  function start() {
    nameAutocompletes();
    scrollableInlines();
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change select2:close", "select.admin-autocomplete", nameAutocompletes);
    }
    window.addEventListener("resize", scrollableInlines);
  }

  // After the admin's own DOMContentLoaded handlers have built the pickers.
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
}());
