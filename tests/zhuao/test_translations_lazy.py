"""No message is translated at import time.

``gettext("Sent.")`` at module or class level runs once, when the module is imported, in
whatever language is active then (the default, or the first request's), and every later
reader sees that text: a Macau liaison reading traditional Chinese got simplified-Chinese
flash messages. Strings defined at module or class level use ``gettext_lazy`` (or are
translated inside the function that shows them).
"""
from __future__ import annotations

import ast
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
APPS = ["zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]
EAGER = {"gettext", "ngettext", "pgettext", "npgettext", "ugettext"}


def _eager_names(tree: ast.Module) -> set[str]:
    """Local names bound to the non-lazy translation functions of Django."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER:
                    names.add(alias.asname or alias.name)
    return names


def _import_time_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = _eager_names(tree)
    found = []

    def visit(node, in_function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # Default argument values run at import time; the body does not.
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                visit(default, in_function)
            for child in (node.body if isinstance(node.body, list) else [node.body]):
                visit(child, True)
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator, in_function)
            return
        if (not in_function and isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in eager):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return found


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def test_no_message_is_translated_at_import_time():
    offenders = [hit for path in _modules() for hit in _import_time_calls(path)]
    assert offenders == [], (
        "gettext at module/class level freezes the text in the language active at import; "
        "use gettext_lazy: " + ", ".join(offenders))


def test_the_scan_finds_an_import_time_gettext():
    sample = ROOT / "zhuao" / "_scan_sample_for_test.py"
    sample.write_text("from django.utils.translation import gettext as _\n"
                      "from django.utils.translation import gettext_lazy\n"
                      "DONE = {'a': _('Sent.')}\n"
                      "LAZY = gettext_lazy('Sent.')\n"
                      "def view():\n    return _('Sent.')\n", encoding="utf-8")
    try:
        assert _import_time_calls(sample) == ["zhuao/_scan_sample_for_test.py:3"]
    finally:
        sample.unlink()


def test_flash_message_of_a_workflow_step_is_in_the_readers_language():
    """The step's confirmation is translated when shown, not when the module was imported."""
    from infosharing import views

    done = {step: entry[-1] for step, entry in views._STEPS.items()}
    from django.utils import translation

    with translation.override("en"):
        english = str(done["send"])
    with translation.override("zh-hant"):
        traditional = str(done["send"])
    assert english == "The request was sent."
    assert traditional != english


#: The functions that hand a title or body to ``core.notifications.notify_users``.
NOTIFIERS = {"notify_users", "_notify", "_notify_agency", "_notify_requester",
             "_notify_roster_sides", "_notify_invitees", "_tell_referrer"}


def _frozen_notifications(path: Path) -> list[str]:
    """Calls of a notifier whose message was translated eagerly (``_("...") % {...}`` or
    ``_("...")``): it would be stored in the sender's language, not read in the recipient's."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = _eager_names(tree)

    def is_eager(node) -> bool:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            node = node.left
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in eager)

    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in NOTIFIERS):
            continue
        values = [keyword.value for keyword in node.keywords
                  if keyword.arg in ("title", "body")] + list(node.args[1:])
        if any(is_eager(value) for value in values):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_notification_is_frozen_in_the_senders_language():
    offenders = [hit for path in _modules() for hit in _frozen_notifications(path)]
    assert offenders == [], (
        "a notification's title/body must be a core.messages.Text or a lazy string, read in "
        "the recipient's language: " + ", ".join(offenders))


def test_the_scan_finds_a_frozen_notification():
    sample = ROOT / "zhuao" / "_scan_notify_sample_for_test.py"
    sample.write_text("from django.utils.translation import gettext as _\n"
                      "def tell(users, n):\n"
                      "    notify_users(recipients=users, title=_('No. %(n)s') % {'n': n})\n"
                      "    notify_users(recipients=users, title='x', body=_('Sent.'))\n",
                      encoding="utf-8")
    try:
        assert _frozen_notifications(sample) == ["zhuao/_scan_notify_sample_for_test.py:3",
                                                 "zhuao/_scan_notify_sample_for_test.py:4"]
    finally:
        sample.unlink()
