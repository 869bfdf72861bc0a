"""The core is Qt-free and torch-free at import: the GUI, CLI and tests all share it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import viz_app.core

CORE_MODULES = sorted(f"viz_app.core.{m.name}" for m in pkgutil.iter_modules(viz_app.core.__path__))
# Every module of the core, its packages' modules included (core/lm/probes.py, core/lessons/seq2seq.py, ...):
# the layer rule (no Qt) holds for all of them, not only for the top level.
ALL_CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(viz_app.core.__path__, "viz_app.core.") if not m.name.endswith("__main__")
)

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {'PySide6', 'pyqtgraph', 'shiboken6'}:
            raise ImportError('blocked for this test: ' + name)
sys.meta_path.insert(0, Block())
"""


def test_core_modules_are_found():
    assert {"viz_app.core.lessons", "viz_app.core.registry", "viz_app.core.rnn"} <= set(CORE_MODULES)
    assert {"viz_app.core.lm.probes", "viz_app.core.rnn.toy", "viz_app.core.lessons.seq2seq"} <= set(ALL_CORE_MODULES)
    assert len(ALL_CORE_MODULES) > 2 * len(CORE_MODULES)


def test_core_imports_with_qt_unimportable():
    code = (
        BLOCKER
        + "\n".join(f"import {m}" for m in ALL_CORE_MODULES)
        + """
import viz_app.cli
from viz_app.core.documents import bag_of_words
from viz_app.core.rnn import toy as toy_rnn
from viz_app.core.registry import ModelStore
assert bag_of_words.analyze(['dog bites man', 'man bites dog']).same_bag_pairs == ((0, 1),)
assert toy_rnn.run_bundled(ModelStore(), [[1, 1], [1, 1], [2, 2]]).to_json()['outputs'] == [[4, 4], [12, 12], [32, 32]]
try:
    import PySide6
except ImportError:
    pass
else:
    raise SystemExit('the blocker did not work')
bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]
assert not bad, bad
print('ok')
"""
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok")


def test_core_does_not_import_torch_at_import_time():
    code = "import sys\n" + "\n".join(f"import {m}" for m in CORE_MODULES) + "\nprint('torch' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_cli_commands_without_a_window_do_not_import_qt():
    code = (
        BLOCKER
        + """
from viz_app.cli import main
assert main(['bow', 'a b', 'b a', '--json']) == 0
assert main(['rnn-toy', '1,1;1,1;2,2', '--json']) == 0
assert main(['models', '--json']) == 0
assert main(['lessons', '--json']) == 0
"""
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_the_import_contracts_hold():
    """pyproject's [tool.importlinter] contracts: the core imports no Qt and nothing of the Qt layer or the
    command line; the command line's domains and the Qt lessons do not import each other."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 kept, 0 broken" in run.stdout


def test_the_lesson_table_names_every_lessons_jobs_and_view():
    """One row per ready lesson: its core module (Qt-free, under viz_app.core.lessons), the jobs its view asks
    for (every ``*_job`` its Qt folder names is in the rows of that folder's lessons), and a view class that
    exists."""
    import importlib
    import re
    from pathlib import Path

    from viz_app.core.lessons import LESSONS as OUTLINE
    from viz_app.qt.lessons import LESSONS

    assert {lesson.id for lesson in OUTLINE if lesson.ready} <= set(LESSONS)
    listed: dict[str, set] = {}  # Qt folder -> the jobs of its lessons' rows (one folder draws BERT, GPT, ...)
    for lesson_id, entry in LESSONS.items():
        assert entry.core.startswith("viz_app.core.lessons."), lesson_id
        assert all(callable(fn) for fn in entry.job_functions()), lesson_id
        module, _, name = entry.view.partition(":")
        assert isinstance(getattr(importlib.import_module(module), name), type), lesson_id
        folder = module.split(".")[3]  # viz_app.qt.lessons.<folder>.<module>
        listed.setdefault(folder, set()).update(job.rpartition(":")[2] for job in entry.jobs)
    root = Path(viz_app.core.__file__).parent.parent / "qt" / "lessons"
    for folder, jobs in listed.items():
        named = set()
        for path in (root / folder).glob("*.py"):
            named |= set(re.findall(r"\b([a-z][a-z0-9_]*_job)\b", path.read_text(encoding="utf-8")))
        assert named <= jobs, (folder, named - jobs)
