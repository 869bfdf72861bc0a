"""Crash safety for a GUI user, who has no terminal to read a traceback in.

An exception nobody caught (in a Qt slot, a timer, an event handler or a Python thread) is written
with its traceback to ``crash.log`` in the user's data folder and shown in a dialog that names the log;
the event loop goes on, so the app keeps running. Several errors in a row give one dialog at a time.
"""

from __future__ import annotations

import datetime
import logging
import sys
import threading
import traceback
from pathlib import Path

from viz_app.core.settings import config_dir

log = logging.getLogger(__name__)
LOG_NAME = "crash.log"
MAX_LOG_BYTES = 2_000_000  # the log is cut back to its newer half past this size


def log_path() -> Path:
    return config_dir() / LOG_NAME


def write_report(exc_type, exc, tb, where: str = "") -> Path | None:
    """Append the traceback to the crash log. Returns its path, or None if it could not be written."""
    path = log_path()
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            kept = path.read_bytes()[-MAX_LOG_BYTES // 2 :]
            path.write_bytes(kept)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {stamp} {where}\n{text}\n")
        return path
    except OSError as err:
        log.error("could not write the crash log %s: %s", path, err)
        return None


class CrashHandler:
    """Installed once by the GUI: ``sys.excepthook`` and ``threading.excepthook`` report here."""

    def __init__(self, show_dialog=None):
        self.show_dialog = show_dialog or _dialog
        self.reports: list[str] = []  # one line per error, newest last (tests read it)
        self._showing = False
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> CrashHandler:
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(
            args.exc_type, args.exc_value, args.exc_traceback, f"thread {args.thread.name if args.thread else '?'}"
        )
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def handle(self, exc_type, exc, tb, where: str = "") -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        path = write_report(exc_type, exc, tb, where)
        line = f"{exc_type.__name__}: {exc}"
        self.reports.append(line)
        log.error("uncaught %s", line)
        if self._showing:
            return  # one dialog at a time; the log has them all
        self._showing = True
        try:
            self._show_later(line, path)
        finally:
            self._showing = False

    def _show_later(self, line: str, path: Path | None) -> None:
        from PySide6.QtCore import QThread, QTimer
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is None:
            return
        if QThread.currentThread() is app.thread():
            self.show_dialog(line, path)
        else:  # never open a dialog from a worker thread
            QTimer.singleShot(0, app, lambda: self.show_dialog(line, path))


def _dialog(line: str, path: Path | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from viz_app.qt.i18n import tr

    where = (
        tr("The details were written to {path}.").format(path=path)
        if path
        else tr("The crash log could not be written.")
    )
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(tr("Something went wrong"))
    box.setText(tr("An unexpected error happened; the app keeps running."))
    box.setInformativeText(f"{line}\n\n{where}")
    box.exec()
