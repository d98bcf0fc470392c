"""The top-level folders say what they hold: ``zhuao/`` the project package (settings, URLs,
Celery, WSGI, logging), ``core/`` the shared domain, ``web/`` the web toolkit, ``devtools/`` the
developer tooling, and one folder per workstream. The running application never imports the
developer tooling, nor a workstream's demo, scale or benchmark module."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKSTREAMS = ("cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
PROJECT_PACKAGE = {"__init__.py", "settings", "urls.py", "celery.py", "wsgi.py",
                   "gunicorn_conf.py", "logs.py", "formats"}
#: A workstream's contributions to the developer tooling, which only devtools imports.
TOOLING_MODULES = ("demo", "scale", "bench", "bench_search", "bench_scale")


def _is_tooling(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return (relative.parts[0] == "devtools" or path.stem.startswith(TOOLING_MODULES)
            or relative.as_posix() == "zhuao/settings/bench.py")


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.update(f".{alias.name}" for alias in node.names)
            if node.module:
                found.add(f".{node.module}")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_project_package_holds_configuration_only():
    names = {path.name for path in (ROOT / "zhuao").iterdir() if path.name != "__pycache__"}
    assert names <= PROJECT_PACKAGE, names - PROJECT_PACKAGE


def test_the_running_application_never_imports_developer_tooling():
    offenders = []
    for folder in ("zhuao", "core", "web", *WORKSTREAMS):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if _is_tooling(path) or "migrations" in path.parts:
                continue
            for name in _imported(path):
                last = name.rsplit(".", 1)[-1]
                if name.split(".")[0] == "devtools" or last.startswith(TOOLING_MODULES):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == [], "\n".join(offenders)


def test_the_scan_sees_an_import_of_tooling(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from devtools.benchmark import goals\nfrom .demo import seed\n")
    assert {"devtools.benchmark", ".demo"} <= _imported(sample)
