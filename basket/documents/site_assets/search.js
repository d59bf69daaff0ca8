/* basket site search: every page of the site (variants, baskets, evidence, patients, protocol sections)
   searched offline with MiniSearch (vendored, assets/minisearch.js) from the document list the page
   loaded before this script (window.basketSearch; see basket/documents/site_tables.py).

   The index is built in the browser, in chunks that let the page stay responsive (a few seconds for
   100,000 documents); a query typed meanwhile is answered as soon as it is ready. The query is kept
   in the URL (?q=...), which is also how every page's search box reaches this page. Results reach the
   page through textContent and href only. */
(function () {
  "use strict";
  var documents = window.basketSearch.documents;
  var KIND = 0, URL = 1, TITLE = 2, TEXT = 3, EXTRA = 4;
  var LIMIT = 100;
  var PAGES_FIRST = { variant: 2, basket: 2 };
  var box = document.getElementById("search-box");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = new MiniSearch({
    fields: ["title", "text"],
    idField: "id",
    extractField: function (position, field) {
      if (field === "id") return position;
      return documents[position][field === "title" ? TITLE : TEXT];
    },
    searchOptions: {
      boost: { title: 3 },
      // a variant's or a basket's own page before the evidence and sections that mention it
      boostDocument: function (position) { return PAGES_FIRST[documents[position][KIND]] || 1; },
      combineWith: "AND",
      prefix: function (term, i, terms) { return i === terms.length - 1; },
      // typos forgiven in words only: an identifier (CPS1-Q335X, c.1003C>T) is matched exactly or by prefix
      fuzzy: function (term) { return term.length > 5 && /^[a-z]+$/.test(term) ? 0.2 : false; }
    }
  });
  var ready = false, timing = { index: 0, query: 0, searchable: 0 };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function show(query) {
    var started = performance.now();
    list.replaceChildren();
    if (!query) { status.textContent = number(documents.length) + " pages indexed."; return []; }
    var hits = index.search(query);
    var fragment = document.createDocumentFragment();
    hits.slice(0, LIMIT).forEach(function (hit) {
      var doc = documents[hit.id], item = el("li");
      var link = el("a", doc[TITLE]);
      link.href = doc[URL];
      item.appendChild(link);
      item.appendChild(el("span", " " + doc[KIND], "kind"));
      if (doc[EXTRA]) {
        var extra = el("a", "appendix", "extra");
        extra.href = doc[EXTRA];
        item.appendChild(document.createTextNode(" · "));
        item.appendChild(extra);
      }
      if (doc[TEXT]) item.appendChild(el("div", doc[TEXT], "text"));
      fragment.appendChild(item);
    });
    list.appendChild(fragment);
    status.textContent = hits.length
      ? number(hits.length) + " pages match" + (hits.length > LIMIT ? "; the first " + LIMIT + " are shown." : ".")
      : "No page matches.";
    timing.query = performance.now() - started;
    return hits;
  }

  function number(n) { return n.toLocaleString("en-US"); }

  function search() {
    var query = box.value.trim();
    var url = query ? "?q=" + encodeURIComponent(query) : location.pathname;
    if (location.search !== (query ? "?q=" + encodeURIComponent(query) : "")) history.replaceState(null, "", url);
    if (ready) show(query);
  }

  box.value = new URLSearchParams(location.search).get("q") || "";
  box.addEventListener("input", search);
  status.textContent = "Indexing " + number(documents.length) + " pages…";
  timing.firstRender = performance.now();
  var started = performance.now();
  var positions = new Array(documents.length);
  for (var i = 0; i < documents.length; i++) positions[i] = i;
  index.addAllAsync(positions, { chunkSize: 5000 }).then(function () {
    timing.index = performance.now() - started;
    ready = true;
    show(box.value.trim());
    timing.searchable = performance.now() + (list.offsetHeight * 0); // from navigation start, results laid out
    document.documentElement.dataset.ready = "true";
  });
  window.basketSearchView = {
    search: function (query) { box.value = query; search(); return list.children.length; },
    timing: function () { return timing; }
  };
})();
