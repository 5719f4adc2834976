// Offline search: the header box on every page and the search.html page.
// The index (docsgen writes it into _search/) is fetched over http(s) and
// loaded as <script> files from file://, so it works without a server and
// under any sub-path, and only on first use:
// the entry file on focus, then the term shards and page blocks a query
// needs. Tokenizing and stemming follow internal/search exactly.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("../", script.src).href; // this file is ROOT/_static/search.js
  var base = root + "_search/";

  // ---- Loading -------------------------------------------------------
  var meta = null, shards = {}, blocks = {}, loading = {}, words = null;
  var api = {
    meta: function (m) { meta = m; },
    words: function (list) { words = new Set(list.split(" ")); },
    shard: function (n, data) { shards[n] = data; },
    block: function (n, data) { blocks[n] = data; },
  };
  window.docsgenSearch = api;

  // Over http(s) the files are fetched and their JSON parsed: no script
  // element to insert, compile and run for each. From file://, where fetch
  // is refused, they load as scripts.
  var viaFetch = /^https?:/.test(base) && typeof fetch === "function";
  var kinds = Object.create(null);
  ["meta", "words", "shard", "block"].forEach(function (k) { kinds[k] = true; });
  function load(name) {
    if (!loading[name]) {
      loading[name] = (viaFetch ? fetchFile(name) : scriptFile(name)).catch(function () {
        delete loading[name];
        throw new Error("cannot load the search index (" + name + ".js)");
      });
    }
    return loading[name];
  }
  function scriptFile(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + name + ".js";
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  // fetchFile reads "docsgenSearch.KIND(ARGS);": ARGS are JSON values. A
  // fetch refused outright (a policy's connect-src, say) turns fetching
  // off and loads the file, and every later one, as a script; a server's
  // error status is the file's failure.
  function fetchFile(name) {
    return fetch(base + name + ".js").then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text().then(function (text) {
        var open = text.indexOf("("), kind = text.slice(text.indexOf(".") + 1, open);
        if (!kinds[kind]) throw new Error("not an index file");
        api[kind].apply(null, JSON.parse("[" + text.slice(open + 1, text.lastIndexOf(")")) + "]"));
      });
    }, function () {
      viaFetch = false;
      return scriptFile(name);
    });
  }

  function loadMeta() { return load("index").then(function () { stopSet = toSet(meta.stop); return meta; }); }
  function loadShard(n) { return load("t" + n).then(function () { return shards[n]; }); }
  function loadWords() { return load("words").then(function () { return words; }); }
  function loadBlock(n) { return load("p" + n).then(function () { return blocks[n]; }); }

  function toSet(list) { var s = Object.create(null); list.forEach(function (w) { s[w] = true; }); return s; }
  var stopSet = Object.create(null);

  // ---- Tokenizing (internal/search/tokenize.go) -----------------------
  var tokenRe = /[\p{L}\p{Nd}_.:'’-]+/gu;
  function tokenize(text) {
    var out = [], m;
    tokenRe.lastIndex = 0;
    while ((m = tokenRe.exec(text))) {
      var t = makeToken(m[0]);
      // A token's text ends before its trailing joiners ("Traefik:" marks
      // "Traefik"): they are not part of what it matched.
      if (t) { t.start = m.index; t.end = m.index + m[0].replace(/[_.:-]+$/, "").length; out.push(t); }
    }
    return out;
  }
  function makeToken(raw) {
    var s = raw.replace(/’/g, "'").toLowerCase().replace(/[_.:'-]+$/, "");
    if (s.slice(-2) === "'s") s = s.slice(0, -2);
    s = s.replace(/'/g, "");
    var flag = s.replace(/^-+/, "");
    if (flag === s || flag === "" || !/^\p{L}/u.test(flag)) s = s.replace(/^[_.:-]+/, "");
    if (!s) return null;
    var parts = s.split(/[_.:'-]+/).filter(Boolean);
    if (!parts.length) return null;
    return { whole: parts.length > 1 || s.charAt(0) === "-" ? s : "", parts: parts };
  }

  // ---- Porter2 stemmer (internal/search/stem.go) ----------------------
  var exception1 = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
    atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
  };
  var exception2 = toSet(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
  function isVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function regionAfter(w, from) {
    for (var i = from + 1; i < w.length; i++) if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    return w.length;
  }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function longest(w, list) {
    var best = "";
    for (var i = 0; i < list.length; i++) if (list[i].length > best.length && ends(w, list[i])) best = list[i];
    return best;
  }
  function hasVowel(w) { for (var i = 0; i < w.length; i++) if (isVowel(w[i])) return true; return false; }
  function endsShortSyllable(w) {
    var n = w.length;
    if (n === 2) return isVowel(w[0]) && !isVowel(w[1]);
    if (n >= 3) { var c = w[n - 1]; return !isVowel(w[n - 3]) && isVowel(w[n - 2]) && !isVowel(c) && c !== "w" && c !== "x" && c !== "Y"; }
    return false;
  }
  var step2Rules = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
    ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
    ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
    fulli: "ful", lessli: "less", li: "",
  };
  var step3Rules = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
  var step2List = Object.keys(step2Rules), step3List = Object.keys(step3Rules);
  var step4List = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  // Words recur (in the query as it grows, in snippets): each is stemmed once.
  var stemmed = new Map();
  function stem(word) {
    var s = stemmed.get(word);
    if (s === undefined) { s = porter2(word); stemmed.set(word, s); }
    return s;
  }
  function porter2(word) {
    if (!/^[a-z']*$/.test(word) || word.length <= 2) return word;
    var w = word.charAt(0) === "'" ? word.slice(1) : word;
    if (Object.prototype.hasOwnProperty.call(exception1, w)) return exception1[w];
    if (w.length <= 2) return w;
    var a = w.split("");
    for (var i = 0; i < a.length; i++) if (a[i] === "y" && (i === 0 || isVowel(a[i - 1]))) a[i] = "Y";
    w = a.join("");
    var r1 = w.length;
    ["gener", "commun", "arsen"].some(function (p) { if (w.indexOf(p) === 0) { r1 = p.length; return true; } return false; });
    if (r1 === w.length) r1 = regionAfter(w, 0);
    var r2 = regionAfter(w, r1);
    var s;
    // Step 0
    s = longest(w, ["'", "'s", "'s'"]);
    if (s) w = w.slice(0, -s.length);
    // Step 1a
    s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    if (s === "sses") w = w.slice(0, -4) + "ss";
    else if (s === "ied" || s === "ies") w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (s === "s" && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    if (exception2[w]) return w;
    // Step 1b
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === "eed" || s === "eedly") {
      if (w.length - s.length >= r1) w = w.slice(0, -s.length) + "ee";
    } else if (s && hasVowel(w.slice(0, -s.length))) {
      w = w.slice(0, -s.length);
      if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
      else if (longest(w, ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"])) w = w.slice(0, -1);
      else if (r1 >= w.length && endsShortSyllable(w)) w += "e";
    }
    // Step 1c
    var n = w.length;
    if (n > 2 && (w[n - 1] === "y" || w[n - 1] === "Y") && !isVowel(w[n - 2])) w = w.slice(0, -1) + "i";
    // Step 2
    s = longest(w, step2List);
    if (s && w.length - s.length >= r1) {
      var before = w.length > s.length ? w[w.length - s.length - 1] : "";
      if ((s !== "ogi" || before === "l") && (s !== "li" || (before !== "" && "cdeghkmnrt".indexOf(before) >= 0))) {
        w = w.slice(0, -s.length) + step2Rules[s];
      }
    }
    // Step 3
    s = longest(w, step3List);
    if (s && w.length - s.length >= r1 && (s !== "ative" || w.length - s.length >= r2)) w = w.slice(0, -s.length) + step3Rules[s];
    // Step 4
    s = longest(w, step4List);
    if (s && w.length - s.length >= r2) {
      var k = w.length - s.length;
      if (s !== "ion" || (k > 0 && (w[k - 1] === "s" || w[k - 1] === "t"))) w = w.slice(0, k);
    }
    // Step 5
    n = w.length;
    if (n > 0 && w[n - 1] === "e") {
      if (n - 1 >= r2 || (n - 1 >= r1 && !endsShortSyllable(w.slice(0, n - 1)))) w = w.slice(0, -1);
    } else if (n > 1 && w[n - 1] === "l" && w[n - 2] === "l" && n - 1 >= r2) {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }
  api.stem = stem;
  api.tokenize = tokenize;

  // ---- Querying --------------------------------------------------------
  var ascii = /^[\x00-\x7f]*$/;
  function shardOf(term) {
    // Keys are cut at runes; an ASCII term's runes are its characters (the
    // typo variants of a word ask for hundreds of these).
    var r = ascii.test(term) ? term : Array.from(term);
    for (var n = Math.min(r.length, meta.depth); n >= 0; n--) {
      var k = typeof r === "string" ? r.slice(0, n) : r.slice(0, n).join("");
      if (Object.prototype.hasOwnProperty.call(meta.keys, k)) return meta.keys[k];
    }
    return -1;
  }
  // prefixShards are the shards holding terms that start with w: at most
  // three, else only w's own (prefix matching gets better as letters come).
  // Typing asks for the same words' shards at each key: each is worked out
  // once (a scan of every key of the entry file).
  var prefixMemo = new Map();
  function prefixShards(w) {
    var got = prefixMemo.get(w);
    if (!got) { got = findPrefixShards(w); prefixMemo.set(w, got); }
    return got;
  }
  function findPrefixShards(w) {
    var set = {}, count = 0;
    set[shardOf(w)] = true;
    for (var k in meta.keys) {
      if (k.length > w.length && k.indexOf(w) === 0 && !set[meta.keys[k]]) { set[meta.keys[k]] = true; count++; }
    }
    return count > 2 ? [shardOf(w)] : Object.keys(set).map(Number);
  }

  // nextShards are the shards the next letter of a two-letter word w could
  // need (prefixShards of each three-letter key below w's), when they are
  // at most three files not loaded yet, else none: the box loads them
  // while its reader looks at w's results, so that the third letter, the
  // first to match words by prefix, waits for its pages' blocks only and
  // not for a shard first. More would cost the reader's data for letters
  // never typed.
  var nextMemo = new Map();
  function nextShards(w) {
    var got = nextMemo.get(w);
    if (!got) {
      var set = {}, seen = {};
      for (var k in meta.keys) {
        var k3 = k.slice(0, 3);
        if (k.length >= 3 && k.indexOf(w) === 0 && ascii.test(k3) && !seen[k3]) {
          seen[k3] = true;
          prefixShards(k3).forEach(function (n) { set[n] = true; });
        }
      }
      got = Object.keys(set).map(Number);
      nextMemo.set(w, got);
    }
    got = got.filter(function (n) { return !loading["t" + n]; });
    return got.length <= 3 ? got : [];
  }
  function prefetch(units) {
    var u = units[units.length - 1];
    if (!u || !u.last || u.whole || !/^[a-z0-9]{2}$/.test(u.raw)) return;
    nextShards(u.raw).forEach(function (n) { loadShard(n).catch(function () {}); });
  }

  // units are what a result must match: one per word or identifier typed.
  function parseQuery(q) {
    var open = !/\s$/.test(q), units = [];
    var tokens = tokenize(q);
    tokens.forEach(function (t, i) {
      var last = open && i === tokens.length - 1;
      var words = t.parts.filter(function (p) { return !stopSet[p]; }).map(function (p) { return { raw: p, stem: stem(p), last: last }; });
      if (t.whole) units.push({ whole: t.whole, last: last, words: words });
      else words.forEach(function (w) { units.push(w); });
    });
    return units;
  }

  var alphabet = "abcdefghijklmnopqrstuvwxyz";
  // typoWord says a word typed is long enough for one edit to be forgiven.
  function typoWord(w) { return w.length >= 5 && /^[a-z]+$/.test(w); }
  // typoStems are the stems of the words one edit away from w (a delete,
  // a transposition, a replacement or an insertion), each with its shard.
  var typoCache = new Map();
  function typoStems(w) {
    var got = typoCache.get(w);
    if (!got) {
      got = oneEditStems(w).map(function (s) { return { stem: s, shard: shardOf(s) }; });
      typoCache.set(w, got);
    }
    return got;
  }
  function oneEditStems(w) {
    var out = Object.create(null), i, c;
    function add(v) { var s = porter2(v); if (s.length > 2) out[s] = true; }
    for (i = 0; i < w.length; i++) {
      add(w.slice(0, i) + w.slice(i + 1));
      if (i + 1 < w.length) add(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
      for (c = 0; c < 26; c++) add(w.slice(0, i) + alphabet[c] + w.slice(i + 1));
    }
    for (i = 0; i <= w.length; i++) for (c = 0; c < 26; c++) add(w.slice(0, i) + alphabet[c] + w.slice(i));
    return Object.keys(out);
  }

  // addPostings adds a term's postings to hits, weighted. A list starting
  // with -1 was cut to the best sections of a common word: it returns true.
  function addPostings(hits, list, factor) {
    var page = 0, cut = list[0] === -1;
    for (var i = cut ? 1 : 0; i + 2 < list.length; i += 3) {
      page += list[i];
      var key = page * 65536 + list[i + 1], score = list[i + 2] * factor;
      if (!(hits.get(key) >= score)) hits.set(key, score);
    }
    return cut;
  }
  function shardFor(term) { var s = shards[shardOf(term)]; return s && Object.prototype.hasOwnProperty.call(s, term) ? s[term] : null; }

  // unitHits scores one unit: [{hits: Map of section key → best score among its
  // terms, common: only a common word's cut list matched}], one entry per
  // unit, or per word of an identifier that is not in the index.
  function unitHits(u) {
    if (u.whole) {
      var h = termHits(u.whole, null, u.last);
      u.found = h.hits.size > 0;
      if (u.found) return [h];
      // An identifier not in the index: its words, each required.
      return u.words.map(function (w) { return unitHits(w)[0]; });
    }
    return [termHits(u.stem, u.raw, u.last)];
  }

  // termHits is a unit's hits: of the identifier whole (raw null), or of
  // a word's stem, its prefix (while typed) and typos. As a query grows,
  // its earlier words are scored again at each key: each is kept with the
  // shards it found missing, and holds while they still are (a shard
  // loaded since could add hits).
  var hitsMemo = new Map();
  function termHits(term, raw, last) {
    var key = (raw === null ? "w " : "s ") + term + " " + raw + (last ? " …" : "");
    var memo = hitsMemo.get(key);
    if (memo && memo.absent.every(function (n) { return !shards[n]; })) return memo.result;
    var hits = new Map(), absent = [], common = false, list, t;
    function shard(n) {
      var s = shards[n];
      if (!s && n >= 0) absent.push(n);
      return s;
    }
    function lookup(t, n) {
      var s = shard(n);
      return s && Object.prototype.hasOwnProperty.call(s, t) ? s[t] : null;
    }
    if ((list = lookup(term, shardOf(term)))) common = addPostings(hits, list, raw === null ? 1.5 : 1);
    var prefix = raw === null ? term : raw;
    if (last && (raw === null || raw.length >= 3)) {
      prefixShards(prefix).forEach(function (n) {
        var s = shard(n) || {};
        for (t in s) if (t !== term && t.indexOf(prefix) === 0) addPostings(hits, s[t], raw === null ? 1 : 0.6);
      });
    }
    if (raw !== null && typoWord(raw)) {
      typoStems(raw).forEach(function (v) { if (v.stem !== term && (list = lookup(v.stem, v.shard))) addPostings(hits, list, 0.4); });
    }
    var result = { hits: hits, common: common };
    if (hitsMemo.size >= 64) hitsMemo.clear();
    hitsMemo.set(key, { result: result, absent: absent });
    return result;
  }

  function shardsNeeded(units) {
    var need = {};
    units.forEach(function (u) {
      if (u.whole) {
        need[shardOf(u.whole)] = true;
        if (u.last) prefixShards(u.whole).forEach(function (n) { need[n] = true; });
        u.words.forEach(function (w) { need[shardOf(w.stem)] = true; });
      } else {
        need[shardOf(u.stem)] = true;
        if (u.last && u.raw.length >= 3) prefixShards(u.raw).forEach(function (n) { need[n] = true; });
      }
    });
    return Object.keys(need).map(Number).filter(function (n) { return n >= 0; });
  }

  // rank puts the pages the units hit in order, best first: {pages: the
  // first limit as [{page, score, ranked: [{section, score}]}], total}. A
  // page matches when every unit matches somewhere in it, except common
  // words, whose lists are incomplete; when no page matches them all, the
  // pages matching the most are shown. A common word hits thousands of
  // sections: their sums are kept in one Map, and each page's counts in
  // arrays by page number (reused, and cleared of the pages touched), not
  // an object and a Map for each page made at every key.
  var byPage = null;
  function rank(perUnit, limit) {
    if (!byPage || byPage.last.length < meta.pages) {
      var n = meta.pages;
      byPage = { last: new Int32Array(n).fill(-1), units: new Int32Array(n), matched: new Int32Array(n),
        a: new Float64Array(n), b: new Float64Array(n), c: new Float64Array(n), d: new Float64Array(n) };
    }
    var last = byPage.last, units = byPage.units, matched = byPage.matched, a = byPage.a, b = byPage.b, c = byPage.c, d = byPage.d;
    var required = perUnit.filter(function (u) { return !u.common; }).length;
    var touched = [], sums = perUnit.length === 1 ? perUnit[0].hits : new Map();
    perUnit.forEach(function (unit, ui) {
      var several = sums !== unit.hits;
      unit.hits.forEach(function (score, key) {
        var page = Math.floor(key / 65536);
        // Units come in order: a page counts each once.
        if (last[page] !== ui) {
          if (last[page] < 0) touched.push(page);
          last[page] = ui;
          units[page]++;
          if (!unit.common) matched[page]++;
        }
        if (several) sums.set(key, (sums.get(key) || 0) + score);
      });
    });
    // The best section counts most; the next three add a little.
    sums.forEach(function (s, key) {
      var p = Math.floor(key / 65536);
      if (s > a[p]) { d[p] = c[p]; c[p] = b[p]; b[p] = a[p]; a[p] = s; } else if (s > b[p]) { d[p] = c[p]; c[p] = b[p]; b[p] = s; } else if (s > c[p]) { d[p] = c[p]; c[p] = s; } else if (s > d[p]) d[p] = s;
    });
    var best = 0, list = [];
    touched.forEach(function (p) { best = Math.max(best, required ? matched[p] : units[p]); });
    touched.forEach(function (p) {
      if ((required ? matched[p] : units[p]) === best) list.push({ page: p, score: a[p] + 0.1 * (b[p] + c[p] + d[p]), ranked: [] });
      last[p] = -1; units[p] = matched[p] = 0; a[p] = b[p] = c[p] = d[p] = 0;
    });
    list.sort(function (x, y) { return y.score - x.score || x.page - y.page; });
    var total = list.length;
    list = list.slice(0, limit);
    var shown = new Map();
    list.forEach(function (p) { shown.set(p.page, p.ranked); });
    sums.forEach(function (s, key) {
      var r = shown.get(Math.floor(key / 65536));
      if (r) r.push({ section: key % 65536, score: s });
    });
    list.forEach(function (p) { p.ranked.sort(function (x, y) { return y.score - x.score || x.section - y.section; }); });
    return { pages: list, total: total };
  }

  function blockOf(page) { return Math.floor(page / meta.per); }

  // query resolves to {units, pages: [{url, title, score, sections: [{anchor, title, snippet, score}]}], total},
  // or to null when stale() says a newer query replaced it before its page
  // data was loaded (typing on does not fetch results nobody sees).
  function query(q, limit, stale) {
    return loadMeta().then(function () {
      var units = parseQuery(q);
      if (!units.length) return { units: units, pages: [], total: 0 };
      return Promise.all(shardsNeeded(units).map(loadShard)).then(function () {
        var byUnit = units.map(unitHits);
        // A word with no match at all in its shards may be a typo in its
        // first letters, which puts the word meant in another shard: the
        // words list says which variants exist, and their shards load.
        var lost = units.filter(function (u, i) {
          return !u.whole && typoWord(u.raw) && byUnit[i].every(function (h) { return !h.hits.size; });
        });
        if (!lost.length) return byUnit;
        return loadWords().then(function () {
          var need = {};
          lost.forEach(function (u) {
            typoStems(u.raw).forEach(function (v) { if (words.has(v.stem)) need[v.shard] = true; });
          });
          return Promise.all(Object.keys(need).map(Number).filter(function (n) { return n >= 0; }).map(loadShard));
        }).then(function () { return units.map(unitHits); });
      }).then(function (byUnit) {
        var ranked = rank([].concat.apply([], byUnit), limit), list = ranked.pages, total = ranked.total;
        if (stale && stale()) return null;
        var need = {};
        list.forEach(function (p) { need[blockOf(p.page)] = true; });
        return Promise.all(Object.keys(need).map(function (b) { return loadBlock(+b); })).then(function () {
          return {
            units: units, total: total,
            pages: list.map(function (p) {
              var b = blockOf(p.page), entry = blocks[b][p.page - b * meta.per];
              return {
                url: entry[0], title: entry[1], score: p.score,
                sections: p.ranked.slice(0, 3).map(function (s) {
                  var sec = entry[2][s.section] || ["", entry[1], ""];
                  return { anchor: sec[0], title: sec[1], snippet: sec[2], score: s.score };
                }),
              };
            }),
          };
        });
      });
    });
  }
  api.query = query;

  // ---- Highlighting ------------------------------------------------------
  // matcher says whether a token of shown text matches the query.
  function matcher(units) {
    var stems = Object.create(null), wholes = Object.create(null), prefixes = [];
    units.forEach(function (u) {
      if (u.whole) { wholes[u.whole] = true; if (u.last) prefixes.push(u.whole); }
      // An identifier found as typed is highlighted as a whole, not its words.
      if (u.whole && u.found !== false) return;
      (u.whole ? u.words : [u]).forEach(function (w) { stems[w.stem] = true; if (w.last && w.raw.length >= 3) prefixes.push(w.raw); });
    });
    return function (t) {
      if (t.whole && wholes[t.whole]) return true;
      if (prefixes.some(function (p) { return (t.whole || t.parts[0]).indexOf(p) === 0; })) return true;
      return t.parts.some(function (p) { return stems[stem(p)]; });
    };
  }
  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function highlightHTML(text, match) {
    var out = "", at = 0;
    tokenize(text).forEach(function (t) {
      if (!match(t)) return;
      out += escapeHTML(text.slice(at, t.start)) + "<mark>" + escapeHTML(text.slice(t.start, t.end)) + "</mark>";
      at = t.end;
    });
    return out + escapeHTML(text.slice(at));
  }
  // markPage highlights the words of ?highlight=… in the page's text.
  function markPage() {
    var q = new URLSearchParams(location.search).get("highlight");
    var article = document.querySelector("article") || document.querySelector("main");
    if (!q || !article) return;
    loadMeta().then(function () {
      var match = matcher(parseQuery(q));
      var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) { return n.parentNode.closest("script, style, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; },
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var text = node.nodeValue, hits = tokenize(text).filter(match);
        if (!hits.length) return;
        var frag = document.createDocumentFragment(), at = 0;
        hits.forEach(function (t) {
          frag.appendChild(document.createTextNode(text.slice(at, t.start)));
          var m = document.createElement("mark");
          m.className = "search-highlight";
          m.textContent = text.slice(t.start, t.end);
          frag.appendChild(m);
          at = t.end;
        });
        frag.appendChild(document.createTextNode(text.slice(at)));
        node.parentNode.replaceChild(frag, node);
      });
    }).catch(function () {});
  }

  function resultURL(url, anchor, q) {
    return root + url.split("/").map(encodeURIComponent).join("/") + "?highlight=" + encodeURIComponent(q) + (anchor ? "#" + encodeURIComponent(anchor).replace(/%2F/g, "/") : "");
  }
  function plural(n) { return n === 1 ? "1 result" : n + " results"; }

  // ---- The header box: a combobox with a listbox of results ------------
  // boxPages is how many pages the box lists: each needs its block file,
  // and a browser loads six files at a time from one HTTP/1.1 server, so
  // six come in one round trip (search.html lists more).
  var boxPages = 6;
  function setupBox() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !list) return;
    var options = [], active = -1, seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function setActive(i) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
      options[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    }
    function render(res, q) {
      // One string, parsed once and swapped in at once: one layout per
      // keystroke, and no DOM calls per result.
      var match = matcher(res.units), html = "";
      function option(id, cls, href, inner) {
        return '<a role="option" aria-selected="false" tabindex="-1" id="' + id + '" class="' + cls + '" href="' + escapeHTML(href) + '">' + inner + "</a>";
      }
      res.pages.forEach(function (p, pi) {
        html += '<div role="group" class="search-group" aria-labelledby="search-group-' + pi + '">' +
          '<div class="search-page-title" id="search-group-' + pi + '">' + escapeHTML(p.title) + "</div>";
        p.sections.forEach(function (s, si) {
          html += option("search-option-" + pi + "-" + si, "search-option", resultURL(p.url, s.anchor, q),
            '<span class="search-section">' + highlightHTML(s.title, match) + "</span>" +
            (s.snippet ? '<span class="search-snippet">' + highlightHTML(s.snippet, match) + "</span>" : ""));
        });
        html += "</div>";
      });
      // "All results" and "No results" are options too: a listbox holds
      // nothing else.
      if (res.total > res.pages.length) {
        html += option("search-option-more", "search-more", root + "search.html?q=" + encodeURIComponent(q), escapeHTML("All " + plural(res.total)));
      }
      if (!res.total) {
        html += '<div class="search-none" role="option" aria-disabled="true">' + escapeHTML("No results for “" + q.trim() + "”") + "</div>";
      }
      list.innerHTML = html;
      options = Array.prototype.slice.call(list.querySelectorAll("a[role=option]"));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = false;
      list.dataset.query = q; // what the list shows results for
      input.setAttribute("aria-expanded", "true");
      status.textContent = res.total ? plural(res.total) : "No results";
    }
    function run() {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { close(); list.textContent = ""; status.textContent = ""; return; }
      query(q, boxPages, function () { return mine !== seq; })
        .then(function (res) {
          if (res && mine === seq && document.activeElement === input) { render(res, q); prefetch(res.units); }
        })
        .catch(function (e) { status.textContent = e.message; });
    }
    // Enter submits the form: to the chosen result (the first if none is
    // chosen), or to search.html?q=… while there are no results yet.
    if (input.form) input.form.addEventListener("submit", function (e) {
      var target = active >= 0 ? options[active] : !list.hidden && options[0];
      if (target) { e.preventDefault(); location.href = target.href; }
      else if (!input.value.trim()) e.preventDefault();
    });
    input.addEventListener("focus", function () { loadMeta().catch(function () {}); if (input.value.trim()) run(); });
    input.addEventListener("input", run);
    input.addEventListener("blur", close);
    list.addEventListener("mousedown", function (e) { e.preventDefault(); }); // a click keeps focus in the box
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        var d = e.key === "ArrowDown" ? 1 : -1;
        setActive((active + d + options.length + (active < 0 && d < 0 ? 1 : 0)) % options.length);
      } else if (e.key === "Escape") {
        if (!list.hidden) { close(); } else { input.value = ""; input.blur(); }
      }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        input.focus();
        input.select();
      } else if (e.key === "/" && !typing && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  // ---- search.html ------------------------------------------------------
  function setupPage() {
    var results = document.getElementById("search-page-results");
    if (!results) return;
    var status = document.getElementById("search-page-status");
    var input = document.getElementById("search-page-input");
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (!q.trim()) { status.textContent = "Type words to search for."; return; }
    status.textContent = "Searching…";
    query(q + " ", 50).then(function (res) {
      var match = matcher(res.units);
      status.textContent = res.total ? plural(res.total) + " for “" + q.trim() + "”" : "No results for “" + q.trim() + "”";
      res.pages.forEach(function (p) {
        var li = document.createElement("li");
        var h = document.createElement("a");
        h.className = "search-page-title";
        h.href = resultURL(p.url, "", q);
        h.textContent = p.title;
        li.appendChild(h);
        var ul = document.createElement("ul");
        var later = [];
        p.sections.forEach(function (s) {
          var item = document.createElement("li");
          item.innerHTML = '<a class="search-section" href="' + escapeHTML(resultURL(p.url, s.anchor, q)) + '">' +
            highlightHTML(s.title, match) + "</a>" + (s.snippet ? '<p class="search-snippet">' + highlightHTML(s.snippet, match) + "</p>" : "");
          ul.appendChild(item);
          if (s.snippet && !tokenize(s.snippet).some(match)) later.push({ anchor: s.anchor, el: item.querySelector(".search-snippet") });
        });
        li.appendChild(ul);
        results.appendChild(li);
        if (later.length) excerptsWhenSeen(li, p.url, later, match);
      });
    }).catch(function (e) { status.textContent = e.message; });
  }

  // ---- search.html's excerpts ------------------------------------------
  // A snippet is the start of its section, as the index keeps it (the box's
  // budget). On search.html, over http(s), a snippet without the words
  // searched for is replaced, once its result scrolls into view, by the
  // part of the section around the first of them, read from the page
  // itself (as Sphinx reads its sources). From file://, where pages cannot
  // be fetched, snippets stay as they are.
  var pageDocs = new Map();
  function pageDoc(url) {
    if (!pageDocs.has(url)) {
      pageDocs.set(url, fetch(root + url.split("/").map(encodeURIComponent).join("/")).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (html) { return new DOMParser().parseFromString(html, "text/html"); }));
    }
    return pageDocs.get(url);
  }
  function excerptsWhenSeen(li, url, later, match) {
    if (!viaFetch || typeof IntersectionObserver !== "function" || typeof DOMParser !== "function") return;
    var seen = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      seen.disconnect();
      pageDoc(url).then(function (doc) {
        later.forEach(function (s) {
          var html = excerpt(sectionText(doc, s.anchor), match);
          if (html) s.el.innerHTML = html;
        });
      }).catch(function () {});
    });
    seen.observe(li);
  }
  // sectionText is a section's text as the index reads it: from its heading
  // (or glossary term) to the next one, without the ¶ links, line numbers
  // and diagram sources, words kept apart at block boundaries.
  var inlineTags = toSet(["A", "SPAN", "CODE", "EM", "STRONG", "B", "I", "KBD", "ABBR", "SUB", "SUP", "MARK", "SMALL", "S",
    "DEL", "INS", "U", "VAR", "SAMP", "Q", "CITE"]);
  var skippedTags = toSet(["SCRIPT", "STYLE", "svg", "SVG", "TEMPLATE", "NOSCRIPT"]);
  var skippedClasses = ["headerlink", "linenos", "ln", "lnt", "mermaid"];
  function startsSection(el) {
    return el.id && (/^H[1-6]$/.test(el.tagName) || el.tagName === "DT" && el.id.indexOf("term-") === 0);
  }
  function sectionText(doc, anchor) {
    var article = doc.querySelector("article") || doc.body;
    var start = anchor ? doc.getElementById(anchor) : null;
    if (!article || anchor && !start) return "";
    var walker = doc.createTreeWalker(article, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        if (n.nodeType !== 1) return NodeFilter.FILTER_ACCEPT;
        if (skippedTags[n.tagName] || skippedClasses.some(function (c) { return n.classList.contains(c); })) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var text = "", inSection = !anchor, n;
    while ((n = walker.nextNode())) {
      if (n.nodeType === 1) {
        if (startsSection(n)) {
          if (n === start) { inSection = true; continue; }
          if (inSection) break;
        }
        if (!inlineTags[n.tagName]) text += " ";
      } else if (inSection && !(start && start.contains(n))) {
        text += n.nodeValue;
      }
    }
    return text.replace(/\s+/g, " ").trim();
  }
  // excerpt is about a snippet's length of text around the first word that
  // matches, cut at spaces and highlighted; null when no word matches.
  var snippetChars = 180; // the index's snippets (snippetRunes in extract.go)
  function excerpt(text, match) {
    var tokens = tokenize(text), hit = null;
    for (var i = 0; i < tokens.length && !hit; i++) if (match(tokens[i])) hit = tokens[i];
    if (!hit) return null;
    var from = Math.max(0, hit.start - 60), to = Math.min(text.length, from + snippetChars);
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < hit.start ? sp + 1 : hit.start; }
    if (to < text.length) { var sp2 = text.lastIndexOf(" ", to); if (sp2 > hit.end) to = sp2; }
    return (from > 0 ? "…" : "") + highlightHTML(text.slice(from, to), match) + (to < text.length ? "…" : "");
  }

  function start() { setupBox(); setupPage(); markPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
