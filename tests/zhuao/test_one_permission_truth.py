"""One permission truth: what a role may do is named once, in its app's ``permissions.py``.

The scan refuses a role set declared anywhere else (a module-level tuple, set or dict of
``Role`` members, or a copy of a set from another module), an application module asking
Django's model permissions (``has_perm``: those are the Django admin's alone), and a model
permission declared for a role that cannot use the Django admin."""
import ast
import importlib
from pathlib import Path

from core.roles import Role, collect_role_permissions

ROOT = Path(__file__).resolve().parents[2]
APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
#: Where role names and their groupings are declared.
DECLARING = {"permissions.py", "roles.py"}
#: Data of the demo and of the scale run, which name a role per user they create.
DATA = {"demo.py", "scale.py"}


def _is_role_set(node: ast.expr) -> bool:
    """A tuple, set, list or frozenset of roles or role sets, or a sum of them, or a dict whose
    values are roles: the shape of a declaration of who may do something."""
    def role_like(item):
        text = ast.unparse(item)
        return text.startswith(("Role.", "*")) or text.endswith("_ROLES")

    if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
        return bool(node.elts) and all(role_like(item) for item in node.elts)
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("frozenset", "set", "tuple"):
        return bool(node.args) and _is_role_set(node.args[0])
    if isinstance(node, ast.BinOp):
        return _is_role_set(node.left) or _is_role_set(node.right) or (
            role_like(node.left) and role_like(node.right))
    if isinstance(node, ast.Dict):
        return bool(node.values) and all(ast.unparse(value).startswith("Role.")
                                         for value in node.values)
    if isinstance(node, ast.Attribute):  # an alias: OVERSIGHT = selectors.OVERSIGHT_ROLES
        return node.attr.endswith("_ROLES")
    return role_like(node) if isinstance(node, ast.Name) else False


def _application_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path.name not in DECLARING | DATA:
                yield path


def test_role_sets_are_declared_only_in_the_permissions_modules():
    found = []
    for path in _application_modules():
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                    and _is_role_set(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert found == [], "declare the role set in the app's permissions.py:\n" + "\n".join(found)


def test_the_scan_recognises_a_role_set():
    for text in ("X = (Role.CITY, Role.DISTRICT)", "X = OTHER_ROLES + (Role.LEADERSHIP,)",
                 "X = selectors.OVERSIGHT_ROLES", "X = frozenset({Role.BANK})",
                 "X = {Side.MACAU: Role.MACAU}"):
        assert _is_role_set(ast.parse(text).body[0].value), text
    for text in ("X = ('a', 'b')", "X = [('city', Role.CITY)]", "X = 5"):
        assert not _is_role_set(ast.parse(text).body[0].value), text


def test_no_application_module_asks_for_a_model_permission():
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in _application_modules()
             for node in ast.walk(ast.parse(path.read_text(), str(path)))
             if isinstance(node, ast.Attribute) and node.attr in ("has_perm", "has_perms")]
    assert found == [], "check a role set of the app's permissions.py instead:\n" + "\n".join(found)


def test_model_permissions_are_declared_only_for_the_admin_sites_users():
    declared = {role: permissions for role, permissions in collect_role_permissions().items()
                if permissions}
    assert set(declared) == {Role.ADMIN, Role.SECURITY_ADMIN}
    for app in (app for app in APPS if (ROOT / app / "permissions.py").exists()):
        module = importlib.import_module(f"{app}.permissions")
        assert not hasattr(module, "ROLE_PERMISSIONS"), app


def test_every_declared_role_set_names_only_roles():
    for app in (app for app in APPS if (ROOT / app / "permissions.py").exists()):
        module = importlib.import_module(f"{app}.permissions")
        for name, value in vars(module).items():
            if name.endswith("_ROLES"):
                members = value.values() if isinstance(value, dict) else value
                assert members and set(members) <= set(Role.values), f"{app}.{name}"


def test_no_template_asks_for_a_model_permission():
    """Templates offer a step from the same role sets (``user|may:"<app>.<NAME>"``)."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in (*APPS, "templates")
             for path in sorted((ROOT / folder).rglob("*.html"))
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if "perms." in line]
    assert found == [], "\n".join(found)
