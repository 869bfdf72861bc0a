"""The interface's languages, through Qt's translation system.

Every user-visible string in the Qt layer is written in English and passed through :func:`tr`
(``QCoreApplication.translate`` with the empty context, the context ``pyside6-lupdate`` gives a bare
``tr("...")`` call). Strings with numbers in them are templates filled *after* translation:
``tr("{n} tokens").format(n=3)``, never f-strings, so the template is what the translator sees.

The lecture text of the lessons lives in the Qt-free core (``viz_app.core.lessons``); :func:`lesson_text`
translates it in the context ``lessons``.

Sources: ``resources/i18n/viz_app_<lang>.ts`` (Qt Linguist's XML, kept in the repository);
``python -m viz_app.qt.i18n`` refreshes them from the code with ``pyside6-lupdate`` and compiles the
``.qm`` files the app loads with ``pyside6-lrelease``.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from viz_app.core.resources import resources_dir

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "zh_TW": "繁體中文"}
DEFAULT = "en"
LESSON_CONTEXT = "lessons"
_installed: QTranslator | None = None
_current = DEFAULT


def tr(text: str) -> str:
    """``text`` in the interface's language (unchanged where no translation is loaded)."""
    return QCoreApplication.translate("", text)


def tr_core(text) -> str:
    """A message from the Qt-free core in the interface language: a ``viz_app.core.messages.Message`` is
    translated by its template and filled with its values; other text is looked up as it is."""
    template = getattr(text, "template", None)
    if template is not None:
        try:
            return QCoreApplication.translate("", template).format(**text.values)
        except (KeyError, IndexError, ValueError):  # a translation with broken fields: the English text
            return str(text)
    return QCoreApplication.translate("", text) if text else text


def lesson_text(text: str) -> str:
    """A piece of the lessons' lecture text (titles, chapters, explanations) in the interface's language."""
    return QCoreApplication.translate(LESSON_CONTEXT, text) if text else text


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path(language: str) -> Path:
    return i18n_dir() / f"viz_app_{language}.qm"


def current() -> str:
    return _current


def install(language: str) -> str:
    """Load ``language``'s translations into the running application. Returns "" on success, else a
    one-line reason (the interface then stays in English)."""
    global _installed, _current
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
    _installed, _current = None, DEFAULT
    if language == DEFAULT:
        return ""
    if language not in LANGUAGES:
        return f"unknown language {language!r}"
    path = qm_path(language)
    translator = QTranslator(app)
    if not path.is_file() or not translator.load(str(path)):
        log.warning("no translation file at %s", path)
        return f"the {LANGUAGES[language]} translation file is missing or broken ({path})"
    app.installTranslator(translator)
    _installed, _current = translator, language
    return ""


# --- building the translation files (a developer's command, not used at run time) -------------------------


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    import PySide6

    bundled = Path(PySide6.__file__).parent / name
    if bundled.exists():
        return str(bundled)
    raise FileNotFoundError(f"pyside6-{name} not found (it comes with PySide6)")


def _core_strings() -> list[str]:
    from viz_app.core import lessons as catalogue

    out = list(catalogue.CHAPTERS)
    for lesson in catalogue.LESSONS:
        out += [lesson.title, lesson.summary, lesson.explanation]
    return [s for s in dict.fromkeys(out) if s]


def core_templates() -> list[str]:
    """Every ``msg("...")`` template in the Qt-free core (``viz_app.core.messages``), found by reading the code."""
    import ast

    core = Path(__file__).resolve().parent.parent / "core"
    found = []
    for path in sorted(core.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append(node.args[0].value)
    return list(dict.fromkeys(found))


def write_lesson_sources(target: Path) -> Path:
    """A generated Python file that names every core lesson string in a ``QT_TRANSLATE_NOOP`` (context
    ``lessons``) and every core message template in a ``QT_TR_NOOP``, so that ``pyside6-lupdate`` puts them
    into the .ts files."""
    lines = ["# Generated by python -m viz_app.qt.i18n: the core's text, for pyside6-lupdate.", ""]
    for s in _core_strings():
        lines.append(f"QT_TRANSLATE_NOOP({LESSON_CONTEXT!r}, {s!r})")
    for s in core_templates():
        lines.append(f"QT_TR_NOOP({s!r})")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def build(update_sources: bool = True) -> list[Path]:
    """Refresh the .ts files from the code (keeping existing translations) and compile the .qm files."""
    folder = resources_dir() / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    for language in LANGUAGES:
        if language == DEFAULT:
            continue
        ts = folder / f"viz_app_{language}.ts"
        if update_sources:
            extract(ts)  # lupdate keeps the translations already in ``ts``
        qm = folder / f"viz_app_{language}.qm"
        subprocess.run([_tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
        built.append(qm)
    return built


def extract(ts: Path) -> Path:
    """Every source string of the code, as ``build`` finds them, into the .ts file ``ts`` (best a fresh one:
    a test compares it with the committed file)."""
    import tempfile

    package = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        noop = write_lesson_sources(Path(tmp) / "lesson_strings.py")
        sources = sorted(str(p) for p in (package / "qt").rglob("*.py")) + [str(noop)]
        subprocess.run(
            [_tool("lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(ts)],
            check=True,
            capture_output=True,
        )
    return ts


def messages(ts: Path) -> dict[tuple[str, str], str | None]:
    """The messages of a .ts file: (context, source) -> the finished translation, or None where there is none
    yet (missing, empty or marked unfinished)."""
    import xml.etree.ElementTree as ET

    out: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") is None and (translation.text or "")
            out[(name, message.findtext("source") or "")] = translation.text if done else None
    return out


if __name__ == "__main__":  # pragma: no cover
    for path in build(update_sources="--qm-only" not in sys.argv):
        print(path)
