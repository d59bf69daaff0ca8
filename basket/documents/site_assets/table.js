/* basket site tables (roster, readiness, evidence, gaps): sort, filter by facet and by text, one page
   of rows at a time, from the data file the page loaded before this script (window.basketTable; its
   format is described in basket/documents/site_tables.py).

   Scale: only the rows of the current page are in the DOM. Sorting computes one permutation per
   column and keeps it, so a second sort by that column and every filter after it are one pass over
   the rows. Facet cells are indexes into sorted values, so they compare as integers; the data file
   brings the permutation of each text column (data.orders), since sorting 100,000 strings here takes
   about 200 ms.
   The state lives in the URL fragment (#gene=CPS1&sort=-variant&page=2): links can open a
   table filtered, and the back button and reload keep it. Every value reaches the page through
   textContent or an href attribute, never as HTML. */
(function () {
  "use strict";
  var data = window.basketTable;
  var columns = data.columns, rows = data.rows, total = rows.length;
  var byKey = {};
  columns.forEach(function (column, index) { byKey[column.key] = index; });
  var shown = [], facets = [];
  columns.forEach(function (column, index) {
    if (column.hidden) return;
    shown.push(index);
    if (column.facet) facets.push(index);
  });
  var PAGE_SIZES = [50, 100, 500];
  var state = { filters: {}, q: "", sort: -1, desc: false, page: 1, size: 100 };
  var permutations = {}; // column -> row indexes sorted ascending by that column
  var haystack = null;   // lower-cased text of each row, made on the first text filter
  var result = [];        // row indexes that pass the filters, in display order
  var counts = {};        // facet column -> count per value under the other filters

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function number(n) { return n.toLocaleString("en-US"); }
  function pageName(id) { return String(id).replace(/:/g, "~"); } // as site_pages.page_name
  function text(column, cell) {
    var spec = columns[column];
    if (spec.facet) return spec.values[cell];
    return cell === null || cell === undefined ? "" : String(cell);
  }

  function permutation(column) {
    if (permutations[column]) return permutations[column];
    if (data.orders && data.orders[column]) return (permutations[column] = data.orders[column]); // text: sorted by Python
    var keys = new Array(total), order = new Array(total), i;
    for (i = 0; i < total; i++) { keys[i] = rows[i][column]; order[i] = i; }
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      return x < y ? -1 : (x > y ? 1 : a - b);
    });
    permutations[column] = order;
    return order;
  }

  function buildHaystack() {
    haystack = new Array(total);
    for (var i = 0; i < total; i++) {
      var parts = [];
      for (var k = 0; k < shown.length; k++) parts.push(text(shown[k], rows[i][shown[k]]));
      haystack[i] = parts.join("\u0001").toLowerCase();
    }
  }

  /* One pass: the rows that pass every filter, and for each facet the counts of its values among
     the rows that pass every other filter (so a facet shows what choosing another value would give). */
  function filter() {
    var active = facets.filter(function (f) { return state.filters[f] !== undefined; });
    var wanted = active.map(function (f) { return state.filters[f]; });
    var query = state.q.toLowerCase();
    if (query && !haystack) buildHaystack();
    facets.forEach(function (f) { counts[f] = new Int32Array(columns[f].values.length); });
    var order = state.sort >= 0 ? permutation(state.sort) : null;
    var out = [];
    for (var k = 0; k < total; k++) {
      var i = order ? order[state.desc ? total - 1 - k : k] : k;
      if (query && haystack[i].indexOf(query) === -1) continue;
      var row = rows[i], failed = -1, failures = 0;
      for (var a = 0; a < active.length; a++) {
        if (row[active[a]] !== wanted[a]) { failures++; failed = active[a]; if (failures > 1) break; }
      }
      if (failures > 1) continue;
      if (failures === 1) { counts[failed][row[failed]]++; continue; }
      for (var f = 0; f < facets.length; f++) counts[facets[f]][row[facets[f]]]++;
      out.push(i);
    }
    result = out;
  }

  // ---- drawing -------------------------------------------------------------------------------
  var root = document.getElementById("table-root");
  var controls = el("div", null, "controls");
  var search = el("input");
  search.type = "search";
  search.placeholder = "Filter rows (any column)";
  search.setAttribute("aria-label", "Filter rows");
  controls.appendChild(search);
  var selects = {};
  facets.forEach(function (f) {
    var label = el("label", columns[f].label + " ");
    var select = el("select");
    select.dataset.column = columns[f].key;
    label.appendChild(select);
    controls.appendChild(label);
    selects[f] = select;
    select.addEventListener("change", function () {
      if (select.value === "") delete state.filters[f]; else state.filters[f] = Number(select.value);
      state.page = 1;
      update();
    });
  });
  var clear = el("button", "Clear filters");
  clear.type = "button";
  controls.appendChild(clear);
  var summary = el("p", null, "summary");
  summary.setAttribute("aria-live", "polite");
  var table = el("table", null, "data");
  var head = el("thead"), body = el("tbody");
  var headRow = el("tr");
  var headers = {};
  shown.forEach(function (c) {
    var th = el("th");
    var button = el("button", columns[c].label, "sort");
    button.type = "button";
    button.dataset.column = columns[c].key;
    button.addEventListener("click", function () {
      if (state.sort === c) state.desc = !state.desc; else { state.sort = c; state.desc = false; }
      state.page = 1;
      update();
    });
    th.appendChild(button);
    headers[c] = th;
    headRow.appendChild(th);
  });
  head.appendChild(headRow);
  table.appendChild(head);
  table.appendChild(body);
  var pager = el("nav", null, "pager");
  pager.setAttribute("aria-label", "Pages");
  var first = el("button", "« First"), prev = el("button", "‹ Previous"), position = el("span"),
      next = el("button", "Next ›"), last = el("button", "Last »"), size = el("select");
  PAGE_SIZES.forEach(function (n) { var o = el("option", n + " rows per page"); o.value = n; size.appendChild(o); });
  [first, prev, position, next, last, size].forEach(function (node) { pager.appendChild(node); });
  [first, prev, next, last].forEach(function (b) { b.type = "button"; });
  root.replaceChildren(controls, summary, table, pager);

  function pages() { return Math.max(1, Math.ceil(result.length / state.size)); }
  first.addEventListener("click", function () { state.page = 1; draw(); });
  prev.addEventListener("click", function () { state.page = Math.max(1, state.page - 1); draw(); });
  next.addEventListener("click", function () { state.page = Math.min(pages(), state.page + 1); draw(); });
  last.addEventListener("click", function () { state.page = pages(); draw(); });
  size.addEventListener("change", function () { state.size = Number(size.value); state.page = 1; draw(); });
  clear.addEventListener("click", function () { state.filters = {}; state.q = ""; state.page = 1; update(); });
  var typing = 0;
  search.addEventListener("input", function () {
    cancelAnimationFrame(typing);
    typing = requestAnimationFrame(function () { state.q = search.value.trim(); state.page = 1; update(); });
  });

  function cell(row, c) {
    var spec = columns[c], value = text(c, row[c]), td = el("td");
    if (spec.status) td.className = value.replace(/ /g, "_");
    var href = spec.link ? spec.link + pageName(value) + ".html" : (spec.href ? row[byKey[spec.href]] : "");
    if (href && value) {
      var a = el("a", value);
      a.href = href;
      td.appendChild(a);
    } else {
      td.textContent = value;
    }
    return td;
  }

  function draw() {
    state.page = Math.min(Math.max(1, state.page), pages());
    var start = (state.page - 1) * state.size, end = Math.min(result.length, start + state.size);
    var fragment = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var row = rows[result[k]], tr = el("tr");
      for (var s = 0; s < shown.length; s++) tr.appendChild(cell(row, shown[s]));
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    summary.textContent = result.length === total
      ? number(total) + " rows."
      : number(result.length) + " of " + number(total) + " rows match.";
    if (result.length) summary.textContent += " Showing " + number(start + 1) + "–" + number(end) + ".";
    position.textContent = "Page " + number(state.page) + " of " + number(pages());
    first.disabled = prev.disabled = state.page <= 1;
    next.disabled = last.disabled = state.page >= pages();
    size.value = String(state.size);
    writeHash();
  }

  function drawControls() {
    if (search.value.trim() !== state.q) search.value = state.q;
    facets.forEach(function (f) {
      var select = selects[f], values = columns[f].values, options = [el("option", "all")];
      options[0].value = "";
      for (var v = 0; v < values.length; v++) {
        var option = el("option", values[v] + " (" + number(counts[f][v]) + ")");
        option.value = String(v);
        option.disabled = counts[f][v] === 0 && state.filters[f] !== v;
        options.push(option);
      }
      select.replaceChildren.apply(select, options);
      select.value = state.filters[f] === undefined ? "" : String(state.filters[f]);
    });
    shown.forEach(function (c) {
      var sorted = state.sort === c;
      headers[c].setAttribute("aria-sort", sorted ? (state.desc ? "descending" : "ascending") : "none");
      headers[c].firstChild.textContent = columns[c].label + (sorted ? (state.desc ? " ▼" : " ▲") : "");
    });
  }

  var timing = { filter: 0, draw: 0 };
  function update() {
    var started = performance.now();
    filter();
    var filtered = performance.now();
    drawControls();
    draw();
    timing = { filter: filtered - started, draw: performance.now() - filtered };
  }

  // ---- the URL fragment ------------------------------------------------------------------------
  function writeHash() {
    var params = new URLSearchParams();
    facets.forEach(function (f) {
      if (state.filters[f] !== undefined) params.set(columns[f].key, columns[f].values[state.filters[f]]);
    });
    if (state.q) params.set("q", state.q);
    if (state.sort >= 0) params.set("sort", (state.desc ? "-" : "") + columns[state.sort].key);
    if (state.page > 1) params.set("page", String(state.page));
    if (state.size !== 100) params.set("size", String(state.size));
    var hash = params.toString();
    if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname);
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    state = { filters: {}, q: params.get("q") || "", sort: -1, desc: false, page: 1, size: 100 };
    facets.forEach(function (f) {
      var wanted = params.get(columns[f].key);
      var code = wanted === null ? -1 : columns[f].values.indexOf(wanted);
      if (code >= 0) state.filters[f] = code;
    });
    var sort = params.get("sort") || "";
    var desc = sort.charAt(0) === "-", key = desc ? sort.slice(1) : sort;
    if (key in byKey && !columns[byKey[key]].hidden) { state.sort = byKey[key]; state.desc = desc; }
    state.page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    var wantedSize = parseInt(params.get("size"), 10);
    if (PAGE_SIZES.indexOf(wantedSize) >= 0) state.size = wantedSize;
  }

  window.addEventListener("hashchange", function () { readHash(); update(); });
  readHash();
  update();
  var firstRender = performance.now() + (root.offsetHeight * 0); // laid out, measured from navigation start
  document.documentElement.dataset.ready = "true";
  // the text of every row for the filter box, made once the first page is on screen
  setTimeout(function () { if (!haystack) buildHaystack(); }, 0);
  window.basketTableView = {
    firstRender: function () { return firstRender; },
    state: function () { return JSON.parse(JSON.stringify(state)); },
    timing: function () { return timing; },
    rows: function () { return result.length; },
    set: function (key, value) { // for tests and the console: choose a facet value by its text
      var f = byKey[key];
      var code = columns[f].values.indexOf(value);
      if (code < 0) delete state.filters[f]; else state.filters[f] = code;
      state.page = 1;
      update();
    },
    sortBy: function (key, desc) { state.sort = byKey[key]; state.desc = !!desc; state.page = 1; update(); },
    query: function (q) { state.q = q; state.page = 1; update(); }
  };
})();
