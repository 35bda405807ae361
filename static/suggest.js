// As-you-type suggestions: fills each search box's <datalist> from /api/suggest/.
// No library, no third party; the page works the same without it.
(function () {
  "use strict";
  document.querySelectorAll("input[type=search][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) { return; }
        last = q;
        fetch("/api/suggest/?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : [q, []]; })
          .then(function (data) {
            list.replaceChildren();
            (data[1] || []).forEach(function (text) {
              var option = document.createElement("option");
              option.value = text;  // text, never markup
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();
