// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // Destructive actions ask first: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Pages that wait for background work: <div data-poll-url="…" data-poll-done="…">.
  function poll(element) {
    var url = element.getAttribute("data-poll-url");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.done) { window.location.reload(); return; }
        var label = element.querySelector("[data-poll-status]");
        if (label && data.status_label) { label.textContent = data.status_label; }
        window.setTimeout(function () { poll(element); }, 2000);
      })
      .catch(function () { window.setTimeout(function () { poll(element); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll-url]").forEach(poll);
  });
})();
