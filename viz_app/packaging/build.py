"""Build the desktop bundle with PyInstaller, and on Linux a .deb that installs it.

    pip install -e ".[bundle]"
    python -m viz_app.packaging.build [--out DIR] [--deb] [--clean] [--measure]

Everything is written under ``--out`` (default: ``viz-app-bundle`` in the system's temporary folder),
never inside the source tree:

* ``dist/viz-app/``: the one-folder bundle (run ``dist/viz-app/viz-app``, ``viz-app.exe`` on Windows;
  on macOS also ``dist/viz-app.app``);
* ``work/``: PyInstaller's build folder (kept between runs; ``--clean`` empties its cache);
* with ``--deb`` (Linux): ``viz-app_<version>_<arch>.deb``, which installs the bundle in
  ``/opt/viz-app/``, the command ``/usr/bin/viz-app``, a desktop entry and a 256 px icon;
* ``build-summary.json``: the paths, sizes and times of this build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from viz_app import __version__

PACKAGING_DIR = Path(__file__).resolve().parent
SPEC = PACKAGING_DIR / "viz-app.spec"
REPO = PACKAGING_DIR.parent.parent
ICON_PNG = REPO / "resources" / "icons" / "viz-app.png"
APP_NAME = "viz-app"
INSTALL_DIR = "/opt/viz-app"

DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=viz-app
GenericName=Language model visualiser
Comment=Watch language models work: embeddings, RNNs, attention, BERT and GPT
Exec=viz-app
Icon=viz-app
Terminal=false
Categories=Education;Science;ComputerScience;
Keywords=language model;attention;transformer;BERT;GPT;embedding;
"""

# The .deb's compression. zstd level 9 packs this bundle in 23 s to 350 MiB on a 2-core machine; xz
# (dpkg-deb's default) takes 8 minutes for 301 MiB. Debian's dpkg reads zstd from 1.21.18 on (Debian 12),
# Ubuntu's since 18.04; a bundle built on Debian 12 needs its glibc (2.36) anyway.
ZSTD_LEVEL = 9

# What the bundle does not carry: PyInstaller leaves out the C library, OpenGL/EGL (they belong to the
# graphics driver) and fontconfig's configuration; a font is needed for any text.
DEB_DEPENDS = ["libgl1", "libegl1", "libfontconfig1", "fonts-dejavu-core | fonts-dejavu"]


def default_out() -> Path:
    return Path(tempfile.gettempdir()) / "viz-app-bundle"


def executable_name() -> str:
    return f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME


def disk_usage(path: Path) -> int:
    """Bytes the tree takes on disk, as ``du`` counts them (allocated blocks, hard links once)."""
    total, seen = 0, set()
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            st = os.lstat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            blocks = getattr(st, "st_blocks", None)
            total += blocks * 512 if blocks is not None else st.st_size
    return total


def mib(n: int) -> float:
    return round(n / 2**20, 1)


def run_pyinstaller(out: Path, clean: bool = False) -> Path:
    """Run PyInstaller with the spec; returns the bundle folder ``out/dist/viz-app``."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('PyInstaller is not installed: pip install -e ".[bundle]"') from None
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(out / "dist"),
        "--workpath",
        str(out / "work"),
    ]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    print("running:", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=out)
    bundle = out / "dist" / APP_NAME
    if not (bundle / executable_name()).is_file():
        raise SystemExit(f"PyInstaller finished but {bundle / executable_name()} is missing")
    return bundle


def glibc_needed(bundle: Path) -> str | None:
    """The newest GLIBC_2.x symbol version any bundled ELF file asks for (the .deb's libc6 minimum)."""
    newest = None
    pattern = re.compile(rb"GLIBC_2\.(\d+)(?:\.(\d+))?\x00")
    for root, _dirs, files in os.walk(bundle):
        for name in files:
            path = Path(root, name)
            if path.is_symlink():
                continue
            with open(path, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
                f.seek(0)
                data = f.read()
            for m in pattern.finditer(data):
                version = (int(m.group(1)), int(m.group(2) or 0))
                newest = version if newest is None or version > newest else newest
    if newest is None:
        return None
    return f"2.{newest[0]}" + (f".{newest[1]}" if newest[1] else "")


def deb_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def control_file(installed_kib: int, architecture: str, libc: str | None) -> str:
    depends = ([f"libc6 (>= {libc})"] if libc else []) + DEB_DEPENDS
    return (
        f"Package: {APP_NAME}\n"
        f"Version: {__version__}\n"
        "Section: education\n"
        "Priority: optional\n"
        f"Architecture: {architecture}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Maintainer: viz-app maintainers <viz-app@example.org>\n"
        "Description: watch language models work, offline\n"
        " A desktop application for classroom demonstrations and self-study of\n"
        " language models: bag-of-words vectors, word embeddings, RNNs and LSTM\n"
        " gates, seq2seq with attention, self-attention, the Transformer, BERT and\n"
        " GPT, computed live on typed text by small models that ship inside it.\n"
        " .\n"
        " The program and its Python runtime (PyInstaller bundle) are installed in\n"
        f" {INSTALL_DIR}; the command is viz-app.\n"
    )


def build_deb(bundle: Path, out: Path, compression: str = "zstd") -> Path:
    """Stage the bundle and the desktop files as the installed tree, then ``dpkg-deb --build`` it."""
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is not installed (apt-get install dpkg)")
    architecture = deb_architecture()
    stage = out / "deb-root"
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / INSTALL_DIR.lstrip("/")
    opt.parent.mkdir(parents=True)

    def link_or_copy(src, dst):  # hard links: the stage costs no second copy of the bundle
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(bundle, opt, symlinks=True, copy_function=link_or_copy)
    usr_bin = stage / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / APP_NAME).symlink_to(f"{INSTALL_DIR}/{APP_NAME}")
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{APP_NAME}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = stage / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy2(ICON_PNG, icons / f"{APP_NAME}.png")
    for path in [stage, *stage.rglob("*")]:  # dpkg wants 0755 folders whatever the umask was
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)

    installed_kib = (disk_usage(stage) + 1023) // 1024
    debian = stage / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control_file(installed_kib, architecture, glibc_needed(bundle)), encoding="utf-8")
    deb = out / f"{APP_NAME}_{__version__}_{architecture}.deb"
    level = [f"-z{ZSTD_LEVEL}"] if compression == "zstd" else []
    command = ["dpkg-deb", "--root-owner-group", f"-Z{compression}", *level, "--build", str(stage), str(deb)]
    print("running:", " ".join(command), flush=True)
    subprocess.run(command, check=True)
    return deb


def build(out: Path, deb: bool = False, clean: bool = False, compression: str = "zstd", measure: int = 0) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {"version": __version__, "platform": platform.platform(), "when": time.strftime("%Y-%m-%d %H:%M")}
    start = time.perf_counter()
    bundle = run_pyinstaller(out, clean=clean)
    summary["pyinstaller_s"] = round(time.perf_counter() - start, 1)
    summary["bundle_dir"] = str(bundle)
    summary["executable"] = str(bundle / executable_name())
    summary["bundle_mib"] = mib(disk_usage(bundle))
    if deb:
        start = time.perf_counter()
        deb_path = build_deb(bundle, out, compression)
        summary["deb_s"] = round(time.perf_counter() - start, 1)
        summary["deb"] = str(deb_path)
        summary["deb_mib"] = mib(deb_path.stat().st_size)
        summary["deb_installed_mib"] = mib(disk_usage(out / "deb-root") - disk_usage(out / "deb-root" / "DEBIAN"))
    if measure:
        from viz_app.benchmark import measure_bundle, measure_first_paint

        # alternated, so that both meet the same load on a shared machine
        bundled, source = [], []
        for _ in range(measure):
            bundled.append(measure_bundle(bundle, starts=1)["seconds"]["median"])
            source.append(measure_first_paint(starts=1)["seconds"]["median"])
        summary["first_paint_bundle_s"] = sorted(bundled)[len(bundled) // 2]
        summary["first_paint_source_s"] = sorted(source)[len(source) // 2]
        summary["first_paint_runs"] = {"bundle": bundled, "source": source}
    (out / "build-summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m viz_app.packaging.build", description="Build the one-folder viz-app bundle (and a .deb)."
    )
    parser.add_argument("--out", type=Path, default=default_out(), help=f"output folder (default {default_out()})")
    parser.add_argument("--deb", action="store_true", help="also build a .deb (Linux, needs dpkg-deb)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument(
        "--compression",
        choices=("zstd", "xz", "gzip", "none"),
        default="zstd",
        help="the .deb's: zstd (default, level 9) or xz (about 15%% smaller, 20 times slower)",
    )
    parser.add_argument(
        "--measure", type=int, default=0, metavar="N", help="then time N cold starts to first paint, bundle vs source"
    )
    args = parser.parse_args(argv)
    if args.deb and not sys.platform.startswith("linux"):
        parser.error("--deb works on Linux only")
    out = args.out.resolve()
    if out == REPO or REPO in out.parents:
        parser.error(f"--out must be outside the source tree ({REPO})")
    summary = build(out, deb=args.deb, clean=args.clean, compression=args.compression, measure=args.measure)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
