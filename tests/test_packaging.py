"""The wheel carries resources/, and the app runs from it outside the source tree; so does the
PyInstaller bundle and its .deb (slow and opt-in: VIZ_APP_BUILD_BUNDLE=1)."""

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


# --- the PyInstaller bundle and the .deb (python -m viz_app.packaging.build) ---------------------------
# Slow (about 5 minutes on 2 cores, 3 GB of disk in the temporary folder) and opt-in:
#   VIZ_APP_BUILD_BUNDLE=1 python -m pytest -m slow tests/test_packaging.py -k bundle
_opt_in = pytest.mark.skipif(
    os.environ.get("VIZ_APP_BUILD_BUNDLE") != "1", reason="set VIZ_APP_BUILD_BUNDLE=1 to build the desktop bundle"
)


def bundle_opt_in(test):
    """Opt-in, and with room for the build: the first test using the bundle also pays for building it (about 4
    minutes here; pytest-timeout counts fixture setup against the test's 5 minutes)."""
    return pytest.mark.timeout(1800)(_opt_in(test))


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> dict:
    """Build the bundle (and on Linux the .deb, unpacked with dpkg-deb -x into a private root: no install)."""
    import shutil

    out = tmp_path_factory.mktemp("bundle")
    with_deb = sys.platform.startswith("linux") and shutil.which("dpkg-deb") is not None
    command = [sys.executable, "-m", "viz_app.packaging.build", "--out", str(out), *(["--deb"] if with_deb else [])]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=3600, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads((out / "build-summary.json").read_text(encoding="utf-8"))
    if with_deb:
        root = out / "root"
        subprocess.run(["dpkg-deb", "-x", summary["deb"], str(root)], check=True, timeout=600)
        app_dir = root / "opt" / "viz-app"
        for folder in ("work", "deb-root", "dist"):  # 2 GB the checks below do not need
            shutil.rmtree(out / folder, ignore_errors=True)
    else:
        root, app_dir = None, Path(summary["bundle_dir"])
    exe = app_dir / ("viz-app.exe" if sys.platform == "win32" else "viz-app")
    env = {k: v for k, v in os.environ.items() if k not in ("VIZ_APP_RESOURCES", "PYTHONPATH")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        VIZ_APP_CONFIG_DIR=str(out / "config"),
        NUMBA_CACHE_DIR=str(out / "numba-cache"),  # UMAP's compiled functions, not in the user's cache
    )
    print(json.dumps(summary, indent=2))
    return {"out": out, "summary": summary, "root": root, "app_dir": app_dir, "exe": exe, "env": env}


def run_bundled(bundle: dict, *argv: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """The bundled program, started from outside the source tree."""
    return subprocess.run(
        [str(bundle["exe"]), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=bundle["env"],
        cwd=bundle["out"],
    )


@pytest.mark.slow
@bundle_opt_in
def test_bundle_deb_installs_the_program_command_desktop_entry_and_icon(bundle):
    root = bundle["root"]
    if root is None:
        pytest.skip("the .deb is built on Linux with dpkg-deb only")
    deb = bundle["summary"]["deb"]
    fields = subprocess.run(
        ["dpkg-deb", "-f", deb, "Package", "Version", "Depends"], capture_output=True, text=True, check=True
    ).stdout
    assert "Package: viz-app" in fields and "Version: 0.1.0" in fields and "libgl1" in fields
    assert (root / "opt" / "viz-app" / "viz-app").stat().st_mode & 0o111
    assert (root / "opt" / "viz-app" / "_internal" / "resources" / "models" / "manifest.json").is_file()
    assert os.readlink(root / "usr" / "bin" / "viz-app") == "/opt/viz-app/viz-app"
    desktop = (root / "usr" / "share" / "applications" / "viz-app.desktop").read_text(encoding="utf-8")
    assert "Exec=viz-app" in desktop and "Icon=viz-app" in desktop and "Type=Application" in desktop
    assert png_size(root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "viz-app.png") == (256, 256)
    assert not (root / "opt" / "viz-app" / "_internal" / "torch" / "test").exists(), "torch's test programs shipped"
    i18n = REPO / "resources" / "i18n"
    for qm in sorted(i18n.glob("*.qm")) if i18n.is_dir() else []:
        assert (root / "opt" / "viz-app" / "_internal" / "resources" / "i18n" / qm.name).is_file()


@pytest.mark.slow
@bundle_opt_in
def test_bundle_self_test_runs_on_its_own_resources(bundle):
    proc = run_bundled(bundle, "--version")
    assert proc.returncode == 0 and proc.stdout.strip() == "viz-app 0.1.0", proc.stderr
    proc = run_bundled(bundle, "self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_bundled(bundle, "models", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["models_dir"].startswith(str(bundle["app_dir"]))


@pytest.mark.slow
@bundle_opt_in
def test_bundle_scores_bleu_and_trains(bundle):
    """Paths the self-test does not take: sacrebleu (which imports lxml) and a training step (torch's
    optimisers import torch._dynamo, and with it sympy)."""
    pairs = bundle["out"] / "pairs.txt"
    pairs.write_text("i am a student .\tje suis étudiant .\nhe is tall .\til est grand .\n", encoding="utf-8")
    proc = run_bundled(bundle, "bleu", "--model", "seq2seq-attention", "--pairs", str(pairs), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    corpus = bundle["out"] / "corpus"
    corpus.mkdir()
    words = "the dog bites the man and the man bites the dog".split()
    lines = [" ".join(words[i:] + words[:i]) for i in range(len(words))] * 20
    (corpus / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = bundle["out"] / "embeddings"
    small = "--method skipgram --min-count 1 --dim 8 --epochs 1".split()
    proc = run_bundled(bundle, "train-embeddings", *small, "--corpus", str(corpus), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "embedding-skipgram.safetensors").is_file()


@pytest.mark.slow
@bundle_opt_in
def test_bundle_renders_a_lesson_to_png(bundle):
    png = bundle["out"] / "bundle-bow.png"
    proc = run_bundled(bundle, "screenshot", "--lesson", "bow", "--text", "dog bites man", "--out", str(png))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert png_size(png) == (1280, 800)
    assert png.stat().st_size > 30_000, "the screenshot is nearly empty"
    print(f"screenshot from the bundle: {png}")


@pytest.mark.slow
@bundle_opt_in
def test_bundle_runs_tsne_and_umap_in_a_child_process(bundle):
    """The slow projections run in a "spawn" child, which in a bundle is the bundled program itself."""
    import numpy as np

    vectors = np.random.default_rng(0).normal(size=(200, 16))
    vec = bundle["out"] / "small.vec"
    lines = [f"{len(vectors)} {vectors.shape[1]}"] + [
        f"w{i} " + " ".join(f"{v:.5f}" for v in row) for i, row in enumerate(vectors)
    ]
    vec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for method in ("tsne", "umap"):
        csv = bundle["out"] / f"{method}.csv"
        proc = run_bundled(bundle, "project", "--model", str(vec), "--method", method, "--out", str(csv), timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        rows = csv.read_text(encoding="utf-8").splitlines()
        assert rows[0] == "word,x,y" and len(rows) == 201


@pytest.mark.slow
@bundle_opt_in
def test_bundle_paints_its_window_without_loading_torch_first(bundle):
    from viz_app.benchmark import measure_bundle, measure_first_paint

    bundled = measure_bundle(bundle["app_dir"], starts=5)
    source = measure_first_paint(starts=5)
    print(
        f"cold start to first paint, median of 5: bundle {bundled['seconds']['median']} s, source {source['seconds']['median']} s"
    )
    assert not bundled["torch_before_paint"] or sys.platform == "win32"  # Windows loads torch before Qt, on purpose
    assert bundled["seconds"]["median"] < 10.0
