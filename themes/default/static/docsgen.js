// Light/dark switch: cycles system → light → dark, remembered per browser.
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".theme-toggle");
  if (!button) return;
  button.addEventListener("click", function () {
    var order = ["", "light", "dark"];
    var next = order[(order.indexOf(root.dataset.theme || "") + 1) % order.length];
    if (next) { root.dataset.theme = next; } else { delete root.dataset.theme; }
    try { next ? localStorage.setItem("docsgen-theme", next) : localStorage.removeItem("docsgen-theme"); } catch (e) {}
  });
})();
