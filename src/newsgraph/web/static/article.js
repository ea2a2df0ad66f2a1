// Article page: show the record behind a highlight on hover, keep it on click, and mark the
// span a digest's evidence link points at (#span-START-END). Builds DOM with textContent only:
// every string here comes from article text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("annotations").textContent);
  var panel = document.getElementById("details");
  var text = document.getElementById("text");
  var pinned = null;

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function card(a) {
    var box = el("div", "card");
    var head = el("h3", "hl-" + a.type);
    head.textContent = a.type + ": " + a.title;
    box.appendChild(head);
    var list = el("dl");
    Object.keys(a.fields).forEach(function (key) {
      var value = a.fields[key];
      if (value === null || value === undefined || value === "") return;
      list.appendChild(el("dt", null, key));
      list.appendChild(el("dd", null, value));
    });
    box.appendChild(list);
    if (a.evidence) box.appendChild(el("blockquote", null, a.evidence));
    if (a.link && a.link.charAt(0) === "/" && a.link.charAt(1) !== "/") {
      var link = el("a", null, a.type === "actor" ? "actor page →" : "records (JSON) →");
      link.href = a.link;
      box.appendChild(link);
    }
    return box;
  }

  function show(span) {
    var ids = (span.getAttribute("data-ann") || "").split(" ");
    panel.replaceChildren();
    var seen = {};
    ids.forEach(function (id) {
      var a = data[id];
      if (!a) return;
      var key = a.type === "cue" || a.type === "source" || a.type === "claim" ? id.replace(/-(p\d+|cue|src)$/, "") + a.type : id;
      if (seen[key]) return;
      seen[key] = true;
      panel.appendChild(card(a));
    });
  }

  function activate(span, pin) {
    if (pin) {
      if (pinned) pinned.classList.remove("active");
      pinned = span === pinned ? null : span;
      if (pinned) pinned.classList.add("active");
    }
    show(span);
  }

  text.addEventListener("mouseover", function (ev) {
    var span = ev.target.closest("[data-ann]");
    if (span && !pinned) show(span);
  });
  text.addEventListener("click", function (ev) {
    var span = ev.target.closest("[data-ann]");
    if (span) activate(span, true);
  });
  text.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var span = ev.target.closest("[data-ann]");
    if (span) { ev.preventDefault(); activate(span, true); }
  });

  function markTarget() {
    var match = /^#span-(\d+)-(\d+)$/.exec(window.location.hash);
    text.querySelectorAll(".target").forEach(function (n) { n.classList.remove("target"); });
    if (!match) return;
    var start = Number(match[1]), end = Number(match[2]), first = null;
    text.querySelectorAll("[data-start]").forEach(function (n) {
      var s = Number(n.getAttribute("data-start"));
      if (s >= start && s < end) { n.classList.add("target"); if (!first) first = n; }
    });
    if (first) first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();
})();
