"""Where the save dialogs open: the folder the user last saved into, else their Pictures folder (images)
or Documents folder (numbers), else their home folder; never the folder the app happened to start in.

The main window hands over its settings (:func:`remember_in`), so the last folder is kept across runs.
"""

from __future__ import annotations

from pathlib import Path

_settings = None
KEY = "export_folder"


def remember_in(settings) -> None:
    """Keep the last folder used in ``settings`` (a :class:`viz_app.core.settings.Settings`)."""
    global _settings
    _settings = settings


def start_folder(kind: str = "image") -> str:
    """The folder a save dialog opens in. ``kind``: "image" (PNG, SVG) or "numbers" (CSV, JSON)."""
    from PySide6.QtCore import QStandardPaths

    last = _settings.get(KEY) if _settings is not None else ""
    if isinstance(last, str) and last and Path(last).is_dir():
        return last
    first = QStandardPaths.PicturesLocation if kind == "image" else QStandardPaths.DocumentsLocation
    for location in (first, QStandardPaths.DocumentsLocation, QStandardPaths.HomeLocation):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def remember(folder) -> None:
    if _settings is not None:
        _settings.set(KEY, str(folder))


def ask_save_path(parent, title: str, file_name: str, filters: str, kind: str = "image") -> str:
    """A save dialog opened in :func:`start_folder` with ``file_name`` proposed; "" when cancelled. The
    folder chosen is remembered for the next one."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(start_folder(kind)) / file_name), filters)
    if path:
        remember(Path(path).parent)
    return path
