"""User settings as a small JSON file, written atomically.

Any file whatever that is not a settings file (binary bytes, JSON nested 100,000 deep, a 400-digit
number, a geometry that is not base64) is set aside (renamed ``settings.json.broken``) and the
defaults are used; ``Settings.notice`` then says so, for the status bar. A single value of the wrong
type or out of range falls back to its default.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import shutil
import sys
from pathlib import Path

from viz_app.core.files import atomic_write_text, replace_undecodable
from viz_app.core.messages import msg

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
    "export_folder": "",  # the folder the last export was saved in (the save dialogs open there)
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
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notice = msg(
                "Settings file {path} could not be read ({error}); using defaults.", path=self.path, error=exc
            )
            return
        try:
            data = parse(raw)
        except Exception as exc:  # noqa: BLE001 - any file whatever: defaults, a notice, and the file set aside
            aside = self.path.with_name(self.path.name + ".broken")
            try:
                os.replace(self.path, aside)
                self.notice = msg(
                    "Settings file was broken ({error}); it was moved to {aside} and defaults are used.",
                    error=_short(exc),
                    aside=aside,
                )
            except OSError:
                self.notice = msg(
                    "Settings file was broken ({error}); it was left in place and defaults are used.",
                    error=_short(exc),
                )
            return
        values, rejected = data
        self.values.update(values)
        if rejected:  # the usable values are kept; the file is set aside, and the next save writes a good one
            aside = self.path.with_name(self.path.name + ".broken")
            keys = ", ".join(rejected)
            try:
                shutil.copyfile(self.path, aside)
                self.notice = msg(
                    "Settings file had values that cannot be used ({keys}); defaults are used for them "
                    "and a copy of the file is in {aside}.",
                    keys=keys,
                    aside=aside,
                )
            except OSError:
                self.notice = msg(
                    "Settings file had values that cannot be used ({keys}); defaults are used for them.", keys=keys
                )

    def blob(self, key: str) -> bytes:
        """The bytes a base64 setting holds ("geometry", "splitter"); b"" when it holds none or nonsense."""
        value = self.values.get(key)
        return _base64_bytes(value) if isinstance(value, str) else b""

    def get(self, key: str):
        return self.values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value) -> None:
        self.values[key] = value

    def save(self) -> None:
        """Written atomically (``viz_app.core.files``): a crash never leaves a broken settings file."""
        if not self.persistent:
            return
        values = {k: replace_undecodable(v)[0] if isinstance(v, str) else v for k, v in self.values.items()}
        atomic_write_text(self.path, json.dumps(values, indent=2, ensure_ascii=False, allow_nan=False))


def clamp_font_scale(value: float) -> float:
    if not math.isfinite(value):
        return float(DEFAULTS["font_scale"])
    return round(min(FONT_SCALE_MAX, max(FONT_SCALE_MIN, value)), 2)


MAX_SETTINGS_BYTES = 64 * 1024 * 1024
_SHORT_VALUE = 200  # characters: every setting but the typed text is a short word or a base64 blob
_BASE64_VALUE = 64 * 1024


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _base64_bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value.encode("ascii"), validate=True) if value else b""
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return b""


def parse(raw: bytes) -> tuple[dict, list[str]]:
    """(the usable settings a file's bytes hold, the keys whose values could not be used); raises
    ValueError (or any other exception, which the caller treats the same) for a file that is not a
    settings file at all. A wrong value falls back to its default; the rest are kept."""
    if len(raw) > MAX_SETTINGS_BYTES:
        raise ValueError(f"{len(raw):,} bytes, more than a settings file holds")
    text = raw.decode("utf-8-sig")  # UnicodeDecodeError is a ValueError
    data = json.loads(text, parse_constant=_no_constant)  # nested 100,000 deep: RecursionError, caught above
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    out: dict = {}
    rejected: list[str] = []
    for key, default in DEFAULTS.items():
        if key not in data:
            continue
        value = _checked(key, default, data[key])
        if value is None:
            rejected.append(key)
        else:
            out[key] = value
    return out, rejected


def _checked(key: str, default, value):
    """The value to use for ``key``, or None when the file's value cannot be used."""
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        try:
            number = float(value)  # a 400-digit integer raises OverflowError
        except OverflowError:
            return None
        return clamp_font_scale(number) if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    value, _ = replace_undecodable(value)
    if key in ("geometry", "splitter"):
        return value if value == "" or (len(value) <= _BASE64_VALUE and _base64_bytes(value)) else None
    if key == "theme" and value not in ("light", "dark"):
        return None
    return value if key in ("text", "export_folder") or len(value) <= _SHORT_VALUE else None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a settings file may hold")
