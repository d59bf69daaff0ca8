/* basket graph viewer: the program graph, opened at ±HOPS around one node.
   Only that neighbourhood is handed to Cytoscape (capped at LIMIT nodes), so a program of
   10,000 nodes stays responsive. Every program string reaches the page through textContent
   or Cytoscape's canvas labels, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, HOPS = data.hops, LIMIT = data.limit;
  var byId = new Map();
  nodes.forEach(function (n, i) { byId.set(n.id, i); });
  var adjacency = nodes.map(function () { return []; });
  edges.forEach(function (e, k) { adjacency[e[0]].push(k); adjacency[e[1]].push(k); });
  var lowered = nodes.map(function (n) { return (n.label + " " + n.id).toLowerCase(); });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function neighbourhood(start, hops, limit) {
    var dist = new Map([[start, 0]]), queue = [start], hidden = 0;
    for (var q = 0; q < queue.length; q++) {
      var here = queue[q], d = dist.get(here);
      if (d >= hops) continue;
      var list = adjacency[here];
      for (var j = 0; j < list.length; j++) {
        var e = edges[list[j]], other = e[0] === here ? e[1] : e[0];
        if (dist.has(other)) continue;
        if (dist.size >= limit) { hidden++; continue; }
        dist.set(other, d + 1);
        queue.push(other);
      }
    }
    return { dist: dist, hidden: hidden };
  }

  var cy = cytoscape({
    container: document.getElementById("graph"),
    elements: [],
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
          "background-color": "data(colour)", "label": "data(label)", "font-size": 9,
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": "120px",
          "width": 18, "height": 18, "border-width": 1, "border-color": "#555" } },
      { selector: "node.centre", style: { "width": 30, "height": 30, "border-width": 3, "font-weight": "bold" } },
      { selector: "node.match", style: { "border-color": "#d00", "border-width": 3 } },
      { selector: "node:selected", style: { "border-color": "#0a58ca", "border-width": 4 } },
      { selector: "edge", style: {
          "width": 1, "line-color": "#b5b5b5", "target-arrow-color": "#b5b5b5",
          "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": "bezier" } }
    ]
  });

  var status = document.getElementById("status");
  var details = document.getElementById("details");
  var results = document.getElementById("results");
  var centre = null;

  function show(index) {
    centre = index;
    var found = neighbourhood(index, HOPS, LIMIT);
    var elements = [];
    found.dist.forEach(function (d, i) {
      var n = nodes[i];
      elements.push({ group: "nodes", data: { id: "n" + i, index: i, label: n.label, kind: n.kind,
        colour: data.colours[n.kind] || "#dddddd", rank: HOPS - d }, classes: i === index ? "centre" : "" });
    });
    edges.forEach(function (e, k) {
      if (found.dist.has(e[0]) && found.dist.has(e[1])) {
        elements.push({ group: "edges", data: { id: "e" + k, source: "n" + e[0], target: "n" + e[1], rel: e[2] } });
      }
    });
    cy.batch(function () { cy.elements().remove(); cy.add(elements); });
    cy.layout({ name: "concentric", animate: false, minNodeSpacing: 50, avoidOverlap: true, spacingFactor: 1.1,
      concentric: function (node) { return node.data("rank"); }, levelWidth: function () { return 1; } }).run();
    cy.fit(undefined, 30);
    status.textContent = "Showing " + found.dist.size + " of " + nodes.length + " nodes within " + HOPS +
      " hops of " + nodes[index].label + (found.hidden ? " (" + found.hidden + " more not drawn; open a node to go further)" : "") + ".";
    describe(index);
  }

  function describe(index) {
    var n = nodes[index];
    details.replaceChildren();
    details.appendChild(el("h2", n.label));
    var table = el("table");
    [["id", n.id], ["kind", n.kind]].concat(n.attrs).forEach(function (pair) {
      var row = el("tr");
      row.appendChild(el("th", pair[0]));
      row.appendChild(el("td", pair[1]));
      table.appendChild(row);
    });
    details.appendChild(table);
    if (index !== centre) {
      var open = el("button", "Open the neighbourhood of this node");
      open.addEventListener("click", function () { show(index); });
      details.appendChild(open);
    }
    details.appendChild(el("h3", "Links (" + adjacency[index].length + ")"));
    var list = el("ul");
    adjacency[index].slice(0, 200).forEach(function (k) {
      var e = edges[k], out = e[0] === index, other = out ? e[1] : e[0];
      var item = el("li");
      item.appendChild(el("span", out ? e[2] + " → " : "← " + e[2] + " ", "rel"));
      var link = el("button", nodes[other].label, "link");
      link.addEventListener("click", function () { show(other); });
      item.appendChild(link);
      list.appendChild(item);
    });
    details.appendChild(list);
    if (adjacency[index].length > 200) details.appendChild(el("p", "… and " + (adjacency[index].length - 200) + " more."));
  }

  function search(query) {
    query = query.trim().toLowerCase();
    results.replaceChildren();
    cy.nodes().removeClass("match");
    if (!query) return [];
    var hits = [];
    for (var i = 0; i < nodes.length && hits.length < 50; i++) {
      if (lowered[i].indexOf(query) !== -1) hits.push(i);
    }
    hits.forEach(function (i) {
      var item = el("li");
      var button = el("button", nodes[i].label, "link");
      button.addEventListener("click", function () { show(i); });
      item.appendChild(button);
      item.appendChild(el("span", " " + nodes[i].kind, "kind"));
      results.appendChild(item);
      var drawn = cy.getElementById("n" + i);
      if (drawn.length) drawn.addClass("match");
    });
    if (!hits.length) results.appendChild(el("li", "No node matches."));
    return hits;
  }

  cy.on("tap", "node", function (event) { describe(event.target.data("index")); });
  cy.on("dbltap", "node", function (event) { show(event.target.data("index")); });
  var box = document.getElementById("search");
  box.addEventListener("input", function () { search(box.value); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var hits = search(box.value); if (hits.length) show(hits[0]); }
  });

  var legend = document.getElementById("legend");
  Object.keys(data.colours).forEach(function (kind) {
    var item = el("li");
    var swatch = el("span", "", "swatch");
    swatch.style.backgroundColor = data.colours[kind];
    item.appendChild(swatch);
    item.appendChild(el("span", kind));
    legend.appendChild(item);
  });

  var start = byId.has(data.focus) ? byId.get(data.focus) : 0;
  if (nodes.length) show(start); else status.textContent = "The graph is empty.";
  window.basketViewer = { cy: cy, show: show, search: search, nodeIndex: function (id) { return byId.get(id); },
    ready: true };
})();
