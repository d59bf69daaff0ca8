/* basket graph viewer: the program graph, opened at ±depth hops around one node, or, for a program
   too large to draw whole, as an overview with variants, patients and evidence counted per basket.
   Only what is shown is handed to Cytoscape (a neighbourhood is capped at LIMIT nodes), so a program
   of 100,000 nodes stays responsive. The URL fragment names what is shown (#node=variant:X&depth=2,
   or #overview), so a link can open the viewer there and reload keeps it. Every program string
   reaches the page through textContent or Cytoscape's canvas labels, never as HTML.

   The whole graph (nodes, edges as [source, target, rel] rows, the overview's groups) is either
   embedded (settings.graph) or, in the site, brought after first paint by the script settings.data,
   which sets window.basketGraph. Until it arrives the page shows settings.view, the first view made
   by basket.documents.viewer_data from the same rows, and anything that needs the whole graph waits
   for it, saying so. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("graph-data").textContent);
  var LIMIT = settings.limit, TOTAL = settings.total, GROUP_AT = settings.groupAt;
  var MANY = {}; // kinds that grow with the program
  settings.many.forEach(function (kind) { MANY[kind] = true; });
  var MAX_DEPTH = settings.maxDepth;
  var SETTLE_AT = 150; // pictures of up to this many nodes get the force-directed pass (see draw): it costs
                       // about 2 s at 200 nodes on a busy 2-core machine, the concentric rings 40 ms
  var LOADING = "Loading the graph…";
  // the whole graph; until it is loaded, `nodes` and `edges` hold only the rows of the first view
  var nodes = [], edges = [], groups = [], adjacency = null, byId = null, lowered = null, loaded = false;
  var kinds = settings.kinds;
  var hiddenKinds = {};
  var depth = Math.min(Math.max(1, settings.hops), MAX_DEPTH);

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function number(n) { return n.toLocaleString("en-US"); }
  function plural(n, word) { return number(n) + " " + word + (n === 1 ? "" : "s"); }

  /* The page of the site that shows a node, when the viewer is part of a site (settings.pages maps a
     kind to its folder; a page is named after the id without its kind, ':' written '~'). */
  function pageOf(index) {
    var n = nodes[index], folder = settings.pages && settings.pages[n.kind];
    if (!folder) return "";
    return folder + n.id.slice(n.id.indexOf(":") + 1).replace(/:/g, "~") + ".html";
  }

  // ---- the whole graph, when it is in ----------------------------------------------------------------
  var pending = null; // what was asked for before the whole graph was loaded (the latest wins)

  /* Run `action` now if the whole graph is loaded, else when it is, and say that it is coming. */
  function whenLoaded(action) {
    if (loaded) return action();
    pending = action;
    status.textContent = LOADING;
    document.body.classList.add("loading");
  }

  function arrive(graph) {
    nodes = graph.nodes;
    edges = graph.edges;
    groups = graph.groups.map(function (g) { return { kind: g[0], anchor: g[1], rel: g[2], members: g[3], count: g[3].length, rank: 0 }; });
    byId = new Map();
    nodes.forEach(function (n, i) { byId.set(n.id, i); });
    adjacency = nodes.map(function () { return []; });
    edges.forEach(function (e, k) { adjacency[e[0]].push(k); adjacency[e[1]].push(k); });
    lowered = nodes.map(function (n) { return (n.label + " " + n.id).toLowerCase(); });
    loaded = true;
    document.body.classList.remove("loading");
    // what is drawn stays; its groups get their members (the first view counted them only)
    if (centre === null) drawnGroups = groups;
    else if (drawnGroups.length) drawnGroups = neighbourhood(centre, depth, LIMIT).groups;
    if (pending) { var action = pending; pending = null; action(); }
    viewer.loaded = true;
  }

  function loadGraph() {
    var script = document.createElement("script");
    script.src = settings.data;
    script.addEventListener("load", function () { arrive(window.basketGraph); });
    script.addEventListener("error", function () {
      status.textContent = "The graph's data file " + settings.data + " could not be read; only this view is shown.";
    });
    document.body.appendChild(script);
  }

  /* The nodes within `hops` of `start`, at most `limit`. Where one node links to more than GROUP_AT
     nodes of a kind that grows with the program (a basket's variants, a gene's variants), they are
     drawn as one group node instead of a ring of hundreds; clicking it lists them.
     basket.documents.viewer_data._neighbourhood_view is the same walk, for the first view. */
  function neighbourhood(start, hops, limit) {
    var dist = new Map([[start, 0]]), queue = [start], hidden = 0, found = [];
    for (var q = 0; q < queue.length; q++) {
      var here = queue[q], d = dist.get(here);
      if (d >= hops) continue;
      var byKind = {}, list = adjacency[here];
      for (var j = 0; j < list.length; j++) {
        var e = edges[list[j]], other = e[0] === here ? e[1] : e[0], kind = nodes[other].kind;
        if (dist.has(other) || hiddenKinds[kind]) continue;
        (byKind[kind] = byKind[kind] || []).push([other, e[2]]);
      }
      Object.keys(byKind).sort().forEach(function (kind) {
        var reached = byKind[kind];
        if (MANY[kind] && reached.length > GROUP_AT) {
          var members = reached.map(function (pair) { return pair[0]; });
          found.push({ kind: kind, anchor: here, rel: reached[0][1], members: members, count: members.length,
                       rank: hops - d - 1 }); // the ring outside its anchor
          return;
        }
        reached.forEach(function (pair) {
          if (dist.has(pair[0])) return;
          if (dist.size >= limit) { hidden++; return; }
          dist.set(pair[0], d + 1);
          queue.push(pair[0]);
        });
      });
    }
    return { dist: dist, groups: found, hidden: hidden };
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
      { selector: "node.group", style: { "shape": "round-rectangle", "width": "data(size)", "height": "data(size)",
          "font-weight": "bold" } },
      { selector: "node.match", style: { "border-color": "#d00", "border-width": 3 } },
      { selector: "node:selected", style: { "border-color": "#0a58ca", "border-width": 4 } },
      { selector: "edge", style: {
          "width": 1, "line-color": "#b5b5b5", "target-arrow-color": "#b5b5b5",
          "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": "bezier",
          "label": "data(rel)", "font-size": 7, "color": "#555", "text-rotation": "autorotate",
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
          "min-zoomed-font-size": 6 } }
    ]
  });

  var status = document.getElementById("status");
  var details = document.getElementById("details");
  var results = document.getElementById("results");
  var depthBox = document.getElementById("depth");
  var centre = null, drawnGroups = [];

  // ---- drawing a view: nodes [row, rank], edge rows, groups --------------------------------------------
  function drawView(view) {
    var elements = [];
    view.nodes.forEach(function (pair) {
      var i = pair[0], n = nodes[i];
      elements.push({ group: "nodes", data: { id: "n" + i, index: i, label: n.label, kind: n.kind,
        colour: settings.colours[n.kind] || "#dddddd", rank: pair[1] }, classes: i === view.centre ? "centre" : "" });
    });
    view.edges.forEach(function (k) {
      var e = edges[k];
      elements.push({ group: "edges", data: { id: "e" + k, source: "n" + e[0], target: "n" + e[1], rel: e[2] } });
    });
    drawnGroups = view.groups;
    drawnGroups.forEach(function (group, g) {
      if (hiddenKinds[group.kind]) return;
      elements.push(groupNode(group, g));
      if (group.anchor >= 0 && !hiddenKinds[nodes[group.anchor].kind]) {
        elements.push({ group: "edges", data: { id: "ge" + g, source: "g" + g, target: "n" + group.anchor, rel: group.rel } });
      }
    });
    centre = view.centre;
    draw(elements, view.nodes.length + drawnGroups.length <= SETTLE_AT);
  }

  function groupNode(group, g) {
    var count = group.count;
    return { group: "nodes", classes: "group", data: { id: "g" + g, group: g, kind: group.kind, rank: group.rank,
      label: number(count) + " " + group.kind + (count === 1 ? "" : (group.kind === "evidence" ? " items" : "s")),
      colour: settings.colours[group.kind] || "#dddddd", size: 18 + 6 * Math.log10(count + 1) } };
  }

  /* Rings by rank (the focus in the middle); a small picture (the overview of a few baskets, a grouped
     neighbourhood) then settles with a force-directed pass started from the rings (no random start: the same graph,
     the same picture), which puts each group beside its anchor. */
  function draw(elements, settle) {
    cy.batch(function () { cy.elements().remove(); cy.add(elements); });
    cy.layout({ name: "concentric", animate: false, minNodeSpacing: 50, avoidOverlap: true, spacingFactor: 1.1,
      concentric: function (node) { return node.data("rank"); }, levelWidth: function () { return 1; } }).run();
    if (settle) cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 40000,
      idealEdgeLength: 60, numIter: 1500 }).run();
    cy.fit(undefined, 30);
  }

  // ---- a neighbourhood ---------------------------------------------------------------------------
  function show(index, hops) {
    if (hops !== undefined) depth = Math.min(Math.max(1, hops), MAX_DEPTH);
    depthBox.value = String(depth);
    var found = neighbourhood(index, depth, LIMIT), view = { centre: index, nodes: [], edges: [], groups: found.groups,
      hidden: found.hidden };
    found.dist.forEach(function (d, i) { view.nodes.push([i, depth - d]); });
    found.dist.forEach(function (d, i) {
      adjacency[i].forEach(function (k) { if (edges[k][0] === i && found.dist.has(edges[k][1])) view.edges.push(k); });
    });
    drawView(view);
    describeView(view);
    describe(index);
  }

  function describeView(view) {
    var grouped = view.groups.reduce(function (sum, group) { return sum + group.count; }, 0);
    status.textContent = "Showing " + number(view.nodes.length) + " of " + number(TOTAL) + " nodes within " +
      plural(depth, "hop") + " of " + nodes[view.centre].label +
      (grouped ? ", " + number(grouped) + " more in " + plural(view.groups.length, "group") : "") +
      (view.hidden ? " (" + number(view.hidden) + " more not drawn; open a node to go further)" : "") + ".";
    writeHash("node=" + encodeURIComponent(nodes[view.centre].id) + "&depth=" + depth);
  }

  // ---- the overview: what grows with the program, counted per basket --------------------------------
  var RANKS = { umbrella: 5, platform: 4, disease: 3, component: 3, basket: 2 };

  function overview() {
    var view = { centre: null, nodes: [], edges: [], groups: groups };
    nodes.forEach(function (n, i) {
      if (MANY[n.kind] || hiddenKinds[n.kind]) return;
      view.nodes.push([i, RANKS[n.kind] || 1]);
      adjacency[i].forEach(function (k) {
        var e = edges[k];
        if (e[0] === i && !MANY[nodes[e[1]].kind] && !hiddenKinds[nodes[e[1]].kind]) view.edges.push(k);
      });
    });
    drawView(view);
    describeOverview(view);
  }

  function describeOverview(view) {
    status.textContent = "Overview of " + number(TOTAL) + " nodes: " + number(view.nodes.length) +
      " drawn, variants, patients and evidence counted per basket. Open a group or search for a node.";
    writeHash("overview");
    details.replaceChildren(el("p", "Click a group to list its members; double-click a node to open its neighbourhood."));
  }

  function describeGroup(g) {
    var group = drawnGroups[g], members = group.members;
    details.replaceChildren();
    var anchor = group.anchor >= 0 ? nodes[group.anchor].label : "no basket";
    details.appendChild(el("h2", number(members.length) + " " + group.kind + " nodes of " + anchor));
    if (group.anchor >= 0) {
      var open = el("button", "Open the neighbourhood of " + anchor);
      open.addEventListener("click", function () { show(group.anchor, 1); });
      details.appendChild(open);
    }
    var list = el("ul");
    members.slice(0, 200).forEach(function (i) {
      var item = el("li"), button = el("button", nodes[i].label, "link");
      button.addEventListener("click", function () { show(i); });
      item.appendChild(button);
      list.appendChild(item);
    });
    details.appendChild(list);
    if (members.length > 200) details.appendChild(el("p", "… and " + number(members.length - 200) + " more (search for one)."));
  }

  // ---- details of one node ----------------------------------------------------------------------
  function describe(index) {
    var n = nodes[index];
    details.replaceChildren();
    details.appendChild(el("h2", n.label));
    var page = pageOf(index);
    if (page) {
      var link = el("a", "Open its page");
      link.href = page;
      details.appendChild(link);
    }
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
    details.appendChild(el("h3", "Links (" + number(adjacency[index].length) + ")"));
    var list = el("ul");
    adjacency[index].slice(0, 200).forEach(function (k) {
      var e = edges[k], out = e[0] === index, other = out ? e[1] : e[0];
      var item = el("li");
      item.appendChild(el("span", out ? e[2] + " → " : "← " + e[2] + " ", "rel"));
      var button = el("button", nodes[other].label, "link");
      button.addEventListener("click", function () { show(other); });
      item.appendChild(button);
      list.appendChild(item);
    });
    details.appendChild(list);
    if (adjacency[index].length > 200) {
      details.appendChild(el("p", "… and " + number(adjacency[index].length - 200) + " more."));
    }
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

  // ---- the URL fragment ---------------------------------------------------------------------------
  var written = "";
  function writeHash(hash) {
    written = hash;
    if (location.hash.slice(1) !== hash) history.replaceState(null, "", "#" + hash);
  }

  function openFromHash() {
    var hash = location.hash.slice(1);
    if (hash === "overview") { overview(); return true; }
    var params = new URLSearchParams(hash);
    var wanted = params.get("node");
    if (wanted === null || !byId.has(wanted)) return false;
    show(byId.get(wanted), parseInt(params.get("depth"), 10) || depth);
    return true;
  }

  window.addEventListener("hashchange", function () {
    if (location.hash.slice(1) !== written) whenLoaded(openFromHash);
  });

  // ---- controls (each waits for the whole graph) ---------------------------------------------------
  function redraw() { if (centre === null) overview(); else show(centre); }

  cy.on("tap", "node", function (event) {
    var d = event.target.data();
    whenLoaded(function () { if (d.group !== undefined) describeGroup(d.group); else describe(d.index); });
  });
  cy.on("dbltap", "node", function (event) {
    var d = event.target.data();
    whenLoaded(function () {
      if (d.group !== undefined) { if (drawnGroups[d.group].anchor >= 0) show(drawnGroups[d.group].anchor, 1); }
      else show(d.index);
    });
  });
  var box = document.getElementById("search");
  box.addEventListener("input", function () { whenLoaded(function () { search(box.value); }); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") whenLoaded(function () { var hits = search(box.value); if (hits.length) show(hits[0]); });
  });
  for (var d = 1; d <= MAX_DEPTH; d++) {
    var option = el("option", String(d));
    option.value = String(d);
    depthBox.appendChild(option);
  }
  depthBox.value = String(depth);
  depthBox.addEventListener("change", function () {
    depth = Number(depthBox.value);
    whenLoaded(function () { if (centre !== null) show(centre); });
  });
  document.getElementById("overview").addEventListener("click", function () { whenLoaded(overview); });

  var legend = document.getElementById("legend");
  kinds.forEach(function (kind) {
    var item = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = kind;
    box.addEventListener("change", function () {
      if (box.checked) delete hiddenKinds[kind]; else hiddenKinds[kind] = true;
      whenLoaded(redraw);
    });
    var swatch = el("span", "", "swatch");
    swatch.style.backgroundColor = settings.colours[kind] || "#dddddd";
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", kind));
    item.appendChild(label);
    legend.appendChild(item);
  });
  if (settings.back) {
    var back = document.getElementById("back");
    back.href = settings.back;
    back.hidden = false;
  }

  var viewer = window.basketViewer = { cy: cy, show: show, search: search, overview: overview,
    nodeIndex: function (id) { return byId.get(id); }, ready: false, loaded: false };

  // ---- opening ----------------------------------------------------------------------------------
  /* The first view's rows: enough of `nodes` and `edges` to draw it (no attributes, no links). */
  function openFirstView(first) {
    first.nodes.forEach(function (row) { nodes[row[0]] = { id: row[1], kind: row[2], label: row[3], attrs: [] }; });
    first.edges.forEach(function (row) { edges[row[0]] = [row[1], row[2], row[3]]; });
    var view = { centre: first.centre, hidden: first.hidden,
      nodes: first.nodes.map(function (row) { return [row[0], row[4]]; }),
      edges: first.edges.map(function (row) { return row[0]; }),
      groups: first.groups.map(function (g) { return { kind: g[0], anchor: g[1], rel: g[2], count: g[3], rank: g[4] }; }) };
    drawView(view);
    if (view.centre === null) describeOverview(view);
    else { describeView(view); details.replaceChildren(el("p", LOADING)); pending = function () { describe(view.centre); }; }
  }

  /* The first view answers the URL when the URL names it (or nothing). */
  function firstViewAnswers(first) {
    var hash = location.hash.slice(1);
    if (!hash) return true;
    if (hash === "overview") return first.centre === null;
    var params = new URLSearchParams(hash);
    return first.centre !== null && params.get("node") === first.nodes[0][1] &&
      (parseInt(params.get("depth"), 10) || depth) === depth;
  }

  if (!TOTAL) status.textContent = "The graph is empty.";
  else if (settings.graph) {
    arrive(settings.graph);
    var start = byId.has(settings.focus) ? byId.get(settings.focus) : 0;
    if (!openFromHash()) { if (settings.overview) overview(); else show(start); }
  } else {
    if (firstViewAnswers(settings.view)) openFirstView(settings.view);
    else whenLoaded(function () {
      if (!openFromHash()) { if (settings.view.centre === null) overview(); else show(settings.view.centre); }
    });
    // after the load event, so that the page's first render does not wait for the whole graph
    window.addEventListener("load", function () { setTimeout(loadGraph, 0); });
  }
  viewer.ready = true;
})();
