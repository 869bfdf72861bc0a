"""The main window's menus: File, View, Tour, Language, Device and Help, rebuilt when the language changes."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from viz_app.core import devices
from viz_app.qt import i18n, theme
from viz_app.qt.i18n import tr, tr_core

FONT_STEP = 1.1


def _unique_keys(*keys) -> list[QKeySequence]:
    """Shortcuts without repeats (a repeat makes Qt call the shortcut ambiguous and ignore it)."""
    out: list[QKeySequence] = []
    for key in keys:
        for seq in QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]:
            if seq.toString() and all(seq.toString() != o.toString() for o in out):
                out.append(seq)
    return out


class MenusMixin:
    """Part of ``MainWindow`` (viz_app.qt.main_window): its methods use the window's own widgets."""

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
