// "Copy" buttons beside the citations: shown only when the page can copy (progressive
// enhancement; without script the text stays selectable in its <pre>).
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // http:// pages other than localhost have no Clipboard API: the older way.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy"));
    if (!box) return;
    var text = box.querySelector("pre");
    var status = box.querySelector(".copied");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(text.textContent).then(function () {
        if (status) status.textContent = button.getAttribute("data-done") || "✓";
        box.setAttribute("data-copied", "true");
      }, function () {
        window.getSelection().selectAllChildren(text);
      });
    });
  });
})();
