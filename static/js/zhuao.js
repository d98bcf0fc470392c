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
  // Lists remember their filters for the rest of the session (per browser tab): every
  // <form class="filters" method="get"> (key: the page's path, or data-remember="key"; opt out
  // with data-remember="off"). Coming back to the bare list URL restores the last filters;
  // a link back to the bare list from the list itself ("Clear"), or any link with
  // data-filters-reset, forgets them.
  var FILTER_PREFIX = "zhuao:filters:";
  function filterKey(form) {
    var key = form.getAttribute("data-remember");
    if (key === "off") { return null; }
    return FILTER_PREFIX + (key || window.location.pathname);
  }
  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }
  function cleanQuery(search) {
    var params = new URLSearchParams(search);
    params.delete("page");
    var kept = [];
    params.forEach(function (value, name) { if (value !== "") { kept.push([name, value]); } });
    return new URLSearchParams(kept).toString();
  }
  function rememberFilters() {
    var store = storage();
    if (!store) { return; }
    var forms = document.querySelectorAll("form.filters");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if ((form.getAttribute("method") || "get").toLowerCase() !== "get") { continue; }
      var key = filterKey(form);
      if (!key) { continue; }
      var onlyPage = new URLSearchParams(window.location.search);
      onlyPage.delete("page");
      if (window.location.search && !onlyPage.toString()) { continue; }
      if (window.location.search) {
        var query = cleanQuery(window.location.search);
        if (query) { store.setItem(key, query); } else { store.removeItem(key); }
      } else if (store.getItem(key)) {
        window.location.replace(window.location.pathname + "?" + store.getItem(key));
        return;
      }
    }
  }
  // "Clear" — a link back to the bare list from the list itself — forgets the filters too.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    var store = storage();
    if (!link || !store) { return; }
    var resets = link.hasAttribute("data-filters-reset")
      || (link.pathname === window.location.pathname && !link.search && !link.hash);
    if (!resets) { return; }
    var forms = document.querySelectorAll("form.filters");
    for (var i = 0; i < forms.length; i++) {
      var key = filterKey(forms[i]);
      if (key) { store.removeItem(key); }
    }
  });
  // On phones and tablets the menu starts folded (it is open without JavaScript).
  function foldMenu() {
    var menu = document.querySelector(".sidenav__menu");
    if (!menu || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 900px)");
    menu.open = !narrow.matches;
    narrow.addEventListener("change", function (event) { menu.open = !event.matches; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    rememberFilters();
    document.querySelectorAll("[data-poll-url]").forEach(poll);
  });
})();
