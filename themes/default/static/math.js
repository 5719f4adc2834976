// Typesets the page's math with the vendored KaTeX (vendor/katex/). The
// page holds the TeX as Sphinx writes it for MathJax: inline math in
// <span class="math">\(…\)</span>, display math in <div class="math">\[…\]</div>
// (after an equation number), or, with :nowrap:, as written. Readers
// without JavaScript see the TeX. A formula KaTeX cannot read shows in red
// with the error as its tooltip. Works offline and from file://. KaTeX draws
// in the text colour, so light and dark need nothing more.
(function () {
  "use strict";
  if (typeof katex === "undefined") return;
  var style = document.createElement("style");
  style.textContent =
    "div.math{overflow-x:auto;overflow-y:hidden;margin:1rem 0}" +
    "div.math .katex-display{margin:.5rem 0}" +
    "span.eqno{float:right;line-height:2.5;margin-left:1rem}" +
    "span.eqno .headerlink{margin-left:.2rem}" +
    "div.math:hover span.eqno .headerlink{visibility:visible}";
  document.head.appendChild(style);

  var delimiters = [["\\(", "\\)"], ["\\[", "\\]"], ["$$", "$$"]];
  var els = document.querySelectorAll("span.math.notranslate, div.math.notranslate");
  Array.prototype.forEach.call(els, function (el) {
    var display = el.tagName === "DIV";
    var texNodes = [];
    var tex = "";
    Array.prototype.forEach.call(el.childNodes, function (n) {
      if (n.nodeType === 3) { texNodes.push(n); tex += n.data; }
    });
    tex = tex.trim();
    for (var i = 0; i < delimiters.length; i++) {
      var d = delimiters[i];
      if (tex.length >= d[0].length + d[1].length && tex.indexOf(d[0]) === 0 &&
          tex.lastIndexOf(d[1]) === tex.length - d[1].length) {
        tex = tex.slice(d[0].length, tex.length - d[1].length);
        break;
      }
    }
    // Sphinx's MathJax numbers no environment by itself (the number is the
    // eqno span); KaTeX would number align, equation, … so star them.
    tex = tex.replace(/\\(begin|end)\{(equation|align|alignat|gather|multline|flalign)\}/g, "\\$1{$2*}");
    var out = document.createElement(display ? "div" : "span");
    try {
      katex.render(tex, out, { displayMode: display, throwOnError: false });
    } catch (e) {
      return; // keep the TeX
    }
    texNodes.forEach(function (n) { el.removeChild(n); });
    el.appendChild(out);
    el.setAttribute("data-katex", "");
  });
})();
