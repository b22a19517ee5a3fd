// The mail-text editor works without JavaScript; this only asks before leaving the page with
// changes that are neither kept as a draft nor put into use. A page the server shows after
// "Voorbeeld" or "Alleen controleren" (data-bewaard="nee") holds such changes already.
(function () {
  "use strict";
  var form = document.getElementById("tekst-bewerken");
  if (!form) { return; }
  var fields = Array.prototype.filter.call(form.querySelectorAll("input[type=text], textarea"), function (field) {
    return /^(onderwerp|tekst)_/.test(field.name);
  });
  var start = fields.map(function (field) { return field.value; });
  var unsaved = form.getAttribute("data-bewaard") === "nee";
  var leaving = false;

  function changed() {
    return unsaved || fields.some(function (field, index) { return field.value !== start[index]; });
  }

  // Sending the form (any of its buttons) is not leaving: the server keeps or shows the text.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (each) {
    each.addEventListener("submit", function () { leaving = true; });
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && changed()) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-vraag") || "";
    }
  });
}());
