"""Playing a guided tour in the main window: the caption bar, next / previous, recording a step.

Page Down / Page Up (what a presenter's clicker sends) move through the steps, also while the focus is
in the text box; the Right and Left arrow keys do too, except in a text field, which keeps them for its
cursor (Qt gives an editor its navigation keys before a window shortcut). A step that cannot be shown (an unknown lesson, a model that is not installed) stops there
with a message in the caption bar; the next key press goes on.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viz_app.core import lessons as catalogue
from viz_app.core import tours
from viz_app.core.registry import Registry, RegistryError
from viz_app.qt import i18n, view_state
from viz_app.qt.i18n import tr
from viz_app.qt.question_cover import QuestionCover, candidates


class TourBar(QWidget):
    """The caption of the current step, its number, and the buttons (shown while a tour runs)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("tourBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.previous_button = QPushButton("◀", self)
        self.previous_button.setObjectName("tourPrevious")
        self.next_button = QPushButton("▶", self)
        self.next_button.setObjectName("tourNext")
        self.close_button = QPushButton("✕", self)
        self.close_button.setObjectName("tourClose")
        column = QVBoxLayout()
        self.position = QLabel(self)
        self.position.setObjectName("tourPosition")
        self.caption = QLabel(self)
        self.caption.setObjectName("tourCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)  # larger than the rest, and it follows the text size
        self.position.setTextFormat(Qt.PlainText)
        self.problem = QLabel(self)
        self.problem.setObjectName("tourProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        # The buttons share the step's row, so the caption has the window's whole width (fewer lines on a
        # 1024-pixel projector screen, more room for the lesson below).
        row = QHBoxLayout()
        row.addWidget(self.previous_button)
        row.addWidget(self.position, 1)
        row.addWidget(self.next_button)
        row.addWidget(self.close_button)
        column.addLayout(row)
        column.addWidget(self.caption)
        column.addWidget(self.problem)
        layout.addLayout(column, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.previous_button.setToolTip(tr("Previous step (Page Up, ←)"))
        self.next_button.setToolTip(tr("Next step (Page Down, →)"))
        self.close_button.setToolTip(tr("End the tour"))


class TourPlayer(QObject):
    """Holds the open tour and shows its steps in ``window`` (a MainWindow)."""

    stepShown = Signal(int)
    tourChanged = Signal()

    def __init__(self, window, bar: TourBar):
        super().__init__(window)
        self.window = window
        self.bar = bar
        self.tour: tours.Tour | None = None
        self.index = -1
        self.path: str | None = None
        self.problems: list[str] = []
        self._waiting: set = set()  # request ids of the step's tab action not yet drawn
        self._shown = 0
        self.cover: QuestionCover | None = None  # while a question step's answer is hidden
        service = window.service
        service.resultReady.connect(self._settled)
        service.jobFailed.connect(self._settled)
        service.jobCancelled.connect(self._settled)
        bar.previous_button.clicked.connect(self.previous)
        bar.next_button.clicked.connect(self.next)
        bar.close_button.clicked.connect(self.stop)
        bar.hide()
        self.shortcuts = []
        for key, move in (
            (Qt.Key_PageDown, self.next),
            (Qt.Key_Right, self.next),
            (Qt.Key_PageUp, self.previous),
            (Qt.Key_Left, self.previous),
        ):
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.WindowShortcut)
            shortcut.setEnabled(False)  # only while a tour runs
            shortcut.activated.connect(move)
            self.shortcuts.append(shortcut)
        # The text box keeps Page Up / Down for itself; a clicker's keys must still move the tour.
        window.input.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.tour is not None

    # --- opening and closing --------------------------------------------------------------------
    def start(self, tour: tours.Tour, path: str | None = None, at: int = 0) -> None:
        self.tour, self.path = tour, path
        self.bar.show()
        self._set_keys(True)
        self.tourChanged.emit()
        self.go(at)

    def open_file(self, path: str) -> str:
        """Open and start a tour file. Returns "" or the reason it cannot be used (nothing changes then)."""
        try:
            tour = tours.load(path)
        except tours.TourError as exc:
            return str(exc)
        self.start(tour, path)
        return ""

    def save_file(self, path: str) -> str:
        if self.tour is None:
            return tr("There is no tour to save.")
        try:
            tours.save(self.tour, path)
        except OSError as exc:
            return tr("Could not write {path}: {error}").format(path=path, error=str(exc))
        self.path = path
        return ""

    def stop(self) -> None:
        self._uncover()
        self.tour, self.index, self.problems = None, -1, []
        self._waiting.clear()
        self.bar.hide()
        self._set_keys(False)
        self.tourChanged.emit()

    # --- moving ----------------------------------------------------------------------------------
    def next(self) -> None:
        if self.cover is not None:  # a question step: this key reveals the answer; the next one moves on
            self.reveal()
            return
        if self.tour is not None and self.index + 1 < len(self.tour.steps):
            self.go(self.index + 1)

    def previous(self) -> None:
        if self.tour is not None and self.index > 0:
            self.go(self.index - 1)

    def go(self, index: int) -> None:
        if self.tour is None or not self.tour.steps:
            return
        self.index = max(0, min(index, len(self.tour.steps) - 1))
        step = self.tour.steps[self.index]
        self.problems = []
        self._uncover()
        try:
            models = set(Registry().cards())
        except RegistryError:
            models = set()
        problem = tours.step_problem(step, {x.id for x in catalogue.LESSONS}, models)
        if problem:
            self.problems.append(tr("This step cannot be shown: {reason}.").format(reason=problem))
        else:
            self._show(step)
        self._update_bar(step)
        self.stepShown.emit(self.index)

    def _show(self, step: tours.Step) -> None:
        """Show ``step`` from a clean lesson state: its text (else the lesson's default text), the lesson's
        default controls and tab, then the step's model, tab and controls, then the tab's action (the ratio
        table, the neighbours, the analogy), so nothing shown or typed before leaks into the step."""
        w = self.window
        self._waiting.clear()
        w.select_lesson(step.lesson)
        text = step.shown_text
        if w.input.toPlainText() != text:
            w.set_input_text(text)
        w.flush_input()
        view = w.current_view()
        if view is None:
            return
        view.forget_requests()
        default = getattr(view, "default_state", None) or {}
        view_state.apply(view, default.get("controls", {}))  # what the user changed goes back first
        chosen = not step.model or view_state.choose_model(view, step.model)
        if not chosen and Path(step.model).is_dir() and w.open_model_folder(step.model) == "":
            chosen = view_state.choose_model(view, step.model)  # a local Hugging Face folder, opened now
        if not chosen:
            self.problems.append(tr("this lesson cannot use the model {model}").format(model=step.model))
        problem = view_state.open_tab(view, step.tab if step.tab is not None else default.get("tab"))
        if problem:
            self.problems.append(problem)
        self.problems += view_state.apply(view, step.controls)
        w.flush_input()
        view.refresh()  # drawn afresh even when text and controls were already the step's: no overlay stays
        self._act(view)
        if step.question is not None:
            self._cover(view, step.question)

    # --- predict, then reveal ----------------------------------------------------------------------
    def _cover(self, view, question) -> None:
        tabs = getattr(view, "tabs", None)
        target = tabs.currentWidget() if tabs is not None and tabs.currentWidget() is not None else view
        self.cover = QuestionCover(target, question.prompt_in(i18n.current()), [])
        if question.choices:
            self._fill_choices(view, question.choices)
            if view.pending():  # the model's candidates come with its result
                cover = self.cover

                def later() -> None:
                    view.resultShown.disconnect(later)
                    if self.cover is cover:
                        self._fill_choices(view, question.choices)

                view.resultShown.connect(later)

    def _fill_choices(self, view, k: int) -> None:
        if self.cover is not None:
            self.cover.set_choices(candidates(view.result, k))

    def reveal(self) -> None:
        """Take the cover off: the model's answer and the step's caption show."""
        self._uncover()
        if self.tour is not None and 0 <= self.index < len(self.tour.steps):
            self._update_bar(self.tour.steps[self.index])

    @property
    def hiding(self) -> bool:
        return self.cover is not None

    def _uncover(self) -> None:
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
            self.cover = None

    def _act(self, view) -> None:
        """Run the open tab's action once the lesson's own result is drawn (it may need the map)."""
        if view.pending():
            self._shown += 1
            token = ("action", self._shown)  # the action itself has not run yet
            self._waiting.add(token)

            def later() -> None:
                view.resultShown.disconnect(later)
                if token in self._waiting:  # still this step, not left meanwhile
                    self._waiting.discard(token)
                    self._waiting.update(view.tour_action())

            view.resultShown.connect(later)
            return
        self._waiting.update(view.tour_action())

    def pending(self) -> bool:
        """True while the step's tab action has not been drawn yet (``viz-app screenshot`` waits for it)."""
        return bool(self._waiting)

    def _settled(self, _channel: str, request_id: int, *_rest) -> None:
        self._waiting.discard(request_id)

    def _update_bar(self, step: tours.Step) -> None:
        n = len(self.tour.steps)
        self.bar.position.setText(
            tr("{title}: step {k} of {n}").format(title=self.tour.title_in(i18n.current()), k=self.index + 1, n=n)
        )
        shown = step.question.prompt_in(i18n.current()) if self.cover is not None else step.caption_in(i18n.current())
        caption = escape(shown).replace("\n", "<br>")
        self.bar.caption.setText(f'<span style="font-size:large">{caption}</span>')
        self.bar.problem.setText(" ".join(self.problems))
        self.bar.problem.setVisible(bool(self.problems))
        self.bar.previous_button.setEnabled(self.index > 0)
        self.bar.next_button.setEnabled(self.index + 1 < n)

    def refresh_bar(self) -> None:
        """After a language switch: the caption in the new language."""
        self.bar.retranslate()
        if self.tour is not None and 0 <= self.index < len(self.tour.steps):
            self._update_bar(self.tour.steps[self.index])

    # --- recording ---------------------------------------------------------------------------------
    def current_step(self, caption: str) -> tours.Step:
        """The window as it is now, as a step."""
        w = self.window
        view = w.current_view()
        controls = view_state.capture(view) if view is not None else {}
        tab = view_state.current_tab(view) if view is not None else None
        model = view_state.current_model(view) if view is not None else None
        return tours.Step(w.current_lesson_id, caption, w.input.toPlainText(), model, tab, controls)

    def add_current_view(self, caption: str) -> int:
        """Append the current view as a step after the current one (starting a new tour if none is open)."""
        step = self.current_step(caption)
        if self.tour is None:
            self.tour, self.path, self.index = tours.Tour(tr("My tour"), []), None, -1
            self.bar.show()
            self._set_keys(True)
            self.tourChanged.emit()
        self.tour.steps.insert(self.index + 1, step)
        self.index += 1
        self._update_bar(step)
        self.stepShown.emit(self.index)
        return self.index

    # --- keys --------------------------------------------------------------------------------------
    def _set_keys(self, on: bool) -> None:
        for shortcut in self.shortcuts:
            shortcut.setEnabled(on)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        """Page Up / Down typed in the text box (a clicker) while a tour runs."""
        if self.tour is not None and event.type() == QEvent.KeyPress:
            if event.key() == Qt.Key_PageDown:
                self.next()
                return True
            if event.key() == Qt.Key_PageUp:
                self.previous()
                return True
        return False
