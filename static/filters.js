// The search page's facets fold behind a "Filters" button on narrow screens (the CSS
// shows the button only there); without this script they simply stay open.
(function () {
  "use strict";
  document.querySelectorAll(".facets.collapsible").forEach(function (box) {
    var button = box.querySelector("button.filters-toggle");
    if (!button) { return; }
    var narrow = window.matchMedia("(max-width: 47.99rem)");
    function set(open) {
      box.classList.toggle("collapsed", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.hidden = false;
    set(!narrow.matches);
    button.addEventListener("click", function () { set(box.classList.contains("collapsed")); });
    narrow.addEventListener("change", function (e) { set(!e.matches); });
  });
})();
