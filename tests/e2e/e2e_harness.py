"""The officer-experience harness: every page of every role, found by following the app.

Helpers here; the fixtures are in conftest.py. Used by test_accessibility.py,
test_languages.py, test_responsive.py and test_journeys.py.

* ``demo_site`` (package scope): the whole demo data set (``seed_demo``: every workstream) in
  the test database and a live server of its own. pytest-django's ``live_server`` would make
  each test transactional and flush the database after it, so the demo data would have to be
  seeded again per test; instead the data is seeded once with the database unblocked, and the
  database is flushed when the run leaves tests/e2e (a parallel worker may run other files
  after these), so these tests leave the database as empty as they found it. On PostgreSQL
  the seeding is done once per test database: a later set-up (the worker came back to
  tests/e2e, or a module asked for ``seeded``) gets a copy of it (``full_demo``,
  tests/snapshots.py).
* ``crawler`` (package scope): one signed-in browser page per demo role, reused by every test,
  and ``crawler.survey(username, language)``: the role's pages visited once in that language
  (the language the user chose on their profile), with everything the tests look at recorded
  on the way (axe-core violations, English left in a Chinese page, horizontal scrolling at
  phone width, screenshots). Each test asserts its part of the cached survey, so the set stays
  fast however many tests read it.
* The pages are discovered, not listed: the home page, every link of the role's navigation
  (``nav.sidenav [data-nav]``), the home page's quick actions (``.tiles a.tile``), the help
  link (``[data-help]``), and, one level deeper, the first detail link of each list page
  (``.table tbody a[href]``), so every app's pages are covered as they land.
* axe-core comes from the npm registry (``package.json``; ``npm ci`` puts it in
  node_modules/). The pages' Content Security Policy allows only same-origin scripts, so
  ``page.add_script_tag`` (an inline script) is refused; the contexts load axe with
  ``context.add_init_script(path=...)``, evaluated by the browser through the DevTools protocol
  and not subject to the page's CSP, which stays in force for everything else the page does.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Artefacts (screenshots, axe and language reports); CI keeps test-results/.
RESULTS = Path(os.environ.get("ZHUAO_TEST_RESULTS", ROOT / "test-results"))
SCREENSHOTS = RESULTS / "screenshots"
REQUIRE_SERVICES = os.environ.get("ZHUAO_REQUIRE_SERVICES") == "1"

#: One demo user per role (district2, macau_backup and ngo2 hold the same roles as district,
#: macau and ngo and see the same pages).
ROLE_USERS = ["city", "district", "finance", "finwork", "macau", "hengqin", "ngo", "leader",
              "admin"]
#: Roles that do the pilot's daily work: each has at least three quick actions on its home page.
WORKING_ROLE_USERS = [name for name in ROLE_USERS if name != "admin"]
LANGUAGES = ["zh-hans", "zh-hant", "en"]
CHINESE = ["zh-hans", "zh-hant"]
#: Whose main pages are photographed in every language at both widths: the three people of the
#: issue (a district officer all day, a Macau liaison in traditional Chinese, leadership on a
#: tablet). ZHUAO_SCREENSHOT_USERS=all (or a comma list) photographs more.
_shots = os.environ.get("ZHUAO_SCREENSHOT_USERS", "district,macau,leader")
SCREENSHOT_USERS = ROLE_USERS if _shots == "all" else [u for u in _shots.split(",") if u]
PHONE, TABLET, DESKTOP = 390, 820, 1280
#: Widths checked for horizontal scrolling, per user (everyone at phone width; leadership
#: also on a tablet).
OVERFLOW_WIDTHS = {"leader": [PHONE, TABLET]}

#: Not ours to check: Django's admin, the API's generated documentation (Swagger UI/Redoc),
#: the API itself, files, and links that change the session.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout",
                    "/language/")
CREATE_PAGE = re.compile(r"/(new|create|add|import|upload)/?$")
SKIPPED_PATTERNS = re.compile(r"/(download|export|file|pdf|xlsx|csv)(/|$)|\.(pdf|xlsx|csv|zip)$",
                              re.IGNORECASE)

#: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, headings, regions).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                          "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}


def axe_available() -> bool:
    return AXE_PATH.exists()


def require_axe():
    if axe_available():
        return
    message = ("axe-core is missing: run `npm ci` at the project root (scripts/setup --test does "
               f"it); expected {AXE_PATH.relative_to(ROOT)}")
    if REQUIRE_SERVICES:
        pytest.fail("ZHUAO_REQUIRE_SERVICES=1 but " + message)
    pytest.skip(message)


# --- what the browser is asked -------------------------------------------------------------

AXE_JS = """async options => {
  if (!window.axe) { return null; }
  const result = await window.axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))}));
}"""

#: The page's structure without its text: two pages with the same skeleton give axe the same
#: answers (a list page seen by two roles with the same buttons), so axe runs once per skeleton.
SKELETON_JS = """() => {
  const parts = [];
  for (const el of document.body.querySelectorAll('*')) {
    const attrs = [];
    for (const a of el.attributes) {
      if (a.name === 'class' || a.name === 'role' || a.name === 'scope' || a.name === 'type'
          || a.name.startsWith('aria-') || a.name === 'for' || a.name === 'alt') {
        attrs.push(a.name + '=' + (a.name.startsWith('aria-') ? '' : a.value));
      }
    }
    parts.push(el.tagName + '[' + attrs.join(',') + ']' + (el.childElementCount ? '' : (el.textContent.trim() ? 't' : 'e')));
  }
  return parts.join('|');
}"""

#: Every piece of text a person sees or hears: visible text nodes (including visually hidden
#: text for screen readers), accessible names and hints in attributes, options of lists, the
#: title. Text marked as not to be translated (translate="no", or in another language with
#: lang="en"/"pt"…) is left out: the language switcher, Latin names of people.
TEXT_JS = """() => {
  const out = [];
  const pageLang = (document.documentElement.lang || '').toLowerCase();
  const skipped = el => el.closest('script,style,noscript,template,code,pre,.language-form,[translate="no"]')
    || ((el.closest('[lang]') || document.documentElement).getAttribute('lang') || '').toLowerCase() !== pageLang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text || !el || skipped(el)) { continue; }
    if (el.tagName === 'OPTION' || el.checkVisibility()) { out.push(text); }
  }
  for (const el of document.body.querySelectorAll('[aria-label],[title],[placeholder],[alt],input[type=submit],input[type=button],[data-confirm]')) {
    if (skipped(el)) { continue; }
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-confirm']) {
      const value = el.getAttribute(name); if (value) { out.push(value); }
    }
    if (el.matches('input[type=submit],input[type=button]') && el.value) { out.push(el.value); }
  }
  out.push(document.title);
  return out;
}"""

#: Whatever sticks out of the window (the leafmost elements that do), outside .table-wrap
#: (wide tables scroll inside their wrapper, by design).
OVERFLOW_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width + 1) { return []; }
  const sticksOut = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap') || !sticksOut(el)) { continue; }
    if ([...el.children].some(child => !child.closest('.table-wrap') && sticksOut(child))) { continue; }
    const chain = [describe(el)];
    for (let p = el.parentElement; p && p !== document.body && chain.length < 4; p = p.parentElement) { chain.unshift(describe(p)); }
    found.push(chain.join(' > ') + ' (right edge at ' + Math.round(el.getBoundingClientRect().right) + ' px)');
  }
  return found.length ? found.slice(0, 6) : ['the page is ' + root.scrollWidth + ' px wide'];
}"""


#: Forms of the page: destructive ones (a danger button) that do not ask for confirmation, and
#: whether the page has a form one can half-fill (a required field to leave empty and text
#: fields to fill) to see that what was typed is kept when validation fails.
FORMS_JS = """() => {
  const posts = [...document.querySelectorAll('main form')].filter(f => (f.method || '').toLowerCase() === 'post');
  const unconfirmed = posts.filter(f => f.querySelector('.button--danger') && !f.hasAttribute('data-confirm'))
    .map(f => (f.getAttribute('action') || location.pathname) + ' [' + (f.querySelector('.button--danger').textContent || '').trim() + ']');
  const fillable = posts.some(f => {
    const required = f.querySelector(REQUIRED);
    return required && [...f.querySelectorAll(TYPED)].some(field => field !== required);
  });
  return {unconfirmed, fillable};
}""".replace("REQUIRED", repr("[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])")).replace(
    "TYPED", repr("input[type=text], input:not([type]), textarea"))


# --- English left in a Chinese page --------------------------------------------------------

#: Words that are the same in every language of the application: currencies, file formats,
#: abbreviations used as such in Chinese government text, the brand.
ALLOWED_WORDS = {
    "mop", "cny", "rmb", "hkd", "pdf", "api", "id", "ias", "ngo", "kpi", "kpis", "csv", "xlsx",
    "excel", "json", "openapi", "url", "http", "https", "zhuao", "bir", "ok", "sms", "email",
    "e-mail", "redoc", "swagger", "ai",
}
WORD_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}(?:[ \u00a0]+[A-Za-z][A-Za-z'’-]{2,})+")
#: Emails, web addresses, paths, codes and anything with digits is data, not a sentence.
NOISE = re.compile(r"\S*[@/\\_=\d]\S*|\S+\.\S+")
RAW_TEMPLATE = re.compile(r"%\(\w+\)[sd]|\{\{|\}\}|\{%|%\}")


def data_phrases() -> set[str]:
    """Latin text that is data, not interface: people's names in Latin letters, English agency
    names, usernames, e-mail addresses, codes (any model field named *latin*, *_en, username,
    email, code, number, reference, filename)."""
    from django.apps import apps
    from django.db import models

    wanted = re.compile(r"latin|_en$|^name_en|english|username|email|code$|number|reference|"
                        r"filename|^slug$", re.IGNORECASE)
    phrases: set[str] = set()
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                 and wanted.search(f.name)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            phrases.update(value.strip() for value in row if value and re.search("[A-Za-z]", value))
    return {phrase for phrase in phrases if len(phrase) >= 3}


def single_word_msgids() -> set[str]:
    """One-word interface strings ("Status", "Inbox"): shown as such in a Chinese page they are
    an untranslated message id."""
    import polib

    words: set[str] = set()
    for po_path in ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po_path)):
            if re.fullmatch(r"[A-Z][a-z]{3,}", entry.msgid) and entry.msgid.lower() not in ALLOWED_WORDS:
                words.add(entry.msgid)
    return words


def english_leftovers(texts: list[str], allowed_phrases: set[str], msgid_words: set[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        if RAW_TEMPLATE.search(text):
            found.append(f"template syntax: {text[:120]}")
            continue
        cleaned = text
        for phrase in allowed_phrases:
            if phrase in cleaned:
                cleaned = cleaned.replace(phrase, " ")
        cleaned = NOISE.sub(" ", cleaned)
        for match in WORD_RUN.finditer(cleaned):
            words = re.split(r"[ \u00a0]+", match.group(0))
            if all(word.lower().strip("'’-") in ALLOWED_WORDS for word in words):
                continue
            found.append(match.group(0) if len(text) <= 120 else f"{match.group(0)}  (in: {text[:100]}…)")
        for word in re.findall(r"(?<![A-Za-z])[A-Z][a-z]{3,}(?![A-Za-z])", cleaned):
            if word in msgid_words:
                found.append(word)
    return sorted(set(found))


# --- the seeded site ---------------------------------------------------------------------

@dataclass
class DemoSite:
    url: str

    def set_language(self, username: str, language: str) -> None:
        """What a user chose on their profile: the language of every page they see."""
        from core.models import StaffProfile

        StaffProfile.objects.filter(user__username=username).update(language=language)

    def language_of(self, username: str) -> str:
        from core.models import StaffProfile

        return StaffProfile.objects.get(user__username=username).language


# --- one signed-in page per role, and the survey -------------------------------------------

@dataclass
class PageReport:
    path: str
    depth: int
    status: int | None = None
    error: str = ""
    seconds: float = 0.0
    axe: list | None = None          # violations (zh-hans survey only)
    leftovers: list = field(default_factory=list)   # English in a Chinese page
    overflow: dict = field(default_factory=dict)    # width -> what sticks out
    screenshots: list = field(default_factory=list)
    unconfirmed: list = field(default_factory=list)   # destructive forms without data-confirm
    fillable: bool = False

    @property
    def ok(self) -> bool:
        return not self.error and (self.status or 0) < 400


@dataclass
class Crawler:
    site: DemoSite
    browser: object
    context_args: dict
    pages: dict = field(default_factory=dict)
    surveys: dict = field(default_factory=dict)
    axe_cache: dict = field(default_factory=dict)
    seen_deep: dict = field(default_factory=dict)
    _phrases: set | None = None
    _msgid_words: set | None = None

    def page_for(self, username: str):
        """A browser page signed in as ``username`` (one per role, reused)."""
        if username in self.pages:
            return self.pages[username]
        from django.conf import settings

        context = self.browser.new_context(**self.context_args)
        if axe_available():
            context.add_init_script(path=str(AXE_PATH))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{self.site.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", settings.ZHUAO_DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        from tests.two_factor_clients import pass_demo_second_factor

        pass_demo_second_factor(page)
        assert urlsplit(page.url).path == "/", f"{username} could not sign in (at {page.url})"
        self.pages[username] = page
        return page

    def close(self):
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()

    def local_path(self, href: str | None) -> str | None:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            return None
        parts = urlsplit(urljoin(self.site.url + "/", href))
        if f"{parts.scheme}://{parts.netloc}" != self.site.url:
            return None
        if parts.path.startswith(SKIPPED_PREFIXES) or SKIPPED_PATTERNS.search(parts.path):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, page, path: str, depth: int = 0) -> PageReport:
        report = PageReport(path=path, depth=depth)
        try:
            response = page.goto(self.site.url + path, wait_until="load")
        except Exception as error:  # a download, a crash of the server
            report.error = str(error).splitlines()[0]
            return report
        report.status = response.status if response else None
        if response is not None and "text/html" not in (response.headers.get("content-type") or ""):
            report.error = "not an HTML page"
        return report

    # -- the survey --

    def survey(self, username: str, language: str) -> list[PageReport]:
        """The role's pages in ``language``, checked once while the package runs (cached)."""
        key = (username, language)
        if key not in self.surveys:
            previous = self.site.language_of(username)
            self.site.set_language(username, language)
            started = time.monotonic()
            try:
                self.surveys[key] = self._crawl(username, language)
                print(f"survey {username} {language}: {len(self.surveys[key])} pages in "
                      f"{time.monotonic() - started:.1f} s")
            finally:
                self.site.set_language(username, previous)
        return self.surveys[key]

    def _crawl(self, username: str, language: str) -> list[PageReport]:
        page = self.page_for(username)
        page.set_viewport_size({"width": DESKTOP, "height": 800})
        if language in CHINESE and self._phrases is None:
            self._phrases = data_phrases()
            self._msgid_words = single_word_msgids()
        reports: list[PageReport] = []
        seen: set[str] = set()
        queue: list[tuple[str, int]] = [("/", 0)]
        while queue:
            path, depth = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            if depth == 2 and language != "zh-hans" and path in self.seen_deep.get(language, set()):
                continue  # a detail page another role already showed in this language
            self.seen_deep.setdefault(language, set()).add(path)
            started = time.monotonic()
            report = self.goto(page, path, depth)
            reports.append(report)
            if not report.ok:
                continue
            here = urlsplit(page.url).path
            if path == "/":
                hrefs = page.eval_on_selector_all(
                    "nav.sidenav a[data-nav], .tiles a.tile, a[data-help]",
                    "links => links.map(link => link.getAttribute('href'))")
                queue.extend((p, 1) for p in map(self.local_path, hrefs) if p)
            elif depth == 1:
                href = page.eval_on_selector_all(
                    ".table tbody a[href]",
                    "links => links.length ? links[0].getAttribute('href') : null")
                detail = self.local_path(href)
                if detail and detail != here:
                    queue.append((detail, 2))
                # the list's "new …" buttons: the forms people fill all day
                creates = page.eval_on_selector_all(
                    "main a.button[href]", "links => links.map(link => link.getAttribute('href'))")
                queue.extend((p, 2) for p in map(self.local_path, creates)
                             if p and CREATE_PAGE.search(urlsplit(p).path))
            self._check(page, username, language, report)
            report.seconds = time.monotonic() - started
        return reports

    def _check(self, page, username: str, language: str, report: PageReport) -> None:
        forms = page.evaluate(FORMS_JS)
        report.unconfirmed, report.fillable = forms["unconfirmed"], forms["fillable"]
        if language == "zh-hans" and axe_available():
            skeleton = hashlib.sha1(page.evaluate(SKELETON_JS).encode()).hexdigest()
            if skeleton not in self.axe_cache:
                self.axe_cache[skeleton] = page.evaluate(AXE_JS, AXE_OPTIONS)
            report.axe = self.axe_cache[skeleton]
        if language in CHINESE:
            report.leftovers = english_leftovers(page.evaluate(TEXT_JS), self._phrases,
                                                 self._msgid_words)
        shoot = username in SCREENSHOT_USERS and report.depth <= 1
        if shoot:
            self._screenshot(page, username, language, DESKTOP, report)
        widths = OVERFLOW_WIDTHS.get(username, [PHONE])
        if language == "zh-hant" or shoot:
            for width in widths:
                page.set_viewport_size({"width": width, "height": 800})
                report.overflow[width] = page.evaluate(OVERFLOW_JS)
                if shoot and width == PHONE:
                    self._screenshot(page, username, language, width, report)
            page.set_viewport_size({"width": DESKTOP, "height": 800})

    def _screenshot(self, page, username, language, width, report) -> None:
        target = SCREENSHOTS / language / str(width) / f"{username}__{slug(report.path)}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
        report.screenshots.append(str(target))


def broken_links(reports: list[PageReport]) -> list[str]:
    return [f"{report.path}: HTTP {report.status}" for report in reports
            if (report.status or 0) >= 400 and not report.error]


def slug(path: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return cleaned or "home"


def write_json(name: str, data) -> Path:
    target = RESULTS / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
