// Keyboard shortcuts (as feed readers have them) and filters that apply when a choice changes.
// A file of its own: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var base = document.documentElement.dataset.base || "/console";
  var keys = { i: "/incidents", m: "/map", f: "/feeds", d: "/deliveries" };
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) { return; }
    if (event.key === "/") {
      var search = document.querySelector("#filters input[name=q]");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (Object.prototype.hasOwnProperty.call(keys, event.key)) {
      var query = event.key === "i" || event.key === "m" ? window.location.search : "";
      window.location.assign(base + keys[event.key] + query.replace(/([?&])page=\d+&?/, "$1"));
    }
  });
  var form = document.getElementById("filters");
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }
}());
