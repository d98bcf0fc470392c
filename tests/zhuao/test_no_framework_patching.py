"""Nothing of Django's, DRF's or another library's is replaced at run time: the project gets
what it needs through subclasses and its own base classes (``web.api.serializers``,
``web.forms``, ``core.choices``), so an upgrade cannot silently undo or break it. The scan
reads every module of the project for an assignment (or ``setattr``/``delattr``) through a name
imported from a third-party package."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
FOREIGN = ("django", "rest_framework", "guardian", "celery", "kombu", "drf_spectacular",
           "django_filters", "axes", "openpyxl", "weasyprint", "holidays")


def modules() -> list[Path]:
    return sorted(path for app in PROJECT_APPS for path in (ROOT / app).rglob("*.py")
                  if "migrations" not in path.parts)


def foreign_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FOREIGN:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in FOREIGN:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def root_name(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def patches(tree: ast.Module) -> list[int]:
    foreign = foreign_names(tree)
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("setattr", "delattr") and node.args:
            if root_name(node.args[0]) in foreign:
                found.append(node.lineno)
            continue
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and root_name(target) in foreign:
                found.append(node.lineno)
    return sorted(found)


def test_the_scan_finds_a_patch():
    tree = ast.parse("from rest_framework import serializers\n"
                     "from django.forms.models import ModelChoiceField as M\n"
                     "import django.db.models\n"
                     "serializers.Serializer.to_representation = len\n"
                     "serializers.ModelSerializer.serializer_field_mapping[int] = str\n"
                     "setattr(M, 'iterator', list)\n"
                     "django.db.models.Model.x = 1\n"
                     "local = serializers.Serializer\n")
    assert patches(tree) == [4, 5, 6, 7]


@pytest.mark.parametrize("path", modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_patches_a_library(path):
    assert not patches(ast.parse(path.read_text(encoding="utf-8"))), path
