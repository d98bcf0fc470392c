"""Tasks call services; services never import tasks (they name the task they want run after
commit: ``zhuao.celery.enqueue_after_commit``). The scan reads each services module, and each
module a service leans on, for an import of a tasks module."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")


def imports_of_tasks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [alias.name for alias in node.names]
            if module.split(".")[-1] == "tasks" or (not module and "tasks" in names) \
                    or (node.level and module == "" and "tasks" in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        elif isinstance(node, ast.Import):
            if any(alias.name.split(".")[-1] == "tasks" for alias in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_service_imports_a_tasks_module():
    modules = sorted(path for app in APPS for path in (ROOT / app).rglob("*.py")
                     if path.name != "tasks.py" and "migrations" not in path.parts
                     and (path.stem.endswith("services") or path.stem in ("exports",)))
    assert len(modules) >= 6
    assert ROOT / "cases" / "secretariat" / "services.py" in modules  # a subpackage's too
    found = [place for path in modules for place in imports_of_tasks(path)]
    assert found == [], "enqueue by name (zhuao.celery.enqueue_after_commit):\n" + "\n".join(found)
