// Shows the BPMN file named in the container's data-src with the bpmn-js viewer (read only:
// drag to move, scroll to zoom). The same steps are on the page as text.
(function () {
  "use strict";
  var box = document.getElementById("diagram");
  var failed = document.getElementById("diagram-fout");
  if (!box) { return; }
  function fail() { if (failed) { failed.hidden = false; } box.hidden = true; }
  if (typeof window.BpmnJS === "undefined" || !window.fetch) { fail(); return; }
  var viewer = new window.BpmnJS({ container: box });
  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      viewer.get("canvas").zoom("fit-viewport");
      box.setAttribute("data-getoond", "ja");
    })
    .catch(fail);
}());
