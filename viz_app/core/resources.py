"""Finding bundled resources from a source checkout, an installed wheel, or a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../viz_app


def resources_dir() -> Path:
    """The folder that holds ``models/manifest.json`` and the other bundled files.

    Looked up in this order:
    1. ``$VIZ_APP_RESOURCES`` (tests and power users point it elsewhere);
    2. ``viz_app/resources`` inside an installed wheel (the wheel maps the
       top-level ``resources/`` there);
    3. ``resources/`` in a PyInstaller bundle (``sys._MEIPASS``);
    4. ``resources/`` next to the package in a source checkout.
    """
    override = os.environ.get("VIZ_APP_RESOURCES")
    if override:
        return Path(override)
    candidates = [_PACKAGE_DIR / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(_PACKAGE_DIR.parent / "resources")
    for candidate in candidates:
        if (candidate / "models").is_dir():
            return candidate
    return candidates[-1]


def models_dir() -> Path:
    return resources_dir() / "models"
