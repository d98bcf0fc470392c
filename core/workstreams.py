"""The workstreams of the pilot, in the order the menu, the API index and the tooling list them.

Each is a Django app that may offer ``urls``, ``api.urls``, ``scale`` and ``demo`` modules."""
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps

WORKSTREAMS = ("cases", "infosharing", "remittance", "tempaid", "partners", "pilot")


@cache
def app_modules(module_name: str) -> tuple[ModuleType, ...]:
    """Every installed app's ``<app>.<module_name>`` module, in ``INSTALLED_APPS`` order,
    looked up once per process: how the shared code finds what each workstream contributes
    (menus, work lists, schedules, retention rules, hand-over kinds, lists, benchmarks)."""
    found = (app_module(config.name, module_name) for config in apps.get_app_configs())
    return tuple(module for module in found if module is not None)


def app_module(app_name: str, module_name: str) -> ModuleType | None:
    """``<app_name>.<module_name>``, or None when the app has no such module. An import error
    inside the module is raised, not taken for its absence."""
    try:
        return import_module(f"{app_name}.{module_name}")
    except ModuleNotFoundError as error:
        if error.name != f"{app_name}.{module_name}":
            raise
        return None
