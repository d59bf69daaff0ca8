/* basket graph viewer: the program graph, opened at ±depth hops around one node, or, for a program
   too large to draw whole, as an overview with variants, patients and evidence counted per basket.
   Only what is shown is handed to Cytoscape (a neighbourhood is capped at LIMIT nodes), so a program
   of 100,000 nodes stays responsive. The URL fragment names what is shown (#node=variant:X&depth=2,
   or #overview), so a link can open the viewer there and reload keeps it. Every program string
   reaches the page through textContent or Cytoscape's canvas labels, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, LIMIT = data.limit;
  var MANY = { variant: true, patient: true, evidence: true }; // kinds that grow with the program
  var MAX_DEPTH = 4;
  var GROUP_AT = 12;
  var SETTLE_AT = 150; // pictures of up to this many nodes get the force-directed pass (see draw)
  var byId = new Map();
  nodes.forEach(function (n, i) { byId.set(n.id, i); });
  var adjacency = nodes.map(function () { return []; });
  edges.forEach(function (e, k) { adjacency[e[0]].push(k); adjacency[e[1]].push(k); });
  var lowered = nodes.map(function (n) { return (n.label + " " + n.id).toLowerCase(); });
  var kinds = Object.keys(data.colours);
  nodes.forEach(function (n) { if (kinds.indexOf(n.kind) < 0) kinds.push(n.kind); });
  var hiddenKinds = {};
  var depth = Math.min(Math.max(1, data.hops), MAX_DEPTH);

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function number(n) { return n.toLocaleString("en-US"); }
  function plural(n, word) { return number(n) + " " + word + (n === 1 ? "" : "s"); }

  /* The page of the site that shows a node, when the viewer is part of a site (data.pages maps a
     kind to its folder; a page is named after the id without its kind, ':' written '~'). */
  function pageOf(index) {
    var n = nodes[index], folder = data.pages && data.pages[n.kind];
    if (!folder) return "";
    return folder + n.id.slice(n.id.indexOf(":") + 1).replace(/:/g, "~") + ".html";
  }

  /* The nodes within `hops` of `start`, at most `limit`. Where one node links to more than GROUP_AT
     nodes of a kind that grows with the program (a basket's variants, a gene's variants), they are
     drawn as one group node instead of a ring of hundreds; clicking it lists them. */
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
          found.push({ kind: kind, anchor: here, rel: reached[0][1],
                       members: reached.map(function (pair) { return pair[0]; }) });
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
  var centre = null, groups = null, drawnGroups = [];

  // ---- a neighbourhood ---------------------------------------------------------------------------
  function show(index, hops) {
    if (hops !== undefined) depth = Math.min(Math.max(1, hops), MAX_DEPTH);
    depthBox.value = String(depth);
    centre = index;
    var found = neighbourhood(index, depth, LIMIT);
    var elements = [];
    found.dist.forEach(function (d, i) {
      var n = nodes[i];
      elements.push({ group: "nodes", data: { id: "n" + i, index: i, label: n.label, kind: n.kind,
        colour: data.colours[n.kind] || "#dddddd", rank: depth - d }, classes: i === index ? "centre" : "" });
    });
    found.dist.forEach(function (d, i) {
      adjacency[i].forEach(function (k) {
        var e = edges[k];
        if (e[0] === i && found.dist.has(e[1])) {
          elements.push({ group: "edges", data: { id: "e" + k, source: "n" + e[0], target: "n" + e[1], rel: e[2] } });
        }
      });
    });
    drawnGroups = found.groups;
    drawnGroups.forEach(function (group, g) {
      elements.push(groupNode(group, g, depth - found.dist.get(group.anchor) - 1)); // the ring outside its anchor
      elements.push(groupEdge(group, g));
    });
    draw(elements, found.dist.size + drawnGroups.length <= SETTLE_AT);
    var grouped = found.groups.reduce(function (sum, group) { return sum + group.members.length; }, 0);
    status.textContent = "Showing " + number(found.dist.size) + " of " + number(nodes.length) + " nodes within " +
      plural(depth, "hop") + " of " + nodes[index].label +
      (grouped ? ", " + number(grouped) + " more in " + plural(found.groups.length, "group") : "") +
      (found.hidden ? " (" + number(found.hidden) + " more not drawn; open a node to go further)" : "") + ".";
    writeHash("node=" + encodeURIComponent(nodes[index].id) + "&depth=" + depth);
    describe(index);
  }

  /* Rings by rank (the focus in the middle); a small picture (the overview, a grouped neighbourhood)
     then settles with a force-directed pass started from the rings (no random start: the same graph,
     the same picture), which puts each group beside its anchor. */
  function draw(elements, settle) {
    cy.batch(function () { cy.elements().remove(); cy.add(elements); });
    cy.layout({ name: "concentric", animate: false, minNodeSpacing: 50, avoidOverlap: true, spacingFactor: 1.1,
      concentric: function (node) { return node.data("rank"); }, levelWidth: function () { return 1; } }).run();
    if (settle) cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 40000,
      idealEdgeLength: 60, numIter: 1500 }).run();
    cy.fit(undefined, 30);
  }

  // ---- the overview: what grows with the program, counted per basket --------------------------------
  function basketOf(index, seen) {
    // the basket a variant is a member of; a patient's or an evidence item's through its variant
    var list = adjacency[index];
    for (var j = 0; j < list.length; j++) {
      var e = edges[list[j]];
      if (nodes[index].kind === "variant" && e[0] === index && e[2] === "member_of") return e[1];
    }
    for (j = 0; j < list.length; j++) {
      e = edges[list[j]];
      var other = e[0] === index ? e[1] : e[0];
      if (nodes[index].kind !== "variant" && nodes[other].kind === "variant" && !seen) return basketOf(other, true);
      if (nodes[index].kind === "evidence" && e[0] === index) return other; // about a gene, disease or the platform
    }
    return -1;
  }

  function groupNode(group, g, rank) {
    var count = group.members.length;
    return { group: "nodes", classes: "group", data: { id: "g" + g, group: g, kind: group.kind, rank: rank,
      label: number(count) + " " + group.kind + (count === 1 ? "" : (group.kind === "evidence" ? " items" : "s")),
      colour: data.colours[group.kind] || "#dddddd", size: 18 + 6 * Math.log10(count + 1) } };
  }

  function groupEdge(group, g) {
    return { group: "edges", data: { id: "ge" + g, source: "g" + g, target: "n" + group.anchor, rel: group.rel } };
  }

  function makeGroups() {
    var made = new Map(), list = [];
    nodes.forEach(function (n, i) {
      if (!MANY[n.kind]) return;
      var anchor = basketOf(i, false), key = n.kind + "@" + anchor, group = made.get(key);
      if (!group) {
        group = { kind: n.kind, anchor: anchor, members: [],
                  rel: n.kind === "variant" ? "member_of" : (n.kind === "patient" ? "carries" : "supports") };
        made.set(key, group);
        list.push(group);
      }
      group.members.push(i);
    });
    return list;
  }

  function overview() {
    if (!groups) groups = makeGroups();
    centre = null;
    var elements = [], shown = 0, RANKS = { umbrella: 5, platform: 4, disease: 3, component: 3, basket: 2 };
    nodes.forEach(function (n, i) {
      if (MANY[n.kind] || hiddenKinds[n.kind]) return;
      shown++;
      elements.push({ group: "nodes", data: { id: "n" + i, index: i, label: n.label, kind: n.kind,
        colour: data.colours[n.kind] || "#dddddd", rank: RANKS[n.kind] || 1 } });
      adjacency[i].forEach(function (k) {
        var e = edges[k];
        if (e[0] === i && !MANY[nodes[e[1]].kind] && !hiddenKinds[nodes[e[1]].kind]) {
          elements.push({ group: "edges", data: { id: "e" + k, source: "n" + e[0], target: "n" + e[1], rel: e[2] } });
        }
      });
    });
    drawnGroups = groups;
    groups.forEach(function (group, g) {
      if (hiddenKinds[group.kind]) return;
      elements.push(groupNode(group, g, 0));
      if (group.anchor >= 0 && !hiddenKinds[nodes[group.anchor].kind]) elements.push(groupEdge(group, g));
    });
    draw(elements, true);
    status.textContent = "Overview of " + number(nodes.length) + " nodes: " + number(shown) +
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

  window.addEventListener("hashchange", function () { if (location.hash.slice(1) !== written) openFromHash(); });

  // ---- controls --------------------------------------------------------------------------------
  function redraw() { if (centre === null) overview(); else show(centre); }

  cy.on("tap", "node", function (event) {
    var d = event.target.data();
    if (d.group !== undefined) describeGroup(d.group); else describe(d.index);
  });
  cy.on("dbltap", "node", function (event) {
    var d = event.target.data();
    if (d.group !== undefined) { if (drawnGroups[d.group].anchor >= 0) show(drawnGroups[d.group].anchor, 1); }
    else show(d.index);
  });
  var box = document.getElementById("search");
  box.addEventListener("input", function () { search(box.value); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var hits = search(box.value); if (hits.length) show(hits[0]); }
  });
  for (var d = 1; d <= MAX_DEPTH; d++) {
    var option = el("option", String(d));
    option.value = String(d);
    depthBox.appendChild(option);
  }
  depthBox.value = String(depth);
  depthBox.addEventListener("change", function () { depth = Number(depthBox.value); if (centre !== null) show(centre); });
  document.getElementById("overview").addEventListener("click", overview);

  var legend = document.getElementById("legend");
  kinds.forEach(function (kind) {
    var item = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = kind;
    box.addEventListener("change", function () {
      if (box.checked) delete hiddenKinds[kind]; else hiddenKinds[kind] = true;
      redraw();
    });
    var swatch = el("span", "", "swatch");
    swatch.style.backgroundColor = data.colours[kind] || "#dddddd";
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", kind));
    item.appendChild(label);
    legend.appendChild(item);
  });
  if (data.back) {
    var back = document.getElementById("back");
    back.href = data.back;
    back.hidden = false;
  }

  var start = byId.has(data.focus) ? byId.get(data.focus) : 0;
  if (!nodes.length) status.textContent = "The graph is empty.";
  else if (!openFromHash()) { if (data.overview) overview(); else show(start); }
  window.basketViewer = { cy: cy, show: show, search: search, overview: overview,
    nodeIndex: function (id) { return byId.get(id); }, ready: true };
})();
