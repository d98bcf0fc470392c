#!/usr/bin/env python
"""Translation catalogues, one per app (``<app>/locale``; root templates, the project package, the web toolkit and devtools belong to ``core``).

    python scripts/i18n.py extract            # makemessages for every catalogue
    python scripts/i18n.py todo APP           # untranslated simplified-Chinese ids, as JSON
    python scripts/i18n.py fill APP FILE.json # {"msgid": "简体"} or {"msgid": ["简体", "繁體"]}
    python scripts/i18n.py compile            # .po -> .mo (pure Python, no gettext needed)
    python scripts/i18n.py check              # exit 1 on any untranslated or fuzzy entry, or
                                              # a message translated differently in two apps

Source strings are English. Simplified Chinese is written by people; traditional Chinese is
converted from it with OpenCC (s2t) unless written by hand, then reviewed.

Django merges the catalogues into one per language and the first one wins (core, then
INSTALLED_APPS order), so a (context, msgid) must have the same translation everywhere. Short
words that mean different things in different workflows take a context:
``pgettext_lazy("<app>", "Approve")``, ``{% translate "Approve" context "<app>" %}``."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot"]
LOCALES = ["zh_Hans", "zh_Hant"]
PYTHON = sys.executable
# OpenCC's s2t spellings that Macau does not use
#: OpenCC's traditional forms that Macau and Hong Kong do not use (docs/glossary.md, "Forbidden
#: variants"): regular expression -> replacement, applied after the s2t conversion.
MACAU_USAGE = {"覈": "核", "爲": "為", "啓": "啟", "纔": "才", "祕": "秘", "摺合": "折合",
               "(?<!編)制單": "製單", "制作": "製作", "髮": "發", "鬚": "須"}


def catalogue(app: str, locale: str) -> Path:
    return ROOT / app / "locale" / locale / "LC_MESSAGES" / "django.po"


def extract() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhuao.settings.local"}
    locale_args = [arg for locale in LOCALES for arg in ("-l", locale)]
    ignores = ["--ignore=.venv", "--ignore=node_modules", "--ignore=tests", "--ignore=var",
               "--ignore=scripts", "--ignore=static"]
    for app in APPS:
        (ROOT / app / "locale").mkdir(exist_ok=True)
        if app == "core":  # the shared catalogue: root templates, zhuao, core, web, devtools
            cwd = ROOT
            extra = ignores + [f"--ignore={other}" for other in APPS if other != "core"]
        else:
            cwd = ROOT / app
            extra = []
        subprocess.run([PYTHON, str(ROOT / "manage.py"), "makemessages", *locale_args,
                        "--no-location", "--no-obsolete", *extra], cwd=cwd, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    print("extracted")


def _entries_todo(po):
    return [entry for entry in po if not entry.obsolete and (not entry.translated() or entry.fuzzy)]


def todo(app: str) -> None:
    import polib

    po = polib.pofile(str(catalogue(app, "zh_Hans")))
    print(json.dumps({entry.msgid: "" for entry in _entries_todo(po)}, ensure_ascii=False, indent=1))


def fill(app: str, path: str) -> None:
    import opencc
    import polib

    converter = opencc.OpenCC("s2t")

    def to_traditional(text: str) -> str:
        text = converter.convert(text)
        for opencc_spelling, macau in MACAU_USAGE.items():
            text = re.sub(opencc_spelling, macau, text)
        return text
    given = json.loads(Path(path).read_text(encoding="utf-8"))
    for locale in LOCALES:
        po = polib.pofile(str(catalogue(app, locale)))
        for entry in po:
            if entry.msgid not in given:
                continue
            value = given[entry.msgid]
            simplified, traditional = (value, None) if isinstance(value, str) else value
            if not simplified:
                continue
            text = simplified if locale == "zh_Hans" else (traditional or to_traditional(simplified))
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.save()
    print(f"filled {app}")


def compile_all() -> None:
    import polib

    for app in APPS:
        for locale in LOCALES:
            path = catalogue(app, locale)
            if path.exists():
                polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    print("compiled")


def check() -> int:
    import polib

    problems = 0
    for app in APPS:
        for locale in LOCALES:
            path = catalogue(app, locale)
            if not path.exists():
                continue
            for entry in _entries_todo(polib.pofile(str(path))):
                problems += 1
                print(f"{app} {locale}: untranslated or fuzzy: {entry.msgid!r}")
    for locale in LOCALES:
        for line in conflicts(locale):
            problems += 1
            print(f"{locale}: translated differently: {line}")
    for line in shadowed():
        problems += 1
        print(line)
    return 1 if problems else 0


def shadowed(locales=LOCALES) -> list[str]:
    """Messages Django serves differently from their catalogue: another app's catalogue, or a
    third-party one earlier in INSTALLED_APPS (django_celery_beat's "Name" -> 任务名), wins."""
    import polib

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuao.settings.local")
    import django
    from django.utils import translation

    django.setup()
    lines = []
    for locale in locales:
        with translation.override(locale.lower().replace("_", "-")):
            for app in APPS:
                path = catalogue(app, locale)
                if not path.exists():
                    continue
                for entry in polib.pofile(str(path)):
                    if entry.obsolete or entry.msgid_plural or not entry.msgstr or entry.fuzzy:
                        continue
                    served = (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt
                              else translation.gettext(entry.msgid))
                    if served != entry.msgstr:
                        lines.append(f"{app} {locale}: {entry.msgid!r} is served as {served!r}, "
                                     f"not {entry.msgstr!r} (give it a context)")
    return lines


def conflicts(locale: str) -> list[str]:
    """Messages whose translation differs between catalogues: only the first app's is served."""
    import polib

    seen = {}
    for app in APPS:
        path = catalogue(app, locale)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            if entry.msgid_plural:
                text = "\x00".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            else:
                text = entry.msgstr
            if text:
                seen.setdefault((entry.msgctxt or "", entry.msgid), {})[app] = text
    lines = []
    for (context, msgid), by_app in sorted(seen.items()):
        if len(set(by_app.values())) > 1:
            label = f"{context!r}: {msgid!r}" if context else repr(msgid)
            where = ", ".join(f"{app}={text!r}" for app, text in by_app.items())
            lines.append(f"{label} -> {where} (use the same words or give it a context)")
    return lines


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "extract":
        extract()
    elif command == "todo":
        todo(*rest)
    elif command == "fill":
        fill(*rest)
    elif command == "compile":
        compile_all()
    elif command == "check":
        sys.exit(check())
    else:
        print(__doc__)
