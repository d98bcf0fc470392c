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
  // A failed form: the error summary at the top of the page takes the focus, so that a screen
  // reader reads it and the keyboard starts there; each of its links moves the focus to the
  // field it names (an anchor alone scrolls but leaves the focus behind).
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-link]");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("data-error-link"));
    if (field && field.hidden) {  // a select replaced by its search box (lookup, below)
      field = document.getElementById(field.id + "_search") || field;
    }
    if (!field) { return; }
    event.preventDefault();
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
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
        var bar = element.querySelector("progress[data-poll-progress]");
        if (bar && typeof data.percent === "number") { bar.value = data.percent; }
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

  // Search-as-you-type where a person or a case is chosen: <input data-lookup="URL"> (a case
  // number typed in) or <select data-lookup="URL"> (a short select of recent people). The
  // typed text is posted (names and ID numbers stay out of addresses) and a page of choices
  // comes back; "More results" fetches the next page. ARIA combobox pattern: arrow keys move,
  // Enter chooses, Escape closes. Without JavaScript the input or the select works as it is.
  var lookupCount = 0;
  function csrfToken(element) {
    var field = element.form && element.form.querySelector("[name=csrfmiddlewaretoken]");
    if (field) { return field.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function lookup(source) {
    var isSelect = source.tagName === "SELECT";
    var number = ++lookupCount;
    var input = source;
    var wrapper = document.createElement("div");
    wrapper.className = "lookup";
    if (isSelect) {
      input = document.createElement("input");
      input.type = "text";
      input.id = (source.id || "lookup" + number) + "_search";
      input.autocomplete = "off";
      input.spellcheck = false;
      var chosen = source.options[source.selectedIndex];
      input.value = chosen && chosen.value ? chosen.text : "";
      var label = source.id && document.querySelector("label[for='" + source.id + "']");
      if (label) { label.htmlFor = input.id; }
      input.required = source.required;
      source.required = false;
      source.hidden = true;
      source.setAttribute("aria-hidden", "true");
      source.tabIndex = -1;
      source.parentNode.insertBefore(wrapper, source);
      wrapper.appendChild(input);
    } else {
      input.removeAttribute("list");
      source.parentNode.insertBefore(wrapper, source);
      wrapper.appendChild(source);
    }
    var list = document.createElement("ul");
    list.id = "lookup" + number + "_list";
    list.className = "lookup__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var hint = document.createElement("span");
    hint.id = "lookup" + number + "_hint";
    hint.className = "visually-hidden";
    hint.textContent = source.getAttribute("data-lookup-hint") || "";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(list);
    wrapper.appendChild(hint);
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    var items = [], active = -1, page = 1, query = "", timer = null, asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      if (item.more) { fetchPage(page + 1); return; }
      if (isSelect) {
        var option = source.querySelector("option[value='" + item.value + "']");
        if (!option) {
          option = document.createElement("option");
          option.value = item.value;
          option.textContent = item.label;
          source.appendChild(option);
        }
        source.value = item.value;
        input.value = item.label;
        source.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        input.value = item.value;
      }
      close();
    }
    function render(data, append) {
      if (!append) { items = []; list.innerHTML = ""; }
      var more = list.querySelector(".lookup__more");
      if (more) { list.removeChild(more); items.pop(); }
      data.results.forEach(function (result) {
        var option = document.createElement("li");
        option.id = list.id + "_" + items.length;
        option.className = "lookup__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.label;
        var detail = document.createElement("span");
        detail.className = "lookup__detail";
        detail.textContent = result.detail || "";
        option.appendChild(detail);
        items.push(result);
        list.appendChild(option);
      });
      if (data.has_next) {
        var next = document.createElement("li");
        next.id = list.id + "_" + items.length;
        next.className = "lookup__option lookup__more";
        next.setAttribute("role", "option");
        next.setAttribute("aria-selected", "false");
        next.textContent = source.getAttribute("data-lookup-more") || "…";
        items.push({ more: true });
        list.appendChild(next);
      }
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "lookup__empty muted";
        empty.textContent = source.getAttribute("data-lookup-empty") || "";
        list.appendChild(empty);
      }
      page = data.page;
      status.textContent = items.length ? String(data.results.length) : empty.textContent;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function fetchPage(wanted) {
      var body = new FormData();
      body.append("q", query);
      body.append("page", String(wanted));
      var ticket = ++asked;
      fetch(source.getAttribute("data-lookup"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(source), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (ticket !== asked) { return; }
        var from = items.length - 1;
        render(data, wanted > 1);
        if (wanted > 1) { highlight(Math.max(from, 0)); }
      }).catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      query = input.value.trim();
      if (isSelect) { source.value = ""; }
      window.clearTimeout(timer);
      if (query.length < 2) { close(); return; }
      timer = window.setTimeout(function () { fetchPage(1); }, 250);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && query.length >= 2) { fetchPage(1); return; }
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) { highlight(active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (!option) { return; }
      event.preventDefault();
      var index = Array.prototype.indexOf.call(list.querySelectorAll("[role=option]"), option);
      choose(index);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    rememberFilters();
    focusErrorSummary();
    document.querySelectorAll("[data-poll-url]").forEach(poll);
    document.querySelectorAll("input[data-lookup], select[data-lookup]").forEach(lookup);
  });
})();
