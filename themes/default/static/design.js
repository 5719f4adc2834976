// docsgen's sphinx-design tabs: the tabs themselves work without this file
// (radio inputs and CSS). This adds what needs a script: choosing a tab
// with a sync key chooses every tab with the same key in the same group,
// on this page and, through localStorage, on the next pages; and a link to
// an anchor inside a tab opens that tab.
(function () {
  "use strict";
  var PREFIX = "sphinx-design-tab-id-"; // sphinx-design's key, so choices carry over

  function stored(group) {
    try { return window.localStorage.getItem(PREFIX + group); } catch (e) { return null; }
  }
  function store(group, id) {
    try { window.localStorage.setItem(PREFIX + group, id); } catch (e) { /* storage blocked: sync this page only */ }
  }
  function inputOf(label) {
    var el = document.getElementById(label.getAttribute("for") || "");
    return el instanceof HTMLInputElement ? el : null;
  }
  function syncedLabels(group, id) {
    return Array.prototype.filter.call(document.querySelectorAll(".sd-tab-label[data-sync-group]"), function (l) {
      return l.getAttribute("data-sync-group") === group && l.getAttribute("data-sync-id") === id;
    });
  }

  function choose(group, id) {
    syncedLabels(group, id).forEach(function (l) {
      var input = inputOf(l);
      if (input) input.checked = true; // setting checked fires no change event: no loops
    });
  }

  function onChange(event) {
    var input = event.currentTarget;
    if (!input.checked) return;
    var label = input.nextElementSibling;
    if (!label || !label.hasAttribute("data-sync-id")) return;
    var group = label.getAttribute("data-sync-group"), id = label.getAttribute("data-sync-id");
    choose(group, id);
    store(group, id);
  }

  // Open the tabs around the element the URL's #fragment names.
  function openFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var opened = false;
    var label = target.closest(".sd-tab-label");
    if (label && inputOf(label)) { inputOf(label).checked = true; opened = true; }
    for (var panel = (label || target).closest(".sd-tab-content"); panel; panel = panel.parentElement && panel.parentElement.closest(".sd-tab-content")) {
      var input = panel.previousElementSibling && panel.previousElementSibling.previousElementSibling;
      if (input instanceof HTMLInputElement) { input.checked = true; opened = true; }
    }
    if (opened) target.scrollIntoView();
  }

  function ready() {
    var groups = {};
    document.querySelectorAll(".sd-tab-label[data-sync-group]").forEach(function (label) {
      var input = inputOf(label);
      if (input) input.addEventListener("change", onChange);
      groups[label.getAttribute("data-sync-group")] = true;
    });
    var query = new URLSearchParams(window.location.search);
    Object.keys(groups).forEach(function (group) {
      var id = query.get(group) || stored(group);
      if (query.get(group)) store(group, id);
      if (id) choose(group, id);
    });
    openFromHash();
    window.addEventListener("hashchange", openFromHash);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
