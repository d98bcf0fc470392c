"""Run by tests/zhuao/test_imports.py in a fresh interpreter: set Django up, then import each
project module first, in a child process forked for it, so that every module gets to be the
one an entry point (a URL, a task, a command) loads before the others. Prints one block per
module that fails, and a last line "<n> modules, <m> failed"."""
import importlib
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuao.settings.test")

import django  # noqa: E402  (after the path and the settings)

django.setup()

from tests.zhuao.test_imports import module_names  # noqa: E402


def import_alone(name: str) -> str:
    """"" when ``name`` imports in a forked child; the child's traceback otherwise."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            importlib.import_module(name)
            status = 0
        except BaseException:  # noqa: BLE001 - reported to the parent, whatever it is
            os.write(write_end, traceback.format_exc().encode()[-4000:])
            status = 1
        os._exit(status)
    os.close(write_end)
    report = b""
    while chunk := os.read(read_end, 65536):
        report += chunk
    os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    return report.decode() or "(no traceback)" if status else ""


names = module_names()
failed = 0
for name in names:
    if name in sys.modules:  # imported by the set-up itself, which has just succeeded
        continue
    report = import_alone(name)
    if report:
        failed += 1
        print(f"== {name}\n{report}")
print(f"{len(names)} modules, {failed} failed")
