"""Query shape belongs to the selectors (CONTRIBUTING.md): a page or an API view asks a
workstream's selectors for what it needs ("payments listed", "cases for the API") and never
re-shapes what the visibility door returns. The scan reads every views module for the calls
that undo or narrow a queryset's joins and columns."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
SHAPING = {"only", "defer"}
UNDOING = {"select_related", "prefetch_related"}  # called with None: undoing the door's joins


def view_modules() -> list[Path]:
    return sorted(path for app in APPS for path in (ROOT / app).rglob("*views*.py")
                  if "migrations" not in path.parts)


def shaping_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        undoes = name in UNDOING and any(
            isinstance(arg, ast.Constant) and arg.value is None for arg in node.args)
        if name in SHAPING or undoes:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{name}(…)")
    return found


def test_views_take_their_query_shape_from_the_selectors():
    modules = view_modules()
    assert len(modules) > 10
    assert ROOT / "cases" / "secretariat" / "views.py" in modules  # a workstream's subpackage
    found = [call for path in modules for call in shaping_calls(path)]
    assert found == [], "move these into a selector of the workstream:\n" + "\n".join(found)
