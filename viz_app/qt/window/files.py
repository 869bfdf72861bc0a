"""The main window's tours, exports (PNG, SVG, CSV, JSON, the clipboard) and Help dialogs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from viz_app import __version__
from viz_app.core import lessons as catalogue
from viz_app.qt.i18n import lesson_text, tr

log = logging.getLogger(__name__)


class FilesMixin:
    """Part of ``MainWindow`` (viz_app.qt.main_window): its methods use the window's own widgets."""

    def start_lecture_tour(self, name: str = "lecture") -> str:
        """Tour > Start the lecture tour: the bundled walk through the whole lecture (or another bundled tour)."""
        from viz_app.core import tours

        message = self.tour.open_file(str(tours.bundled_tour_path(name)))
        if message:
            self._tour_message(message)
        return message

    def start_tang_tour(self) -> str:
        """Tour > the Chinese tour 「AI 寫唐詩」: characters, neighbours, next character, couplets, poems in a form."""
        return self.start_lecture_tour("tang")

    def open_tour(self, path: str | None = None) -> str:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, tr("Open tour"), "", tr("Tours (*.json);;All files (*)"))
            if not path:
                return "cancelled"
        message = self.tour.open_file(path)
        if message:
            self._tour_message(tr("This tour cannot be opened: {reason}").format(reason=message))
        return message

    def save_tour(self, path: str | None = None) -> str:
        if self.tour.tour is None:
            message = tr("There is no tour to save: add a step first (Tour > Add current view as a step).")
            self._tour_message(message)
            return message
        if path is None:
            default = self.tour.path or "my-tour.json"
            path, _ = QFileDialog.getSaveFileName(self, tr("Save tour"), default, tr("Tours (*.json)"))
            if not path:
                return "cancelled"
        message = self.tour.save_file(path)
        if message:
            self._tour_message(message)
        else:
            self.statusBar().showMessage(tr("Tour saved to {path}").format(path=path), 8000)
        return message

    def add_tour_step(self, caption: str | None = None) -> int:
        """Tour > Add current view as a step: the lesson, text, model, tab and controls as they are now."""
        if caption is None:
            lesson = catalogue.lesson(self.current_lesson_id)
            caption, ok = QInputDialog.getMultiLineText(
                self, tr("Add a step"), tr("Caption for this step:"), lesson_text(lesson.title)
            )
            if not ok:
                return -1
        return self.tour.add_current_view(caption)

    def _tour_message(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Warning, tr("Tour"), message, QMessageBox.Ok, self)
        box.setObjectName("tourMessage")
        box.open()

    # --- export -------------------------------------------------------------------------------
    def _default_name(self, suffix: str) -> str:
        words = "-".join(self.input.toPlainText().split()[:4])
        safe = "".join(ch for ch in words if ch.isalnum() or ch in "-_")[:40]
        return f"{self.current_lesson_id}{'-' + safe if safe else ''}.{suffix}"

    def _export_target(self):
        """What the export commands save: the lesson's open tab (or the whole view without tabs)."""
        view = self.current_view()
        tabs = getattr(view, "tabs", None)
        return tabs.currentWidget() if tabs is not None and tabs.currentWidget() is not None else view

    def export_png(self, path: str, scale: float = 1.0) -> bool:
        from viz_app.qt.export import render_image

        target = self._export_target()
        return bool(target is not None and render_image(target, scale).save(path, "PNG"))

    def export_svg(self, path: str) -> None:
        from viz_app.qt.export import export_widget

        export_widget(self._export_target(), path)

    def copy_view_image(self) -> bool:
        from viz_app.qt.export import render_image

        target = self._export_target()
        if target is None:
            return False
        QApplication.clipboard().setImage(render_image(target))
        self.statusBar().showMessage(tr("The view was copied to the clipboard as an image."), 5000)
        return True

    def _ask_path(self, title: str, suffix: str, filters: str) -> str:
        from viz_app.qt import save_dialog

        kind = "image" if suffix in ("png", "svg") else "numbers"
        return save_dialog.ask_save_path(self, title, self._default_name(suffix), filters, kind)

    def _failed(self, path: str, error) -> None:
        QMessageBox.warning(
            self, tr("Export failed"), tr("Could not write {path}: {error}").format(path=path, error=str(error))
        )

    def _export_image(self, scale: float) -> None:
        path = self._ask_path(tr("Export view as PNG"), "png", tr("PNG image (*.png)"))
        if path and not self.export_png(path, scale):
            self._failed(path, tr("the image could not be saved"))

    def _export_svg(self) -> None:
        path = self._ask_path(tr("Export view as SVG"), "svg", tr("SVG image (*.svg)"))
        if path:
            try:
                self.export_svg(path)
            except (OSError, ValueError) as exc:
                self._failed(path, exc)

    def _export_csv(self) -> None:
        view = self.current_view()
        if view is None or view.result is None:
            QMessageBox.information(self, tr("Nothing to export"), tr("This view has no numbers to export yet."))
            return
        path = self._ask_path(tr("Export numbers as CSV"), "csv", tr("Numbers (*.csv)"))
        if path:
            try:
                view.export(path)  # each view writes the numbers of its open tab
            except (OSError, ValueError) as exc:
                self._failed(path, exc)

    def export_json(self, path: str) -> bool:
        """The numbers behind the view, as the command line prints them. False if there are none yet."""
        view = self.current_view()
        data = view.export_json() if view is not None else None
        if data is None:
            return False
        from viz_app.core.files import atomic_write_text

        atomic_write_text(Path(path), json.dumps(data, indent=2, ensure_ascii=False))
        return True

    def _export_json(self) -> None:
        view = self.current_view()
        if view is None or view.export_json() is None:
            QMessageBox.information(self, tr("Nothing to export"), tr("This view has no numbers to export yet."))
            return
        path = self._ask_path(tr("Export numbers"), "json", "JSON (*.json)")
        if path:
            try:
                self.export_json(path)
            except OSError as exc:
                self._failed(path, exc)

    # --- help -----------------------------------------------------------------------------------
    def about_models(self, modal: bool = True):
        from viz_app.qt.about_models import AboutModelsDialog

        dialog = AboutModelsDialog(parent=self)
        if modal:
            dialog.open()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            tr("About viz_app"),
            f"<b>viz_app {__version__}</b><p>"
            + tr("Watch language models work, offline: a companion to the lecture <i>Generative AI in Language</i>.")
            + "</p>",
        )
