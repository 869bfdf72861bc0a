"""The page of a lesson that a later version fills: what it will show, never an empty widget."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from viz_app.qt.i18n import lesson_text, tr
from viz_app.qt.lessons.base import LessonView


class PlaceholderView(LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        planned = "".join(f"<li>{lesson_text(item)}</li>" for item in lesson.planned)
        coming = tr("Coming in a later version.")
        will_show = tr("This lesson will show:")
        follows = tr("The explanation on the right already follows the lecture.")
        label = QLabel(
            f"<h1>{escape(lesson_text(lesson.title))}</h1>"
            f"<p style='font-size:large'><b>{coming}</b></p>"
            f"<p>{escape(lesson_text(lesson.summary))}</p>"
            + (f"<p>{will_show}</p><ul>{planned}</ul>" if planned else "")
            + f"<p>{follows}</p>",
            self,
        )
        label.setObjectName("comingLater")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        label.setTextFormat(Qt.RichText)
        self.body.addWidget(label, 1)
        self.drawn = True  # nothing to compute
