"""The main window: lesson navigator, shared sentence input, lesson view, explanation, status bar."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
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

from viz_app import __version__
from viz_app.core import devices
from viz_app.core import lessons as catalogue
from viz_app.core.settings import Settings, clamp_font_scale
from viz_app.qt import i18n, theme
from viz_app.qt.i18n import lesson_text, tr, tr_core
from viz_app.qt.lessons import view_for
from viz_app.qt.service import InferenceService
from viz_app.qt.tour_player import TourBar, TourPlayer
from viz_app.qt.widgets.fit_scroll import FitScrollArea

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
FONT_STEP = 1.1
PRESENTATION_FONT_SCALE = 1.5  # on top of the user's own text size
PRESENTATION_LINE_SCALE = 2.0
# The side panels fold away (behind the Lessons and Explanation buttons) when the lesson would get less room
# than this, or than it needs, beside them: a 1024x768 projector gives the whole width to the lesson.
LESSON_ROOM = 700
PANEL_WIDTH = 260
PANELS = ("lessons", "explanation")
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


class MainWindow(QMainWindow):
    lessonChanged = Signal(str)
    firstPainted = Signal()

    def __init__(self, settings: Settings | None = None, service: InferenceService | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings(persistent=False)
        self.service = service or InferenceService(parent=self)
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

    def _window_action(self, action: QAction) -> QAction:
        """An action whose shortcut works wherever the focus is (also with the menu bar hidden)."""
        self.addAction(action)
        self._window_actions.append(action)
        return action

    def _build_menus(self) -> None:
        for action in self._window_actions:
            self.removeAction(action)
        self._window_actions = []
        self.menuBar().clear()

        file_menu = self.menuBar().addMenu(tr("&File"))
        for name, title, handler in (
            ("exportPng", tr("Export view as PNG…"), lambda: self._export_image(1)),
            ("exportPng2x", tr("Export view as PNG at twice the size…"), lambda: self._export_image(2)),
            ("exportSvg", tr("Export view as SVG…"), self._export_svg),
            ("exportCsv", tr("Export numbers as CSV…"), self._export_csv),
            ("exportJson", tr("Export numbers as JSON…"), self._export_json),
        ):
            action = file_menu.addAction(title)
            action.setObjectName(name)
            action.triggered.connect(handler)
        copy_image = self._window_action(QAction(tr("Copy view as image"), self))
        copy_image.setObjectName("copyImage")
        copy_image.setShortcut(QKeySequence("Ctrl+Shift+C"))
        copy_image.triggered.connect(self.copy_view_image)
        file_menu.addAction(copy_image)
        file_menu.addSeparator()
        open_model = file_menu.addAction(tr("Open model folder…"))
        open_model.setObjectName("openModelFolder")
        open_model.setToolTip(tr("a local Hugging Face model (BERT-family or GPT-2-family), loaded offline"))
        open_model.triggered.connect(lambda: self.open_model_folder())
        file_menu.addSeparator()
        quit_action = file_menu.addAction(tr("Quit"))
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)

        view_menu = self.menuBar().addMenu(tr("&View"))
        self.bigger_action = QAction(tr("Larger text"), self)
        self.bigger_action.setObjectName("fontBigger")
        self.bigger_action.setShortcuts(_unique_keys("Ctrl+=", "Ctrl++", QKeySequence.ZoomIn))
        self.bigger_action.triggered.connect(lambda: self.scale_fonts(FONT_STEP))
        self.smaller_action = QAction(tr("Smaller text"), self)
        self.smaller_action.setObjectName("fontSmaller")
        self.smaller_action.setShortcuts(_unique_keys("Ctrl+-", QKeySequence.ZoomOut))
        self.smaller_action.triggered.connect(lambda: self.scale_fonts(1 / FONT_STEP))
        reset_action = QAction(tr("Reset text size"), self)
        reset_action.setShortcut(QKeySequence("Ctrl+0"))
        reset_action.triggered.connect(lambda: self.set_font_scale(1.0))
        self.dark_action = QAction(tr("Dark theme"), self)
        self.dark_action.setObjectName("darkTheme")
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(self.settings.get("theme") == "dark")
        self.dark_action.toggled.connect(lambda on: self.set_theme("dark" if on else "light"))
        for action in (self.bigger_action, self.smaller_action, reset_action):
            view_menu.addAction(self._window_action(action))
        view_menu.addSeparator()
        view_menu.addAction(self.dark_action)
        self.colormap_group = self._choice_menu(
            view_menu.addMenu(tr("Colour map for heatmaps")),
            "colormap",
            [(name, tr(label)) for name, label in theme.colormap_choices()],
            theme.colormap(),
            self.set_colormap,
        )
        self.presentation_action = self._window_action(QAction(tr("Presentation mode"), self))
        self.presentation_action.setObjectName("presentationMode")
        self.presentation_action.setCheckable(True)
        self.presentation_action.setChecked(self._presenting is not None)
        self.presentation_action.setShortcut(QKeySequence("F11"))
        self.presentation_action.toggled.connect(self.set_presentation)
        view_menu.addAction(self.presentation_action)
        self.leave_presentation_action = self._window_action(QAction(tr("Leave presentation mode"), self))
        self.leave_presentation_action.setShortcut(QKeySequence("Esc"))
        self.leave_presentation_action.setEnabled(self._presenting is not None)
        self.leave_presentation_action.triggered.connect(lambda: self.set_presentation(False))
        view_menu.addSeparator()
        # At a projector, hiding the side panels gives the lesson the whole width; the window does it by
        # itself when it is narrow, and the Lessons and Explanation buttons beside the text box say so.
        self.panel_actions: dict[str, QAction] = {}
        for panel, title, short, tip, widget, key in (
            (
                "lessons",
                tr("Show lesson list"),
                tr("☰ Lessons"),
                tr("Show or hide the list of lessons (Ctrl+1)"),
                self.lesson_list,
                "Ctrl+1",
            ),
            (
                "explanation",
                tr("Show explanation"),
                tr("Explanation"),
                tr("Show or hide the lesson's explanation (Ctrl+2)"),
                self.explanation,
                "Ctrl+2",
            ),
        ):
            toggle = QAction(title, self)
            toggle.setObjectName(f"toggle-{widget.objectName()}")
            toggle.setIconText(short)
            toggle.setToolTip(tip)
            toggle.setCheckable(True)
            toggle.setChecked(not widget.isHidden())
            toggle.setShortcut(QKeySequence(key))
            toggle.toggled.connect(lambda on, p=panel: self.show_panel(p, on))
            view_menu.addAction(self._window_action(toggle))
            self.panel_actions[panel] = toggle
            button = self.panel_buttons[panel]
            for previous in button.actions():  # the menus' last build: its Ctrl+1 would make the key ambiguous
                button.removeAction(previous)
            button.setDefaultAction(toggle)

        tour_menu = self.menuBar().addMenu(tr("&Tour"))
        tour_menu.setObjectName("tourMenu")
        for name, title, handler in (
            ("tourLecture", tr("Start the lecture tour"), lambda: self.start_lecture_tour()),
            (
                "tourTang",
                tr("Start the Chinese tour: AI writes Tang poems (AI 寫唐詩)"),
                lambda: self.start_tang_tour(),
            ),
            ("tourOpen", tr("Open tour…"), lambda: self.open_tour()),
            ("tourSave", tr("Save tour as…"), lambda: self.save_tour()),
            ("tourAdd", tr("Add current view as a step…"), lambda: self.add_tour_step()),
            (None, None, None),
            ("tourNext", tr("Next step (Page Down, →)"), self.tour.next),
            ("tourPrevious", tr("Previous step (Page Up, ←)"), self.tour.previous),
            ("tourEnd", tr("End the tour"), self.tour.stop),
        ):
            if name is None:
                tour_menu.addSeparator()
                continue
            action = tour_menu.addAction(title)
            action.setObjectName(name)
            action.triggered.connect(handler)

        self.language_group = self._choice_menu(
            self.menuBar().addMenu(tr("&Language")),
            "language",
            list(i18n.LANGUAGES.items()),
            i18n.current(),
            self.set_language,
        )

        self.device_menu = self.menuBar().addMenu(tr("&Device"))
        self.device_menu.setObjectName("deviceMenu")
        self.device_group = QActionGroup(self)
        self.device_group.setExclusive(True)
        self.device_actions: dict[str, QAction] = {}
        for choice in (devices.AUTO, devices.CPU, *self._available_gpus()):
            self._add_device_action(choice)
        if self.service.choice in self.device_actions:
            self.device_actions[self.service.choice].setChecked(True)
        self.device_group.triggered.connect(lambda action: self.choose_device(action.data()))

        help_menu = self.menuBar().addMenu(tr("&Help"))
        about_models = help_menu.addAction(tr("About the models…"))
        about_models.setObjectName("aboutModels")
        about_models.triggered.connect(lambda: self.about_models())
        about = help_menu.addAction(tr("About viz_app"))
        about.triggered.connect(self._about)

    def _choice_menu(self, menu, name: str, choices, current: str, choose) -> QActionGroup:
        """A menu of exclusive choices (objectName ``<name>Menu``, actions ``<name>-<value>``) calling
        ``choose(value)``."""
        menu.setObjectName(f"{name}Menu")
        group = QActionGroup(self)
        for value, label in choices:
            action = menu.addAction(label)
            action.setObjectName(f"{name}-{value}")
            action.setCheckable(True)
            action.setData(value)
            action.setChecked(value == current)
            group.addAction(action)
        group.triggered.connect(lambda action: choose(action.data()))
        return group

    def _available_gpus(self) -> list[str]:
        return [c for c in (devices.CUDA, devices.MPS) if c in self._available or c == self.service.choice]

    def _add_device_action(self, choice: str) -> None:
        if choice in self.device_actions:
            return
        action = QAction(tr_core(devices.LABELS[choice]), self)
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
                _restore_state(view, state)
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

    def _push_text(self) -> None:
        view = self.current_view()
        if view is not None:
            view.set_text(self.input.toPlainText())

    # --- service signals ---------------------------------------------------------------------
    def _on_started(self, channel: str, _request_id: int, label: str) -> None:
        """The status bar names the model of what is on screen (``_on_view_shown``), not of a job that has
        only started."""

    def _on_progress(self, channel: str, _request_id: int, progress) -> None:
        if not self._belongs(channel, self.current_lesson_id):
            return  # another lesson's job (a training left running): its lesson shows it when opened
        self.progress.show()
        self.cancel_button.show()
        self._progress_channel = channel
        if progress.fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.fraction * 1000))
        if progress.message:
            self.statusBar().showMessage(tr_core(progress.message))
            self._message_channel = channel

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
        self._message_channel = None
        self.statusBar().showMessage(tr("Cancelled."), 5000)

    def _job_over(self, channel: str) -> None:
        self._hide_progress(channel)
        if channel == self._message_channel:  # its last step's message would outlive it
            self.statusBar().clearMessage()
            self._message_channel = None

    def _on_result(self, channel: str, _request_id: int, _value, _elapsed_s: float) -> None:
        self._job_over(channel)

    def _on_failed(self, channel: str, _request_id: int, _message: str) -> None:
        self._job_over(channel)
        if channel == self.current_lesson_id:
            self._render_status()

    def _on_view_shown(self, view) -> None:
        if view is self.current_view():
            self._render_status()

    def _render_status(self) -> None:
        """Model, device and time of what the current lesson shows: the model and device that computed the
        result on screen (a result computed by BERT says BERT, a job rerun on the CPU says CPU)."""
        view = self.current_view()
        shown = view is not None and view.result is not None and view.shown_model
        model = view.shown_model if shown else (view.model_label() if view is not None else "–")
        self.status_model.setText(tr("Model: {name}").format(name=model or "–"))
        if self._device_note:
            device = self._device_note
        else:
            device = tr_core(
                devices.describe(view.shown_device if shown and view.shown_device else self.service.device)
            )
            if self.service.choice == devices.AUTO:
                device = tr("{device} (auto)").format(device=device)
        self.status_device.setText(tr("Device: {name}").format(name=device))
        failed = view is not None and view.error_banner.text() and view.last_request_drawn != view.request_id
        if failed:
            time_text = tr("failed")
        elif view is not None and view.result is not None and view.last_elapsed_s is not None:
            time_text = f"{view.last_elapsed_s * 1000:.1f} ms"
        else:
            time_text = "–"
        self.status_time.setText(tr("Last inference: {time}").format(time=time_text))

    def _on_devices_found(self, available: list[str]) -> None:
        self._available = list(available)
        for choice in (devices.CUDA, devices.MPS):
            if choice in available:
                self._add_device_action(choice)
            elif choice in self.device_actions and not self.device_actions[choice].isChecked():
                action = self.device_actions.pop(choice)
                self.device_group.removeAction(action)
                self.device_menu.removeAction(action)
        if self.service.choice not in available and self.service.choice != devices.AUTO:
            self.statusBar().showMessage(
                tr("{device} is not available on this machine; using the CPU.").format(
                    device=tr_core(devices.LABELS[self.service.choice])
                ),
                15000,
            )

    def _on_device_changed(self, _device: str) -> None:
        self._device_note = ""
        self._render_status()

    def probe_devices(self) -> None:
        """Load torch on the worker and look for a GPU (after the first paint)."""
        self._device_note = tr("CPU (checking for a GPU…)")
        self._render_status()
        self.service.probe_devices()

    def choose_device(self, choice: str) -> None:
        """Device menu: later jobs run there, and the lesson on screen is computed again there, so that the
        status bar's device is the one that computed what is shown."""
        self.settings.set("device", choice)
        before = self.service.device
        self.service.set_device(choice)
        view = self.current_view()
        if view is not None and self.service.device != before and view.result is not None:
            view.refresh()

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
            self._saved_states[lesson_id] = _capture_state(view)
            holder = self._holder(view)
            self.stack.removeWidget(holder)
            holder.deleteLater()
        self._views.clear()
        if current:
            self._on_item_changed(self._items[current], None)

    # --- presentation mode --------------------------------------------------------------------
    def set_presentation(self, on: bool, full_screen: bool = True) -> None:
        """F11: full screen, larger text and lines, high-contrast colours; only the text box, the lesson
        and the tour's caption stay. Esc (or F11 again) puts everything back."""
        if bool(on) == (self._presenting is not None):
            return
        app = QApplication.instance()
        if on:
            self._presenting = {
                "maximized": self.isMaximized(),
                "full": self.isFullScreen(),
                "theme": theme.current_theme(),
            }
            self._peek = dict.fromkeys(PANELS, False)
            self._apply_panels()  # folded away; their buttons stay, to open them
            self.menuBar().hide()
            self.statusBar().hide()
            theme.set_line_scale(PRESENTATION_LINE_SCALE)
            theme.apply_theme(app, "contrast")
            theme.apply_font_scale(app, float(self.settings.get("font_scale")) * PRESENTATION_FONT_SCALE)
            if full_screen:
                self.showFullScreen()
        else:
            before = self._presenting
            self._presenting = None
            self._peek = dict.fromkeys(PANELS, False)
            self.menuBar().show()
            self.statusBar().show()
            theme.set_line_scale(1.0)
            theme.apply_theme(app, before["theme"])
            theme.apply_font_scale(app, float(self.settings.get("font_scale")))
            if before["full"]:
                self.showFullScreen()
            elif before["maximized"]:
                self.showMaximized()
            else:
                self.showNormal()
        self.leave_presentation_action.setEnabled(on)
        self.presentation_action.blockSignals(True)
        self.presentation_action.setChecked(on)
        self.presentation_action.blockSignals(False)
        self._update_compact()
        self._apply_panels()
        self._redraw_views()

    # --- side panels --------------------------------------------------------------------------
    def show_panel(self, panel: str, on: bool) -> None:
        """Show or hide the lesson list ("lessons") or the explanation: the toggles and Ctrl+1, Ctrl+2. In a
        wide window this is the user's choice; in a narrow one (or presenting) the panel opens over the
        lesson's room until it is closed again."""
        if self._compact or self.presenting:
            self._peek[panel] = bool(on)
        else:
            self._wanted[panel] = bool(on)
        self._apply_panels()

    def _panel_widget(self, panel: str) -> QWidget:
        return self.lesson_list if panel == "lessons" else self.explanation

    def panel_shown(self, panel: str) -> bool:
        return not self._panel_widget(panel).isHidden()

    def _apply_panels(self) -> None:
        folded = self._compact or self.presenting
        for panel in PANELS:
            visible = self._peek[panel] if folded else self._wanted[panel]
            widget = self._panel_widget(panel)
            if widget.isHidden() == visible:
                widget.setVisible(visible)
            action = getattr(self, "panel_actions", {}).get(panel)
            if action is not None and action.isChecked() != visible:
                action.blockSignals(True)
                action.setChecked(visible)
                action.blockSignals(False)
        # A shown panel's button is drawn pressed, in the highlight colour, so the state reads from afar.
        style = (
            "QToolButton { padding: 2px 8px; border: 1px solid palette(mid); border-radius: 3px; }"
            "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " border-color: palette(highlight); }"
        )
        for button in self.panel_buttons.values():
            button.setStyleSheet(style)

    def _remember_panel_widths(self) -> None:
        sizes = self.splitter.sizes()
        for panel, size in (("lessons", sizes[0]), ("explanation", sizes[2])):
            if self.panel_shown(panel) and size > 0:
                self._panel_width[panel] = size

    def lesson_room_needed(self) -> int:
        """The width a lesson needs: LESSON_ROOM, or more where a lesson's controls need more (the widest of
        the lessons opened so far, so that the panels do not come and go from one lesson to the next)."""
        widest = max((v.minimumSizeHint().width() for v in self._views.values()), default=0)
        return max(LESSON_ROOM, widest)

    def _update_compact(self) -> None:
        """Fold the side panels away when the lesson would be cramped beside them; unfold when there is room."""
        handle = self.splitter.handleWidth()
        margins = self.centralWidget().layout().contentsMargins()
        beside = sum(self._panel_width[p] + handle for p in PANELS if self._wanted[p])
        room = self.width() - margins.left() - margins.right() - beside
        compact = any(self._wanted.values()) and room < self.lesson_room_needed()
        if compact != self._compact:
            self._compact = compact
            self._peek = dict.fromkeys(PANELS, False)
            self._apply_panels()

    @property
    def compact(self) -> bool:
        return self._compact

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._update_compact()

    @property
    def presenting(self) -> bool:
        return self._presenting is not None

    # --- tours ----------------------------------------------------------------------------------
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


def _capture_state(view) -> dict:
    """A view's controls as they are (``view_state.capture``), with each list's choice by position, which
    is the same in every language, and the open tab."""
    from PySide6.QtWidgets import QComboBox

    from viz_app.qt import view_state

    controls = view_state.capture(view)
    combos = {}
    for name in controls:
        combo = view.findChild(QComboBox, name)
        if combo is not None:
            combos[name] = combo.currentIndex()
    return {
        "controls": {k: v for k, v in controls.items() if k not in combos},
        "combos": combos,
        "tab": view_state.current_tab(view),
    }


def _restore_state(view, state: dict) -> None:
    from PySide6.QtWidgets import QComboBox

    from viz_app.qt import view_state

    for name, index in state.get("combos", {}).items():
        combo = view.findChild(QComboBox, name)
        if combo is not None and 0 <= index < combo.count():
            combo.setCurrentIndex(index)
    view_state.apply(view, state.get("controls", {}))
    if state.get("tab") is not None:
        view_state.open_tab(view, state["tab"])
