"""Presentation mode and the side panels (lesson list, explanation), which fold away on a narrow screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from viz_app.qt import theme

PRESENTATION_FONT_SCALE = 1.5  # on top of the user's own text size
PRESENTATION_LINE_SCALE = 2.0
# The side panels fold away (behind the Lessons and Explanation buttons) when the lesson would get less room
# than this, or than it needs, beside them: a 1024x768 projector gives the whole width to the lesson.
LESSON_ROOM = 700
PANEL_WIDTH = 260
PANELS = ("lessons", "explanation")


class PresentationMixin:
    """Part of ``MainWindow`` (viz_app.qt.main_window): its methods use the window's own widgets."""

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
