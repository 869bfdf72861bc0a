"""User settings as a small JSON file, written atomically.

A file that cannot be read is set aside (renamed ``settings.json.broken``) and
the defaults are used; ``Settings.notice`` then says so, for the status bar.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from viz_app.core.files import atomic_write_text

DEFAULTS: dict = {
    "font_scale": 1.0,
    "theme": "light",
    "lesson": "bow",
    "device": "auto",
    "geometry": "",  # QWidget.saveGeometry() as base64
    "splitter": "",
    "text": "",
    "language": "en",
    "colormap": "viridis",
}
FONT_SCALE_MIN, FONT_SCALE_MAX = 0.6, 3.0


def config_dir() -> Path:
    """$VIZ_APP_CONFIG_DIR, else the platform's per-user config folder."""
    override = os.environ.get("VIZ_APP_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "viz-app"


class Settings:
    def __init__(self, path: Path | None = None, persistent: bool = True):
        self.path = Path(path) if path is not None else config_dir() / "settings.json"
        self.persistent = persistent
        self.values = dict(DEFAULTS)
        self.notice = ""
        if persistent:
            self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notice = f"Settings file {self.path} could not be read ({exc}); using defaults."
            return
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            aside = self.path.with_name(self.path.name + ".broken")
            try:
                os.replace(self.path, aside)
                where = f"it was moved to {aside}"
            except OSError:
                where = "it was left in place"
            self.notice = f"Settings file was broken ({exc}); {where} and defaults are used."
            return
        for key, default in DEFAULTS.items():
            value = data.get(key, default)
            if isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int)):
                self.values[key] = value
        self.values["font_scale"] = clamp_font_scale(float(self.values["font_scale"]))
        if self.values["theme"] not in ("light", "dark"):
            self.values["theme"] = "light"

    def get(self, key: str):
        return self.values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value) -> None:
        self.values[key] = value

    def save(self) -> None:
        """Written atomically (``viz_app.core.files``): a crash never leaves a broken settings file."""
        if not self.persistent:
            return
        atomic_write_text(self.path, json.dumps(self.values, indent=2, ensure_ascii=False))


def clamp_font_scale(value: float) -> float:
    return round(min(FONT_SCALE_MAX, max(FONT_SCALE_MIN, value)), 2)
