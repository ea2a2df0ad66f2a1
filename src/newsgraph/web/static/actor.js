// Actor page: the relation graph with Cytoscape.js (shipped in /static/vendor, never a CDN).
// Node labels come from article text; Cytoscape draws them on a canvas, never as HTML.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!box || !source || typeof cytoscape !== "function") return;
  var elements = JSON.parse(source.textContent);
  if (!elements.length) { box.textContent = "No relations to draw."; return; }
  var cy = cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.3,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom",
        "text-margin-y": 4, "background-color": "#8aa4d6", "width": 22, "height": 22, "color": "#1d2330" } },
      { selector: "node[kind = 'state']", style: { "background-color": "#e0a458", "shape": "round-rectangle" } },
      { selector: "node[kind = 'person']", style: { "background-color": "#6d95d8" } },
      { selector: "node[kind = 'organisation']", style: { "background-color": "#7fb77e", "shape": "diamond" } },
      { selector: "node[?focus]", style: { "width": 34, "height": 34, "border-width": 3, "border-color": "#2451a6",
        "font-weight": "bold" } },
      { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "width": "mapData(weight, 1, 10, 1.5, 6)",
        "line-color": "#a9b1bf", "target-arrow-color": "#a9b1bf", "opacity": 0.85 } },
      { selector: "edge[tone = 'cooperation']", style: { "line-color": "#4c9a52", "target-arrow-color": "#4c9a52" } },
      { selector: "edge[tone = 'conflict']", style: { "line-color": "#c7463c", "target-arrow-color": "#c7463c" } }
    ],
    layout: { name: "cose", animate: false, padding: 30, nodeRepulsion: 9000, randomize: false }
  });
  cy.on("tap", "node", function (ev) {
    var id = ev.target.data("actor");
    if (typeof id === "number") window.location.href = "/actors/" + id;
  });
  box.setAttribute("data-ready", "true");
})();
