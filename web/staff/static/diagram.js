// Draws each BPMN file named in a .staff-diagram's data-src with the bpmn-js viewer (read
// only: drag to move, scroll to zoom) and outlines the elements listed in data-actief (the
// open tasks of a case) or, per marker class, in data-markers (JSON: class -> element ids; the
// changes between two versions). The same information is on the page as text.
(function () {
  "use strict";
  function show(box) {
    var failed = document.getElementById(box.getAttribute("data-fout"));
    function fail() { if (failed) { failed.hidden = false; } box.hidden = true; }
    if (typeof window.BpmnJS === "undefined" || !window.fetch) { fail(); return; }
    var viewer = new window.BpmnJS({ container: box });
    var active = (box.getAttribute("data-actief") || "").split(" ").filter(Boolean);
    var markers = {};
    try { markers = JSON.parse(box.getAttribute("data-markers") || "{}"); } catch (error) { markers = {}; }
    fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        var elements = viewer.get("elementRegistry");
        active.forEach(function (id) { if (elements.get(id)) { canvas.addMarker(id, "staff-actief"); } });
        Object.keys(markers).forEach(function (marker) {
          (markers[marker] || []).forEach(function (id) { if (elements.get(id)) { canvas.addMarker(id, marker); } });
        });
        canvas.zoom("fit-viewport");
        box.setAttribute("data-getoond", "ja");
      })
      .catch(fail);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".staff-diagram[data-src]"), show);
}());
