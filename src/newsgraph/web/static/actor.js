// The relation graph of the actor and /graph pages, drawn with Cytoscape.js (shipped in
// /static/vendor, never a CDN). Node labels come from article text; Cytoscape draws them on a
// canvas, never as HTML. Node size follows how much weight meets at it; with many nodes the
// labels of the small ones show only when zoomed in, so hundreds of nodes stay readable.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!box || !source || typeof cytoscape !== "function") return;
  var elements = JSON.parse(source.textContent);
  if (!elements.length) { box.textContent = "No relations to draw."; return; }
  var nodes = elements.filter(function (e) { return !e.data.source; }).length;
  var busiest = 1;
  elements.forEach(function (e) { if (!e.data.source && e.data.degree > busiest) busiest = e.data.degree; });
  var big = nodes > 60;
  var cy = cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.1,
    maxZoom: 2.5,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom",
        "text-margin-y": 3, "background-color": "#8aa4d6", "color": "#1d2330",
        "width": "mapData(degree, 0, " + busiest + ", 12, 40)", "height": "mapData(degree, 0, " + busiest + ", 12, 40)",
        "min-zoomed-font-size": big ? 9 : 0, "text-background-color": "#ffffff", "text-background-opacity": 0.7 } },
      { selector: "node[kind = 'state']", style: { "background-color": "#e0a458", "shape": "round-rectangle" } },
      { selector: "node[kind = 'person']", style: { "background-color": "#6d95d8" } },
      { selector: "node[kind = 'organisation']", style: { "background-color": "#7fb77e", "shape": "diamond" } },
      { selector: "node[?focus]", style: { "border-width": 3, "border-color": "#2451a6", "font-weight": "bold",
        "min-zoomed-font-size": 0 } },
      { selector: "edge", style: { "curve-style": big ? "haystack" : "bezier", "target-arrow-shape": big ? "none" : "triangle",
        "width": "mapData(weight, 1, 20, 1, 7)", "line-color": "#a9b1bf", "target-arrow-color": "#a9b1bf",
        "opacity": big ? 0.55 : 0.85 } },
      { selector: "edge[tone = 'cooperation']", style: { "line-color": "#4c9a52", "target-arrow-color": "#4c9a52" } },
      { selector: "edge[tone = 'conflict']", style: { "line-color": "#c7463c", "target-arrow-color": "#c7463c" } },
      { selector: "node.faded, edge.faded", style: { "opacity": 0.15 } }
    ],
    layout: { name: "cose", animate: false, padding: 30, randomize: false, nodeRepulsion: big ? 40000 : 9000,
      idealEdgeLength: big ? 60 : 50, numIter: big ? 600 : 1000, componentSpacing: 60 }
  });
  cy.on("tap", "node", function (ev) {
    var id = ev.target.data("actor");
    if (typeof id === "number") window.location.href = "/actors/" + id;
  });
  // hovering an actor fades everything but its own relations
  cy.on("mouseover", "node", function (ev) {
    var keep = ev.target.closedNeighborhood();
    cy.elements().not(keep).addClass("faded");
  });
  cy.on("mouseout", "node", function () { cy.elements().removeClass("faded"); });
  box.setAttribute("data-ready", "true");
  box.setAttribute("data-nodes", String(nodes));
})();
