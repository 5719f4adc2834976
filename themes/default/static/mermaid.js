// Draws the page's <pre class="mermaid"> diagrams with the vendored Mermaid
// (vendor/mermaid/), in the page's colours: drawn again when the reader
// switches between light and dark (the theme toggle sets data-theme on
// <html>; otherwise the system's prefers-color-scheme decides). The diagram's
// source stays the element's text until it is drawn, so readers without
// JavaScript see it; a diagram Mermaid cannot read keeps its source, marked
// with the error. Works offline and from file://: nothing is fetched.
(function () {
  "use strict";
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!blocks.length || typeof mermaid === "undefined") return;
  var root = document.documentElement;
  var sources = blocks.map(function (el) { return el.textContent; });

  var style = document.createElement("style");
  style.textContent =
    "pre.mermaid[data-processed]{background:none;border:0;padding:0;text-align:center;white-space:normal}" +
    "pre.mermaid.align-left[data-processed],figure.align-left pre.mermaid{text-align:left}" +
    "pre.mermaid.align-right[data-processed],figure.align-right pre.mermaid,figure.align-right figcaption{text-align:right}" +
    "figure.align-center figcaption{text-align:center}" +
    "pre.mermaid svg{max-width:100%;height:auto}" +
    "pre.mermaid[data-zoom] svg{cursor:grab;touch-action:none}" +
    "pre.mermaid.mermaid-error{border-color:var(--danger,#cf222e)}" +
    "pre.mermaid .mermaid-message{display:block;white-space:normal;color:var(--danger,#cf222e);font-family:var(--font,sans-serif);margin-bottom:.5rem}";
  document.head.appendChild(style);

  function dark() {
    var t = root.getAttribute("data-theme");
    if (t === "dark" || t === "light") return t === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  var mode = "";
  var seq = 0;
  var queue = Promise.resolve();

  function drawAll() {
    var m = dark() ? "dark" : "default";
    if (m === mode) return;
    mode = m;
    blocks.forEach(function (el, i) {
      // Mermaid draws one diagram at a time.
      queue = queue.then(function () { return draw(el, i, m); });
    });
  }

  function draw(el, i, m) {
    if (m !== mode) return; // the mode changed again meanwhile
    mermaid.initialize({
      startOnLoad: false, theme: m, securityLevel: "strict",
      // Mermaid's dark edge labels (#ccc on #585858) fall short of 4.5:1.
      themeVariables: m === "dark" ? { edgeLabelBackground: "#21262d" } : {},
      fontFamily: window.getComputedStyle(document.body).fontFamily
    });
    var id = "docsgen-mermaid-" + (++seq);
    return mermaid.render(id, sources[i]).then(function (out) {
      el.innerHTML = out.svg;
      if (out.bindFunctions) out.bindFunctions(el);
      el.setAttribute("data-processed", "true");
      el.setAttribute("data-mermaid-theme", m);
      el.classList.remove("mermaid-error");
      var svg = el.querySelector("svg");
      if (!svg) return;
      var alt = el.getAttribute("data-alt");
      if (alt) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", alt); }
      if (el.hasAttribute("data-zoom")) zoomable(svg);
    }, function (err) {
      // Mermaid may leave its error drawing in the body.
      var stray = document.getElementById("d" + id);
      if (stray) stray.remove();
      el.removeAttribute("data-processed");
      el.classList.add("mermaid-error");
      el.textContent = sources[i];
      var msg = document.createElement("span");
      msg.className = "mermaid-message";
      msg.textContent = "Diagram error: " + String((err && err.message) || err).split("\n")[0];
      el.insertBefore(msg, el.firstChild);
    });
  }

  // Wheel zooms around the pointer, dragging pans, a double click resets.
  function zoomable(svg) {
    var vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width) return;
    var orig = [vb.x, vb.y, vb.width, vb.height];
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      var f = e.deltaY < 0 ? 0.8 : 1.25;
      var px = vb.x + (e.clientX - r.left) / r.width * vb.width;
      var py = vb.y + (e.clientY - r.top) / r.height * vb.height;
      vb.x = px - (px - vb.x) * f; vb.y = py - (py - vb.y) * f;
      vb.width *= f; vb.height *= f;
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      drag = { x: e.clientX, y: e.clientY };
      svg.setPointerCapture(e.pointerId);
      svg.style.cursor = "grabbing";
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      vb.x -= (e.clientX - drag.x) / r.width * vb.width;
      vb.y -= (e.clientY - drag.y) / r.height * vb.height;
      drag = { x: e.clientX, y: e.clientY };
    });
    function stop() { drag = null; svg.style.cursor = ""; }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    svg.addEventListener("dblclick", function () {
      vb.x = orig[0]; vb.y = orig[1]; vb.width = orig[2]; vb.height = orig[3];
    });
  }

  drawAll();
  new MutationObserver(drawAll).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", drawAll);
    else if (mq.addListener) mq.addListener(drawAll);
  }
})();
