// docsgen live preview: updates this page in place after every build,
// keeps the reader's place, and shows build errors over the page.
(() => {
  "use strict";
  const script = document.currentScript;
  const base = new URL(".", script.src); // …/_docsgen/
  const root = new URL("..", base); // the site root
  let epoch = null;
  let build = null;

  // The page's output path, as the server names it ("guide/install.html").
  function currentPath() {
    let p = decodeURIComponent(location.pathname).slice(decodeURIComponent(root.pathname).length);
    if (p === "" || p.endsWith("/")) p += "index.html";
    else if (!p.includes(".")) p += ".html";
    return p;
  }

  // The heading nearest the top of the viewport and its offset: the anchor
  // the reader's place is kept by.
  function scrollAnchor() {
    const hs = document.querySelectorAll("main h1[id], main h2[id], main h3[id], main h4[id], main h5[id], main h6[id]");
    let best = null;
    for (const h of hs) {
      const top = h.getBoundingClientRect().top;
      if (top <= 120) best = { id: h.id, top };
      else {
        if (!best) best = { id: h.id, top };
        break;
      }
    }
    return best;
  }

  function restore(anchor, fallbackY) {
    const el = anchor && document.getElementById(anchor.id);
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - anchor.top);
    else window.scrollTo(0, fallbackY);
  }

  async function swapPage() {
    const anchor = scrollAnchor();
    const y = window.scrollY;
    const res = await fetch(location.href, { cache: "no-store" });
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const sel of ["main", ".sidebar", ".page-toc"]) {
      const cur = document.querySelector(sel);
      const next = doc.querySelector(sel);
      if (cur && next) cur.replaceWith(document.importNode(next, true));
    }
    document.title = doc.title;
    restore(anchor, y);
    document.dispatchEvent(new CustomEvent("docsgen:updated"));
  }

  function swapCSS(changed) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const u = new URL(link.href);
      const rel = decodeURIComponent(u.pathname).slice(decodeURIComponent(root.pathname).length);
      if (changed.includes(rel)) {
        u.searchParams.set("v", Date.now());
        const next = link.cloneNode();
        next.href = u.href;
        next.onload = () => link.remove();
        link.after(next);
      }
    }
  }

  function swapImages(changed) {
    for (const img of document.querySelectorAll("img")) {
      const u = new URL(img.src);
      const rel = decodeURIComponent(u.pathname).slice(decodeURIComponent(root.pathname).length);
      if (changed.includes(rel)) {
        u.searchParams.set("v", Date.now());
        img.src = u.href;
      }
    }
  }

  const style = `
#docsgen-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.55);display:flex;align-items:flex-start;justify-content:center;padding:6vh 1rem;overflow:auto;font:14px/1.5 system-ui,sans-serif}
#docsgen-overlay .box{background:#fff;color:#1f2328;max-width:60rem;width:100%;border-radius:8px;border-top:6px solid #cf222e;box-shadow:0 10px 40px rgba(0,0,0,.4);padding:1rem 1.4rem}
#docsgen-overlay h2{margin:.2rem 0 .8rem;font-size:1.1rem;color:#cf222e}
#docsgen-overlay .pos{font-family:ui-monospace,monospace;font-weight:600}
#docsgen-overlay .msg{margin:.3rem 0}
#docsgen-overlay .hint{color:#59636e}
#docsgen-overlay pre{font:13px/1.45 ui-monospace,monospace;background:#f6f8fa;padding:.6rem;border-radius:6px;overflow:auto}
#docsgen-overlay .line.hl{background:#ffebe9;display:block}
#docsgen-overlay .ln{color:#8c959f;margin-right:1em;user-select:none}
#docsgen-overlay button{font:inherit;cursor:pointer;border:1px solid #d1d9e0;background:#f6f8fa;border-radius:6px;padding:.15rem .6rem}
#docsgen-warnings{position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:32rem;font:13px/1.45 system-ui,sans-serif;background:#fff8c5;color:#3b2e00;border:1px solid #d4a72c;border-radius:8px;padding:.4rem .8rem;box-shadow:0 4px 16px rgba(0,0,0,.2)}
#docsgen-warnings summary{cursor:pointer;font-weight:600}
#docsgen-warnings li{font-family:ui-monospace,monospace;font-size:12px}`;

  function ensureStyle() {
    if (!document.getElementById("docsgen-live-style")) {
      const s = document.createElement("style");
      s.id = "docsgen-live-style";
      s.textContent = style;
      document.head.appendChild(s);
    }
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  // The overlay is a modal dialog: it takes focus when it opens, Escape
  // (or its Close button) dismisses it and gives focus back; the same
  // errors do not open it again, new ones do.
  let dismissed = "";
  let focusBefore = null;
  function closeOverlay() {
    const el = document.getElementById("docsgen-overlay");
    if (!el) return;
    el.remove();
    if (focusBefore && document.contains(focusBefore)) focusBefore.focus();
    focusBefore = null;
  }
  document.addEventListener("keydown", (e) => {
    const el = document.getElementById("docsgen-overlay");
    if (e.key === "Escape" && el) {
      dismissed = el.dataset.errors;
      closeOverlay();
    }
  });

  function overlay(errors) {
    let el = document.getElementById("docsgen-overlay");
    if (!errors || errors.length === 0) {
      dismissed = "";
      closeOverlay();
      return;
    }
    const key = JSON.stringify(errors);
    if (key === dismissed) return;
    ensureStyle();
    const opening = !el;
    if (!el) {
      el = document.createElement("div");
      el.id = "docsgen-overlay";
      el.setAttribute("role", "alertdialog");
      el.setAttribute("aria-modal", "true");
      el.setAttribute("aria-labelledby", "docsgen-overlay-title");
      document.body.appendChild(el);
    }
    el.dataset.errors = key;
    el.innerHTML = `<div class="box" tabindex="-1"><h2 id="docsgen-overlay-title">Build failed — the page below is the last good build</h2>${errors
      .map(
        (e) => `<div class="err"><div class="msg"><span class="pos">${esc(e.pos)}</span>: ${esc(e.message)}${
          e.code ? ` <span class="hint">[${esc(e.code)}]</span>` : ""
        } <button type="button" data-copy="${esc(e.pos)}">copy path:line</button></div>${
          e.hint ? `<div class="hint">${esc(e.hint)}</div>` : ""
        }${e.excerpt || ""}</div>`,
      )
      .join("")}<p><button type="button" class="close">Close (Esc)</button></p></div>`;
    for (const b of el.querySelectorAll("button[data-copy]")) {
      b.onclick = () => navigator.clipboard && navigator.clipboard.writeText(b.dataset.copy);
    }
    el.querySelector("button.close").onclick = () => {
      dismissed = key;
      closeOverlay();
    };
    if (opening) {
      focusBefore = document.activeElement;
      el.querySelector(".box").focus();
    }
  }

  function warnings(list) {
    let el = document.getElementById("docsgen-warnings");
    if (!list || list.length === 0) {
      if (el) el.remove();
      return;
    }
    ensureStyle();
    if (!el) {
      el = document.createElement("details");
      el.id = "docsgen-warnings";
      document.body.appendChild(el);
    }
    el.innerHTML = `<summary>${list.length} warning${list.length > 1 ? "s" : ""} in the changed pages</summary><ul>${list
      .map((w) => `<li>${esc(w.pos)}: ${esc(w.message)}</li>`)
      .join("")}</ul>`;
  }

  async function handle(m) {
    overlay(m.errors);
    warnings(m.warnings);
    const restarted = epoch !== null && m.epoch !== epoch;
    const newBuild = build !== null && m.build !== build;
    epoch = m.epoch;
    build = m.build;
    if (m.navigate && m.navigate !== currentPath() && (newBuild || restarted)) {
      location.href = new URL(m.navigate, root).href;
      return;
    }
    const changed = m.changed || [];
    if (restarted || (newBuild && changed.includes(currentPath()))) await swapPage();
    if (newBuild || restarted) {
      swapCSS(restarted ? [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => decodeURIComponent(new URL(l.href).pathname).slice(decodeURIComponent(root.pathname).length)) : changed);
      swapImages(changed);
    }
  }

  // Messages are handled one at a time, in order.
  let queue = Promise.resolve();
  const source = new EventSource(new URL("events", base));
  source.onmessage = (e) => {
    const m = JSON.parse(e.data);
    queue = queue
      .then(() => handle(m))
      .then(() => {
        // For tests and tools: the build this tab shows.
        document.documentElement.dataset.docsgenBuild = String(m.build);
      })
      .catch((err) => console.error("docsgen live preview:", err));
  };
})();
