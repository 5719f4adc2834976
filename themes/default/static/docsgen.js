// docsgen default theme: colour scheme toggle, navigation drawer, copy
// buttons, on-page contents that follow scrolling. Everything degrades to a
// readable page without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var narrow = window.matchMedia("(max-width: 48rem)");
  var prefersDark = window.matchMedia("(prefers-color-scheme: dark)");

  // Colour scheme: automatic (the system's), light or dark. A click always
  // changes what the reader sees first: from automatic it goes to the
  // opposite of the system's scheme, then the other, then back to automatic.
  var toggle = document.querySelector(".theme-toggle");
  var status = document.getElementById("theme-status");
  function scheme() { return root.dataset.theme || ""; }
  function describe(s) {
    var shown = s || (prefersDark.matches ? "dark" : "light");
    return s ? "Colour scheme: " + shown : "Colour scheme: automatic (" + shown + ")";
  }
  function showScheme(announce) {
    if (!toggle) return;
    var text = describe(scheme());
    toggle.querySelector(".theme-toggle-label").textContent = text;
    toggle.title = text + ". Click to change.";
    if (announce && status) status.textContent = text;
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var system = prefersDark.matches ? "dark" : "light";
      var other = system === "dark" ? "light" : "dark";
      var next = { "": other }[scheme()];
      if (next === undefined) next = scheme() === other ? system : "";
      if (next) { root.dataset.theme = next; } else { delete root.dataset.theme; }
      try { next ? localStorage.setItem("docsgen-theme", next) : localStorage.removeItem("docsgen-theme"); } catch (e) {}
      showScheme(true);
    });
    prefersDark.addEventListener("change", function () { showScheme(false); });
    showScheme(false);
  }

  // Navigation drawer on narrow screens: a real button, focus kept inside
  // while it is open, Escape or the backdrop closes it. Elements are looked
  // up when used: the live preview replaces the sidebar and main.
  var menu = document.querySelector(".nav-button");
  function drawer() { return document.getElementById("site-nav"); }
  function focusables() {
    // checkVisibility also leaves out links in a closed <details>, which
    // offsetParent does not.
    return Array.prototype.filter.call(drawer().querySelectorAll("a[href], button, summary"), function (el) {
      return el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
    });
  }
  function isOpen() { return document.body.classList.contains("nav-open"); }
  function setDrawer(open) {
    var nav = drawer();
    document.body.classList.toggle("nav-open", open);
    menu.setAttribute("aria-expanded", String(open));
    var backdrop = document.querySelector(".nav-backdrop");
    if (backdrop) backdrop.hidden = !open;
    ["main", ".page-toc", ".site-header", ".skip-link"].forEach(function (sel) {
      var el = document.querySelector(sel);
      if (el) el.inert = open;
    });
    if (open) {
      nav.setAttribute("role", "dialog");
      nav.setAttribute("aria-modal", "true");
      var first = focusables()[0];
      if (first) first.focus();
    } else {
      nav.removeAttribute("role");
      nav.removeAttribute("aria-modal");
    }
  }
  function closeDrawer() { setDrawer(false); menu.focus(); }
  if (menu && drawer()) {
    menu.addEventListener("click", function () { setDrawer(!isOpen()); });
    document.addEventListener("click", function (e) {
      if (isOpen() && e.target.closest && e.target.closest(".nav-close, .nav-backdrop")) closeDrawer();
    });
    document.addEventListener("keydown", function (e) {
      if (!isOpen()) return;
      if (e.key === "Escape") { closeDrawer(); return; }
      if (e.key !== "Tab") return;
      var items = focusables();
      if (!items.length) return;
      var first = items[0], last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) { last.focus(); e.preventDefault(); }
      else if (!e.shiftKey && document.activeElement === last) { first.focus(); e.preventDefault(); }
    });
    narrow.addEventListener("change", function () { if (!narrow.matches && isOpen()) setDrawer(false); });
  }

  // Copy buttons. What is copied leaves out line numbers and, as
  // sphinx-copybutton does, prompts: when some lines start with "$ ",
  // ">>> " or "... ", only those lines are copied, without the prompt.
  var promptRe = /^(\$ |>>> |\.\.\. )(.*)$/;
  function copyText(pre) {
    var clone = pre.cloneNode(true);
    clone.querySelectorAll(".ln, .lnt").forEach(function (el) { el.remove(); });
    var lines = clone.textContent.split("\n");
    var prompted = lines.some(function (l) { return promptRe.test(l); });
    if (prompted) {
      lines = lines.filter(function (l) { return promptRe.test(l) || l.trim() === ""; })
        .map(function (l) { var m = promptRe.exec(l); return m ? m[2] : l; });
    }
    return lines.join("\n").replace(/\n+$/, "");
  }
  function writeClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function addCopyButtons() {
    document.querySelectorAll(".document .highlight > pre").forEach(addCopyButton);
  }
  function addCopyButton(pre) {
    if (pre.parentNode.querySelector(".copy-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.setAttribute("aria-label", "Copy code");
    button.title = "Copy code";
    button.addEventListener("click", function () {
      writeClipboard(copyText(pre)).then(function () {
        button.classList.add("copied");
        button.setAttribute("aria-label", "Copied");
        setTimeout(function () { button.classList.remove("copied"); button.setAttribute("aria-label", "Copy code"); }, 2000);
      }, function () { button.setAttribute("aria-label", "Copy failed"); });
    });
    pre.parentNode.appendChild(button);
  }
  // For the theme's browser tests.
  window.docsgenCopyText = copyText;

  // Inline code breaks at spaces, not inside a word ("--deploy",
  // ":collapsible:"); a word too long for a phone's width may still break
  // anywhere.
  function keepWordsWhole() {
    document.querySelectorAll(".document :not(pre) > code").forEach(keepCodeWordsWhole);
  }
  function keepCodeWordsWhole(code) {
    if (code.children.length || !/[^\w\s]/.test(code.textContent)) return;
    var parts = code.textContent.split(/(\s+)/);
    code.textContent = "";
    parts.forEach(function (part) {
      if (part.length > 0 && part.length <= 28 && !/\s/.test(part)) {
        var span = document.createElement("span");
        span.className = "nowrap";
        span.style.whiteSpace = "nowrap";
        span.textContent = part;
        code.appendChild(span);
      } else {
        code.appendChild(document.createTextNode(part));
      }
    });
  }

  // A region that scrolls sideways must be reachable by keyboard.
  function markScrollable() {
    document.querySelectorAll(".document pre, .document table").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) { el.tabIndex = 0; } else { el.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("resize", markScrollable);
  window.addEventListener("load", markScrollable); // images and fonts change widths

  // On-page contents: mark the section being read.
  var tocLinks = [], targets = [], pending = false;
  function findSections() {
    tocLinks = Array.prototype.slice.call(document.querySelectorAll(".page-toc a[href^='#']"));
    targets = tocLinks.map(function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
  }
  function markCurrent() {
    pending = false;
    var offset = parseFloat(getComputedStyle(root).scrollPaddingTop) || 64;
    var current = -1;
    targets.forEach(function (h, i) { if (h && h.getBoundingClientRect().top <= offset + 8) current = i; });
    if (current < 0 && targets.length) current = 0;
    tocLinks.forEach(function (a, i) {
      var on = i === current;
      a.classList.toggle("active", on);
      if (on) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
    });
  }
  window.addEventListener("scroll", function () {
    if (!pending && tocLinks.length) { pending = true; requestAnimationFrame(markCurrent); }
  }, { passive: true });
  // A link in the inline contents closes it, so the section is in view.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".toc-inline a");
    if (a) a.closest("details").open = false;
  });

  // The page's parts, again after the live preview replaced them.
  function enhance() {
    addCopyButtons();
    keepWordsWhole();
    markScrollable(); // after keepWordsWhole, which widens tables
    findSections();
    markCurrent();
  }
  enhance();
  document.addEventListener("docsgen:updated", enhance);
})();
