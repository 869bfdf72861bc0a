"""The wheel carries resources/, and the app runs from it outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("viz_app-*.whl")
    return path


def test_wheel_contains_the_models_and_the_entry_point(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("viz_app/resources/models/manifest.json"))
        entry_points = next(zf.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for model in manifest["models"]:
        for f in model["files"]:
            assert f"viz_app/resources/models/{f['path']}" in names
    assert "viz-app = viz_app.cli:main" in entry_points


def test_unpacked_wheel_runs_outside_the_source_tree(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    env = {k: v for k, v in os.environ.items() if k not in ("VIZ_APP_RESOURCES", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    code = "import viz_app, sys; from viz_app.cli import main; print(viz_app.__file__); sys.exit(main(sys.argv[1:]))"

    def viz_app_from_wheel(*argv: str) -> tuple[str, dict]:
        proc = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stderr
        first, rest = proc.stdout.split("\n", 1)
        return first, json.loads(rest)

    module_file, report = viz_app_from_wheel("self-test", "--json")
    assert module_file.startswith(str(site)), "the package was not imported from the wheel"
    assert report["ok"]
    _, models = viz_app_from_wheel("models", "--json")
    assert models["models_dir"].startswith(str(site))


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv(tmp_path):
    """Non-editable install into a new virtual environment, then run from elsewhere (slow: installs torch)."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(REPO)], capture_output=True, text=True, timeout=1800
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k != "VIZ_APP_RESOURCES"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    exe = env_dir / "bin" / "viz-app"
    proc = subprocess.run([str(exe), "self-test"], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    png = tmp_path / "shot.png"
    proc = subprocess.run(
        [str(exe), "screenshot", "--lesson", "rnn-toy", "--text", "1,1;1,1;2,2", "--out", str(png)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and png.stat().st_size > 10_000, proc.stderr
