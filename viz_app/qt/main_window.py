"""The main window: lesson navigator, shared sentence input, lesson view, explanation, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app.core import devices
from viz_app.core import lessons as catalogue
from viz_app.core.settings import Settings, clamp_font_scale
from viz_app.qt import gc_guard, i18n, theme, view_state
from viz_app.qt.i18n import lesson_text, tr
from viz_app.qt.lessons import view_for
from viz_app.qt.service import InferenceService
from viz_app.qt.tour_player import TourBar, TourPlayer
from viz_app.qt.widgets.fit_scroll import FitScrollArea
from viz_app.qt.window.files import FilesMixin
from viz_app.qt.window.menus import MenusMixin
from viz_app.qt.window.presentation import PANEL_WIDTH, PANELS, PresentationMixin
from viz_app.qt.window.status import StatusMixin

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
# The core's device names (viz_app.core.devices.LABELS), named here for pyside6-lupdate; shown through tr_core.
DEVICE_LABELS = (QT_TR_NOOP("Auto"), QT_TR_NOOP("CPU"), QT_TR_NOOP("CUDA (GPU)"), QT_TR_NOOP("MPS (Apple GPU)"))
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


class SentenceInput(QPlainTextEdit):
    """The one input every lesson reads. Plain text only (pasted formatting is dropped)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sentenceInput")
        self.retranslate()
        self.setTabChangesFocus(True)

        self.document().documentLayout().documentSizeChanged.connect(self._text_size_changed)
        self._fit_height()

    def retranslate(self) -> None:
        self.setPlaceholderText(tr("Type a sentence (or one document per line)…"))

    def _text_size_changed(self, _size) -> None:
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as its text (one to five lines, wrapped lines counted; then it scrolls), so a one-line
        sentence leaves the lesson the room on a 768-pixel projector screen; it grows with the font size."""
        needed = self.document().documentLayout().documentSize().height()
        lines = min(5.0, max(1.0, needed))
        margins = 2 * (self.frameWidth() + self.document().documentMargin())
        # Chinese text is drawn with the CJK fallback font, whose lines are taller than the interface font's.
        height = int((lines + 0.7) * self.fontMetrics().lineSpacing() + margins)
        if height != self.height() or height != self.minimumHeight():
            self.setFixedHeight(height)
        # A scroll bar only once the text is longer than the box shows (never beside a single line).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded if needed > 5 else Qt.ScrollBarAlwaysOff)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_height()


class MainWindow(MenusMixin, StatusMixin, PresentationMixin, FilesMixin, QMainWindow):
    lessonChanged = Signal(str)
    firstPainted = Signal()

    def __init__(self, settings: Settings | None = None, service: InferenceService | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings(persistent=False)
        self.service = service or InferenceService(parent=self)
        gc_guard.set_waiting(self.awaiting_screen)
        self._views: dict[str, QWidget] = {}
        self._painted = False
        self._window_actions: list[QAction] = []  # shortcuts added to the window (rebuilt with the menus)
        self._available: list[str] = []  # devices torch found
        self._presenting: dict | None = None  # what presentation mode changed, to put back
        self._wanted = dict.fromkeys(PANELS, True)  # the user's choice (Ctrl+1, Ctrl+2) for a wide window
        self._peek = dict.fromkeys(PANELS, False)  # shown on request while the window is narrow
        self._compact = False  # narrow: the panels are folded away unless asked for
        self._panel_width = dict.fromkeys(PANELS, PANEL_WIDTH)
        self._message_channel: str | None = None  # the lesson channel whose progress the status bar shows
        self._device_note = ""  # "checking for a GPU" until torch has looked
        self._saved_states: dict[str, dict] = {}  # a view's controls, kept across a language switch
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._update_compact)
        self._language_problem = i18n.install(str(self.settings.get("language")))
        theme.set_colormap(str(self.settings.get("colormap")))
        from viz_app.qt import save_dialog

        save_dialog.remember_in(self.settings)  # the export dialogs open in the last folder used
        self._build_ui()
        self.tour = TourPlayer(self, self.tour_bar)
        self._build_menus()
        self._connect_service()
        self._restore()

    # --- layout ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        top = QHBoxLayout()
        # Always on screen: the side panels' toggles (they fold away by themselves in a narrow window).
        self.panel_buttons: dict[str, QToolButton] = {}
        for key in PANELS:
            button = QToolButton(central)
            button.setObjectName(f"panelButton-{key}")
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            self.panel_buttons[key] = button
        top.addWidget(self.panel_buttons["lessons"], 0, Qt.AlignTop)
        self.prompt = QLabel(central)
        self.prompt.setAlignment(Qt.AlignTop)
        top.addWidget(self.prompt)
        self.input = SentenceInput(central)
        top.addWidget(self.input, 1)
        top.addWidget(self.panel_buttons["explanation"], 0, Qt.AlignTop)
        layout.addLayout(top)
        self.tour_bar = TourBar(central)
        layout.addWidget(self.tour_bar)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._push_text)
        self.input.textChanged.connect(self.debounce.start)
        # Garbage is collected inside the typing pause, never while the user waits for the screen.
        self.input.textChanged.connect(gc_guard.collect_due)

        self.splitter = QSplitter(Qt.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.lesson_list = QTreeWidget(self.splitter)
        self.lesson_list.setObjectName("lessonList")
        self.lesson_list.setHeaderHidden(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._chapter_items: dict[str, QTreeWidgetItem] = {}
        for chapter in catalogue.CHAPTERS:
            item = QTreeWidgetItem([chapter])
            item.setFlags(Qt.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            self.lesson_list.addTopLevelItem(item)
            self._chapter_items[chapter] = item
        for lesson in catalogue.LESSONS:
            item = QTreeWidgetItem([lesson.title])
            item.setData(0, Qt.UserRole, lesson.id)
            self._chapter_items[lesson.chapter].addChild(item)
            self._items[lesson.id] = item
        self.lesson_list.expandAll()
        self.lesson_list.currentItemChanged.connect(self._on_item_changed)
        # In a narrow window the list, opened with its button, folds away again once a lesson is picked.
        self.lesson_list.itemClicked.connect(lambda item, _col: self._lesson_picked(item))
        self.lesson_list.itemActivated.connect(lambda item, _col: self._lesson_picked(item))
        self.stack = QStackedWidget(self.splitter)
        self.stack.setObjectName("lessonStack")
        self.explanation = QTextBrowser(self.splitter)
        self.explanation.setObjectName("explanationPanel")
        self.explanation.setOpenExternalLinks(False)
        self.splitter.addWidget(self.lesson_list)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.explanation)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([PANEL_WIDTH, 760, PANEL_WIDTH])
        self.splitter.setCollapsible(1, False)
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._remember_panel_widths())
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.status_model = QLabel(self)
        self.status_model.setObjectName("statusModel")
        self.status_device = QLabel(self)
        self.status_device.setObjectName("statusDevice")
        self.status_time = QLabel(self)
        self.status_time.setObjectName("statusTime")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("jobProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_current)
        # Permanent widgets sit on the right, so messages (left) never cover them.
        bar.addPermanentWidget(self.status_model)
        bar.addPermanentWidget(self.status_device)
        bar.addPermanentWidget(self.status_time)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._retranslate_static()

    def _retranslate_static(self) -> None:
        """The texts of the window's own widgets in the interface language."""
        self.setWindowTitle(tr("viz_app — Generative AI in Language"))
        self.prompt.setText(tr("Your text:"))
        self.input.retranslate()
        self.cancel_button.setText(tr("Cancel"))
        self._render_status()
        for number, chapter in enumerate(catalogue.CHAPTERS, start=1):
            self._chapter_items[chapter].setText(0, f"{number}. {lesson_text(chapter)}")
        for lesson in catalogue.LESSONS:
            item = self._items[lesson.id]
            title = lesson_text(lesson.title)
            item.setText(0, title if lesson.ready else tr("{title} (later)").format(title=title))
            item.setToolTip(0, lesson_text(lesson.summary))

    def _connect_service(self) -> None:
        s = self.service
        s.resultReady.connect(self._on_result)
        s.jobFailed.connect(self._on_failed)
        s.jobStarted.connect(self._on_started)
        s.progressChanged.connect(self._on_progress)
        s.jobCancelled.connect(lambda channel, _rid: self._job_over(channel))
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
        geometry, splitter = s.blob("geometry"), s.blob("splitter")  # b"" unless the setting is base64
        if not (geometry and self.restoreGeometry(QByteArray(geometry))):
            self.resize(1280, 800)
        if splitter:
            self.splitter.restoreState(QByteArray(splitter))
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
        self._apply_panels()  # a saved splitter state may hold hidden panels: the toggles decide
        notices = [n for n in (s.notice, self._language_problem) if n]
        if notices:
            QTimer.singleShot(0, lambda: self.statusBar().showMessage(" ".join(notices), 15000))

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
        """The view of ``lesson_id``, built the first time it is needed (with its controls as they were, when
        it is built again in another language)."""
        if lesson_id not in self._views:
            # Each view sits in a scroll area, so large projector fonts scroll the lesson
            # instead of pushing the window past the screen's edge.
            holder = FitScrollArea(self.stack)
            holder.setObjectName(f"scroll-{lesson_id}")
            view = view_for(catalogue.lesson(lesson_id), self.service, holder)
            holder.setWidget(view)
            view.textRequested.connect(self.set_input_text)
            view.insertRequested.connect(self.insert_input_text)
            view.resultShown.connect(lambda v=view: self._on_view_shown(v))
            self.stack.addWidget(holder)
            self._views[lesson_id] = view
            state = self._saved_states.pop(lesson_id, None)
            if state:
                view_state.restore_by_position(view, state)
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
        self.explanation.setHtml(f"<h3>{lesson_text(lesson.title)}</h3>{lesson_text(lesson.explanation)}")
        self.settings.set("lesson", lesson_id)
        if self._message_channel is not None and not self._belongs(self._message_channel, lesson_id):
            self.statusBar().clearMessage()  # another lesson's progress ("skipgram step 300/300") goes
            self._message_channel = None
        progress_channel = getattr(self, "_progress_channel", None)
        if progress_channel is not None and not self._belongs(progress_channel, lesson_id):
            self.progress.hide()  # it comes back with the job's next step if that lesson is opened again
            self.cancel_button.hide()
        view.set_text(self.input.toPlainText())
        self._render_status()
        self._fit_timer.start()
        self.lessonChanged.emit(lesson_id)

    @staticmethod
    def _belongs(channel: str, lesson_id: str) -> bool:
        """Whether a service channel is the lesson's own ("bow") or one of its side jobs ("word-embedding:live")."""
        return channel == lesson_id or channel.startswith(lesson_id + ":")

    def _lesson_picked(self, item) -> None:
        if item is not None and item.data(0, Qt.UserRole) and (self._compact or self.presenting):
            self.show_panel("lessons", False)

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

            folder = QFileDialog.getExistingDirectory(self, tr("Open a Hugging Face model folder"))
            if not folder:
                return "cancelled"
        message = ""
        if not hf.available():
            message = hf.MISSING + ". " + tr("The bundled tiny BERT and GPT work without it.")
        elif not (Path(folder) / "config.json").is_file():
            message = tr("{folder} is not a Hugging Face model folder: it has no config.json.").format(folder=folder)
        if message:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Information, tr("Open model folder"), message, QMessageBox.Ok, self)
            box.setObjectName("openModelMessage")
            box.open()
            return message
        self.service.add_user_model(folder)  # the BERT and GPT lessons offer it (and choose it) from now on
        self.statusBar().showMessage(
            tr("Opened {folder}: choose it in the BERT or GPT lesson's Model list.").format(folder=folder), 8000
        )
        return ""

    def flush_input(self) -> None:
        """Apply the typed text now instead of after the debounce delay."""
        self.debounce.stop()
        self._push_text()

    def awaiting_screen(self) -> bool:
        """True from a keystroke until the lesson on screen has drawn its result (``gc_guard`` waits)."""
        if self.debounce.isActive():
            return True
        view = self.current_view()
        return view is not None and view.busy("")

    def _push_text(self) -> None:
        view = self.current_view()
        if view is not None:
            view.set_text(self.input.toPlainText())

    # --- appearance ---------------------------------------------------------------------------
    def scale_fonts(self, factor: float) -> None:
        self.set_font_scale(float(self.settings.get("font_scale")) * factor)

    def set_font_scale(self, scale: float) -> None:
        scale = clamp_font_scale(scale)
        self.settings.set("font_scale", scale)
        theme.apply_font_scale(QApplication.instance(), scale)
        self._message_channel = None
        self.statusBar().showMessage(tr("Text size {percent}%").format(percent=round(scale * 100)), 3000)
        self._fit_timer.start()

    def set_theme(self, name: str) -> None:
        self.settings.set("theme", name)
        theme.apply_theme(QApplication.instance(), name)
        self._apply_panels()  # the buttons' colours follow the theme
        self._redraw_views()

    def set_colormap(self, name: str) -> None:
        """The colour map of every heatmap (View > Colour map): redraws what is on screen."""
        theme.set_colormap(name)
        self.settings.set("colormap", theme.colormap())
        self._redraw_views()

    def _redraw_views(self) -> None:
        for view in self._views.values():
            view.update()
            if view.result is not None:
                view.show_result(view.result)

    # --- language -----------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch the interface language now: menus, lesson list, explanation and the lesson views."""
        problem = i18n.install(language)
        self.settings.set("language", i18n.current())
        self._retranslate()
        if problem:
            self.statusBar().showMessage(problem, 15000)

    def _retranslate(self) -> None:
        self._build_menus()
        self._retranslate_static()
        self.tour.refresh_bar()
        current = self.current_lesson_id
        # The lesson views are built again in the new language (each asks the worker once more), each with
        # its controls as they were (Euclidean stays Euclidean, the open tab stays open).
        for lesson_id, view in list(self._views.items()):
            self._saved_states[lesson_id] = view_state.capture_by_position(view)
            holder = self._holder(view)
            self.stack.removeWidget(holder)
            holder.deleteLater()
        self._views.clear()
        if current:
            self._on_item_changed(self._items[current], None)

    # --- life cycle ---------------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_timer.start()  # the lessons' room grows with the text

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()

    def save_settings(self) -> None:
        s = self.settings
        s.set("geometry", bytes(self.saveGeometry().toBase64()).decode("ascii"))
        s.set("splitter", bytes(self.splitter.saveState().toBase64()).decode("ascii"))
        s.set("text", self.input.toPlainText())  # kept whole, however long (no silent cut)
        try:
            s.save()
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.save_settings()
        self.service.shutdown()
        super().closeEvent(event)
