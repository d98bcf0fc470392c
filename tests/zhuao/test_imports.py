"""Imports sit at the top of each module, where a reader looks for what a module depends on.

An import inside a function is one of four declared kinds, and nothing else:
- a library heavy to load that serves one kind of request (a PDF, a spreadsheet, a calendar
  feed, romanised names), loaded on first use so that a web
  worker does not carry it from the start (``LOADED_ON_FIRST_USE``, with its cost);
- Django's ``AppConfig.ready``, where an app connects its signals and checks;
- the modules read before Django is configured (``BEFORE_DJANGO``): Celery's app and logging;
- an import cycle no module layout removes, named with its reason (``CYCLES``).

Modules import one way (models ← selectors ← services ← tasks and views), and no cycle hides
behind the order in which modules happen to load: ``import_each.py`` imports each project
module first, in a process of its own, after Django's set-up."""
import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance",
                    "tempaid", "partners", "pilot")

#: Import cost measured on the CI machine (python -X importtime; resident memory added).
LOADED_ON_FIRST_USE = {
    "weasyprint": "PDFs; 1.0 s and 40 MB",
    "openpyxl": "spreadsheets; 0.2 s and 17 MB",
    "pypinyin": "pinyin of a name; 57 MB of dictionaries",
    "ToJyutping": "Jyutping of a name; 1.3 s and 73 MB",
    "redis": "telling a broker failure from others; 20 MB, absent from the embedded run",
    "icalendar": "the meeting calendar feed; 7 MB",
    "holidays": "a year's public holidays, computed once; 9 MB",
}
BEFORE_DJANGO = {"zhuao/celery.py", "zhuao/logs.py", "zhuao/gunicorn_conf.py"}
CYCLES = {
    ("core/messages.py", "core.models"): "core.models stores its texts as core.messages.Text",
}


def module_paths() -> list[Path]:
    return sorted(path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("*.py")
                  if "migrations" not in path.relative_to(ROOT).parts)


def module_names() -> list[str]:
    names = []
    for path in module_paths():
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "settings" in parts:
            continue  # one settings module per run; the test settings are the ones set up
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def undeclared_local_imports(relative: str, source: str) -> list[str]:
    """``"path:line module"`` for each import inside a function that is none of the four
    declared kinds."""
    tree = ast.parse(source)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
            else:
                module = node.names[0].name
            if (module.split(".")[0] in LOADED_ON_FIRST_USE
                    or relative in BEFORE_DJANGO
                    or (relative.endswith("apps.py") and function.name == "ready")
                    or (relative, module) in CYCLES):
                continue
            found.append(f"{relative}:{node.lineno} {module}")
    return sorted(set(found))


def test_imports_inside_functions_are_only_the_declared_kinds():
    found = [place for path in module_paths()
             for place in undeclared_local_imports(str(path.relative_to(ROOT)), path.read_text())]
    assert found == [], "move these imports to the top of their module:\n" + "\n".join(found)


def test_the_scan_flags_an_import_inside_a_function():
    sample = ("from core.models import Agency\n\n"
              "def f():\n    from cases.services import person_register\n"
              "    from weasyprint import HTML\n\n"
              "class C:\n    def ready(self):\n        from . import signals\n")
    assert undeclared_local_imports("cases/views.py", sample) == [
        "cases/views.py:4 cases.services", "cases/views.py:9 ."]
    assert undeclared_local_imports("cases/apps.py", sample) == ["cases/apps.py:4 cases.services"]


def test_every_declared_cycle_is_still_an_import_inside_a_function():
    for (relative, module), _reason in CYCLES.items():
        source = (ROOT / relative).read_text()
        assert f"from {module} import" in source, f"{relative} no longer imports {module}"


def test_each_module_imports_first_in_a_process_of_its_own():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.test"}
    result = subprocess.run([sys.executable, str(ROOT / "tests/zhuao/import_each.py")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith(" 0 failed") and int(last.split()[0]) > 250, result.stdout[-8000:]


def test_a_web_worker_starts_without_the_libraries_loaded_on_first_use():
    code = ("import importlib, sys, django; django.setup();"
            "from django.conf import settings; importlib.import_module(settings.ROOT_URLCONF);"
            f"print(sorted(name for name in {sorted(LOADED_ON_FIRST_USE)!r} if name in sys.modules))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip() == "[]"
