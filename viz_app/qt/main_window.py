"""The main window: lesson navigator, shared sentence input, lesson view, explanation, status bar."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app import __version__
from viz_app.core import devices
from viz_app.core import lessons as catalogue
from viz_app.core.settings import Settings, clamp_font_scale
from viz_app.qt import theme
from viz_app.qt.lessons import view_for
from viz_app.qt.service import InferenceService
from viz_app.qt.widgets.fit_scroll import FitScrollArea

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
FONT_STEP = 1.1
DEFAULT_TEXT = (
    "Very good drama although it appeared to have a few blank areas leaving the viewers to fill in the "
    "action for themselves. I can imagine life being this way for someone who can neither read nor write. "
    "This film simply smacked of the real world: the wife who is suddenly the sole supporter, the live-in "
    "relatives and their quarrels, the troubled child who gets knocked up and then, typically, drops out of "
    "school, a jackass husband who takes the nest egg and buys beer with it. 2 thumbs up... very very very "
    "good movie.\n"
    "dog bites man\n"
    "man bites dog"
)


def _unique_keys(*keys) -> list[QKeySequence]:
    """Shortcuts without repeats (a repeat makes Qt call the shortcut ambiguous and ignore it)."""
    out: list[QKeySequence] = []
    for key in keys:
        for seq in QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]:
            if seq.toString() and all(seq.toString() != o.toString() for o in out):
                out.append(seq)
    return out


class SentenceInput(QPlainTextEdit):
    """The one input every lesson reads. Plain text only (pasted formatting is dropped)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sentenceInput")
        self.setPlaceholderText("Type a sentence (or one document per line)…")
        self.setTabChangesFocus(True)

        self._fit_height()

    def _fit_height(self) -> None:
        """About five lines tall (room for a few documents), growing with the font size."""
        lines = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(int(lines * 3.5))
        self.setMaximumHeight(int(lines * 5.5))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_height()


class MainWindow(QMainWindow):
    lessonChanged = Signal(str)
    firstPainted = Signal()

    def __init__(self, settings: Settings | None = None, service: InferenceService | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("viz_app — Generative AI in Language")
        self.settings = settings or Settings(persistent=False)
        self.service = service or InferenceService(parent=self)
        self._views: dict[str, QWidget] = {}
        self._painted = False
        self._build_ui()
        self._build_menus()
        self._connect_service()
        self._restore()

    # --- layout ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        top = QHBoxLayout()
        prompt = QLabel("Your text:", central)
        prompt.setAlignment(Qt.AlignTop)
        top.addWidget(prompt)
        self.input = SentenceInput(central)
        top.addWidget(self.input, 1)
        layout.addLayout(top)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._push_text)
        self.input.textChanged.connect(self.debounce.start)

        self.splitter = QSplitter(Qt.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.lesson_list = QTreeWidget(self.splitter)
        self.lesson_list.setObjectName("lessonList")
        self.lesson_list.setHeaderHidden(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        chapter_items: dict[str, QTreeWidgetItem] = {}
        for number, chapter in enumerate(catalogue.CHAPTERS, start=1):
            item = QTreeWidgetItem([f"{number}. {chapter}"])
            item.setFlags(Qt.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            self.lesson_list.addTopLevelItem(item)
            chapter_items[chapter] = item
        for lesson in catalogue.LESSONS:
            title = lesson.title if lesson.ready else f"{lesson.title} (later)"
            item = QTreeWidgetItem([title])
            item.setData(0, Qt.UserRole, lesson.id)
            item.setToolTip(0, lesson.summary)
            chapter_items[lesson.chapter].addChild(item)
            self._items[lesson.id] = item
        self.lesson_list.expandAll()
        self.lesson_list.currentItemChanged.connect(self._on_item_changed)
        self.stack = QStackedWidget(self.splitter)
        self.stack.setObjectName("lessonStack")
        self.explanation = QTextBrowser(self.splitter)
        self.explanation.setObjectName("explanationPanel")
        self.explanation.setOpenExternalLinks(False)
        self.splitter.addWidget(self.lesson_list)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.explanation)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 760, 260])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.status_model = QLabel("Model: –", self)
        self.status_model.setObjectName("statusModel")
        self.status_device = QLabel("Device: CPU", self)
        self.status_device.setObjectName("statusDevice")
        self.status_time = QLabel("Last inference: –", self)
        self.status_time.setObjectName("statusTime")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("jobProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_current)
        # Permanent widgets sit on the right, so messages (left) never cover them.
        bar.addPermanentWidget(self.status_model)
        bar.addPermanentWidget(self.status_device)
        bar.addPermanentWidget(self.status_time)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        export_png = file_menu.addAction("Export view as PNG…")
        export_png.setObjectName("exportPng")
        export_png.triggered.connect(self._export_png)
        export_json = file_menu.addAction("Export numbers as JSON…")
        export_json.setObjectName("exportJson")
        export_json.triggered.connect(self._export_json)
        file_menu.addSeparator()
        open_model = file_menu.addAction("Open model folder…")
        open_model.setObjectName("openModelFolder")
        open_model.setToolTip("a local Hugging Face model (BERT-family or GPT-2-family), loaded offline")
        open_model.triggered.connect(lambda: self.open_model_folder())
        file_menu.addSeparator()
        quit_action = file_menu.addAction("Quit")
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)

        view_menu = self.menuBar().addMenu("&View")
        self.bigger_action = QAction("Larger text", self)
        self.bigger_action.setObjectName("fontBigger")
        self.bigger_action.setShortcuts(_unique_keys("Ctrl+=", "Ctrl++", QKeySequence.ZoomIn))
        self.bigger_action.triggered.connect(lambda: self.scale_fonts(FONT_STEP))
        self.smaller_action = QAction("Smaller text", self)
        self.smaller_action.setObjectName("fontSmaller")
        self.smaller_action.setShortcuts(_unique_keys("Ctrl+-", QKeySequence.ZoomOut))
        self.smaller_action.triggered.connect(lambda: self.scale_fonts(1 / FONT_STEP))
        reset_action = QAction("Reset text size", self)
        reset_action.setShortcut(QKeySequence("Ctrl+0"))
        reset_action.triggered.connect(lambda: self.set_font_scale(1.0))
        self.dark_action = QAction("Dark theme", self)
        self.dark_action.setObjectName("darkTheme")
        self.dark_action.setCheckable(True)
        self.dark_action.toggled.connect(lambda on: self.set_theme("dark" if on else "light"))
        for action in (self.bigger_action, self.smaller_action, reset_action):
            view_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is
        view_menu.addSeparator()
        view_menu.addAction(self.dark_action)
        view_menu.addSeparator()
        # At a projector, hiding the side panels gives the lesson the whole width.
        for title, widget, key in (
            ("Lesson list", self.lesson_list, "Ctrl+1"),
            ("Explanation", self.explanation, "Ctrl+2"),
        ):
            toggle = QAction(f"Show {title.lower()}", self)
            toggle.setObjectName(f"toggle-{widget.objectName()}")
            toggle.setCheckable(True)
            toggle.setChecked(True)
            toggle.setShortcut(QKeySequence(key))
            toggle.toggled.connect(widget.setVisible)
            view_menu.addAction(toggle)
            self.addAction(toggle)

        self.device_menu = self.menuBar().addMenu("&Device")
        self.device_menu.setObjectName("deviceMenu")
        self.device_group = QActionGroup(self)
        self.device_group.setExclusive(True)
        self.device_actions: dict[str, QAction] = {}
        for choice in (devices.AUTO, devices.CPU):
            self._add_device_action(choice)
        self.device_group.triggered.connect(lambda action: self.choose_device(action.data()))

        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("About viz_app")
        about.triggered.connect(self._about)

    def _add_device_action(self, choice: str) -> None:
        if choice in self.device_actions:
            return
        action = QAction(devices.LABELS[choice], self)
        action.setObjectName(f"device-{choice}")
        action.setCheckable(True)
        action.setData(choice)
        self.device_group.addAction(action)
        self.device_menu.addAction(action)
        self.device_actions[choice] = action

    def _connect_service(self) -> None:
        s = self.service
        s.resultReady.connect(self._on_result)
        s.jobFailed.connect(self._on_failed)
        s.jobStarted.connect(self._on_started)
        s.progressChanged.connect(self._on_progress)
        s.jobCancelled.connect(lambda channel, _rid: self._hide_progress(channel))
        s.devicesFound.connect(self._on_devices_found)
        s.deviceChanged.connect(self._on_device_changed)
        s.notice.connect(lambda message: self.statusBar().showMessage(message, 15000))

    def _restore(self) -> None:
        s = self.settings
        theme.apply_theme(QApplication.instance(), s.get("theme"))
        self.dark_action.blockSignals(True)
        self.dark_action.setChecked(s.get("theme") == "dark")
        self.dark_action.blockSignals(False)
        theme.apply_font_scale(QApplication.instance(), float(s.get("font_scale")))
        if s.get("geometry"):
            self.restoreGeometry(QByteArray.fromBase64(s.get("geometry").encode("ascii")))
        else:
            self.resize(1280, 800)
        if s.get("splitter"):
            self.splitter.restoreState(QByteArray.fromBase64(s.get("splitter").encode("ascii")))
        choice = s.get("device") if s.get("device") in devices.CHOICES else devices.AUTO
        self.service.choice = choice
        if choice not in self.device_actions:
            self._add_device_action(choice)  # shown now; kept only if this machine has it
        self.device_actions[choice].setChecked(True)
        self.input.blockSignals(True)
        self.input.setPlainText(s.get("text") or DEFAULT_TEXT)
        self.input.blockSignals(False)
        lesson_id = s.get("lesson")
        if lesson_id not in self._items:
            lesson_id = "bow"
        self.select_lesson(lesson_id)
        if s.notice:
            QTimer.singleShot(0, lambda: self.statusBar().showMessage(s.notice, 15000))

    # --- lessons ------------------------------------------------------------------------------
    def select_lesson(self, lesson_id: str) -> None:
        self.lesson_list.setCurrentItem(self._items[lesson_id])

    @property
    def current_lesson_id(self) -> str:
        item = self.lesson_list.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else ""

    def current_view(self):
        return self._views.get(self.current_lesson_id)

    def view(self, lesson_id: str):
        """The view of ``lesson_id``, built the first time it is needed."""
        if lesson_id not in self._views:
            # Each view sits in a scroll area, so large projector fonts scroll the lesson
            # instead of pushing the window past the screen's edge.
            holder = FitScrollArea(self.stack)
            holder.setObjectName(f"scroll-{lesson_id}")
            view = view_for(catalogue.lesson(lesson_id), self.service, holder)
            holder.setWidget(view)
            view.textRequested.connect(self.set_input_text)
            view.insertRequested.connect(self.insert_input_text)
            self.stack.addWidget(holder)
            self._views[lesson_id] = view
        return self._views[lesson_id]

    def _holder(self, view) -> QWidget:
        return view.parentWidget().parentWidget()  # view -> viewport -> QScrollArea

    def _on_item_changed(self, item, _previous) -> None:
        lesson_id = item.data(0, Qt.UserRole) if item is not None else None
        if not lesson_id:
            return
        lesson = catalogue.lesson(lesson_id)
        view = self.view(lesson_id)
        self.stack.setCurrentWidget(self._holder(view))
        self.explanation.setHtml(f"<h3>{lesson.title}</h3>{lesson.explanation}")
        self.status_model.setText(f"Model: {view.model_label()}")
        self.settings.set("lesson", lesson_id)
        view.set_text(self.input.toPlainText())
        self.lessonChanged.emit(lesson_id)

    def set_input_text(self, text: str) -> None:
        self.input.setPlainText(text)

    def insert_input_text(self, text: str) -> None:
        """Type ``text`` at the text box's cursor (the fill-mask lesson's Insert [MASK])."""
        self.input.insertPlainText(text)
        self.input.setFocus()

    def open_model_folder(self, folder: str | None = None) -> str:
        """File > Open model folder…: a local Hugging Face model for the BERT and GPT lessons. Returns ""
        when it was added, else the message shown to the user."""
        from viz_app.core.lm import hf

        if folder is None:
            from PySide6.QtWidgets import QFileDialog

            folder = QFileDialog.getExistingDirectory(self, "Open a Hugging Face model folder")
            if not folder:
                return "cancelled"
        message = ""
        if not hf.available():
            message = hf.MISSING + ". The bundled tiny BERT and GPT work without it."
        elif not (Path(folder) / "config.json").is_file():
            message = f"{folder} is not a Hugging Face model folder: it has no config.json."
        if message:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Information, "Open model folder", message, QMessageBox.Ok, self)
            box.setObjectName("openModelMessage")
            box.open()
            return message
        from viz_app.qt.lessons.lm import view as lm_view

        if folder not in lm_view.USER_MODELS:
            lm_view.USER_MODELS.append(folder)
        for view in self._views.values():
            if hasattr(view, "add_user_model"):
                view.add_user_model(folder)
        self.statusBar().showMessage(f"Opened {folder}: choose it in the BERT or GPT lesson's Model list.", 8000)
        return ""

    def flush_input(self) -> None:
        """Apply the typed text now instead of after the debounce delay."""
        self.debounce.stop()
        self._push_text()

    def _push_text(self) -> None:
        view = self.current_view()
        if view is not None:
            view.set_text(self.input.toPlainText())

    # --- service signals ---------------------------------------------------------------------
    def _on_started(self, channel: str, _request_id: int, label: str) -> None:
        if label and channel == self.current_lesson_id:
            self.status_model.setText(f"Model: {label}")

    def _on_progress(self, channel: str, _request_id: int, progress) -> None:
        self.progress.show()
        self.cancel_button.show()
        self._progress_channel = channel
        if progress.fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.fraction * 1000))
        if progress.message:
            self.statusBar().showMessage(progress.message)

    def _hide_progress(self, channel: str | None = None) -> None:
        """Hide the progress bar (only if it belongs to ``channel``, when one is given)."""
        if channel is not None and channel != getattr(self, "_progress_channel", None):
            return
        self.progress.hide()
        self.cancel_button.hide()
        self._progress_channel = None

    def _cancel_current(self) -> None:
        channel = getattr(self, "_progress_channel", None)
        if channel:
            self.service.cancel(channel)
        self._hide_progress(channel)
        self.statusBar().showMessage("Cancelled.", 5000)

    def _on_result(self, channel: str, _request_id: int, _value, elapsed_s: float) -> None:
        self._hide_progress(channel)
        self.status_time.setText(f"Last inference: {elapsed_s * 1000:.1f} ms")

    def _on_failed(self, channel: str, _request_id: int, message: str) -> None:
        self._hide_progress(channel)
        self.status_time.setText("Last inference: failed")

    def _on_devices_found(self, available: list[str]) -> None:
        for choice in (devices.CUDA, devices.MPS):
            if choice in available:
                self._add_device_action(choice)
            elif choice in self.device_actions and not self.device_actions[choice].isChecked():
                action = self.device_actions.pop(choice)
                self.device_group.removeAction(action)
                self.device_menu.removeAction(action)
        if self.service.choice not in available and self.service.choice != devices.AUTO:
            self.statusBar().showMessage(
                f"{devices.LABELS[self.service.choice]} is not available on this machine; using the CPU.", 15000
            )

    def _on_device_changed(self, device: str) -> None:
        suffix = " (auto)" if self.service.choice == devices.AUTO else ""
        self.status_device.setText(f"Device: {devices.describe(device)}{suffix}")

    def probe_devices(self) -> None:
        """Load torch on the worker and look for a GPU (after the first paint)."""
        self.status_device.setText("Device: CPU (checking for a GPU…)")
        self.service.probe_devices()

    def choose_device(self, choice: str) -> None:
        self.settings.set("device", choice)
        self.service.set_device(choice)

    # --- appearance ---------------------------------------------------------------------------
    def scale_fonts(self, factor: float) -> None:
        self.set_font_scale(float(self.settings.get("font_scale")) * factor)

    def set_font_scale(self, scale: float) -> None:
        scale = clamp_font_scale(scale)
        self.settings.set("font_scale", scale)
        theme.apply_font_scale(QApplication.instance(), scale)
        self.statusBar().showMessage(f"Text size {round(scale * 100)}%", 3000)

    def set_theme(self, name: str) -> None:
        self.settings.set("theme", name)
        theme.apply_theme(QApplication.instance(), name)
        for view in self._views.values():
            view.update()
            if view.result is not None:
                view.show_result(view.result)

    # --- export -------------------------------------------------------------------------------
    def _default_name(self, suffix: str) -> str:
        words = "-".join(self.input.toPlainText().split()[:4])
        safe = "".join(ch for ch in words if ch.isalnum() or ch in "-_")[:40]
        return f"{self.current_lesson_id}{'-' + safe if safe else ''}.{suffix}"

    def export_png(self, path: str) -> bool:
        view = self.current_view()
        return bool(view is not None and view.grab().save(path, "PNG"))

    def _export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export view as PNG", self._default_name("png"), "PNG (*.png)")
        if path and not self.export_png(path):
            QMessageBox.warning(self, "Export failed", f"Could not write {path}.")

    def _export_json(self) -> None:
        view = self.current_view()
        data = view.export_json() if view is not None else None
        if data is None:
            QMessageBox.information(self, "Nothing to export", "This view has no numbers to export yet.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export numbers", self._default_name("json"), "JSON (*.json)")
        if not path:
            return
        try:
            Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"Could not write {path}: {exc}")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About viz_app",
            f"<b>viz_app {__version__}</b><p>Watch language models work, offline: a companion to the lecture "
            "<i>Generative AI in Language</i>.</p>",
        )

    # --- life cycle ---------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()

    def save_settings(self) -> None:
        s = self.settings
        s.set("geometry", bytes(self.saveGeometry().toBase64()).decode("ascii"))
        s.set("splitter", bytes(self.splitter.saveState().toBase64()).decode("ascii"))
        s.set("text", self.input.toPlainText()[:100_000])
        try:
            s.save()
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.save_settings()
        self.service.shutdown()
        super().closeEvent(event)
