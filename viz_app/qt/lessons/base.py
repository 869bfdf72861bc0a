"""What every lesson view shares: reading the shared text, asking the service, showing errors."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viz_app.core.lessons import Lesson
from viz_app.core.messages import user_text
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core


class LessonView(QWidget):
    """Base class. Subclasses build their widgets into ``self.body`` and implement
    ``make_request`` (text -> (job fn, args) or None) and ``show_result``."""

    resultShown = Signal()  # a result or an error has been drawn
    textRequested = Signal(str)  # the view asks for this text in the shared input (an example button)
    insertRequested = Signal(str)  # the view asks for this to be typed at the text box's cursor

    def __init__(self, lesson: Lesson, service, parent=None):
        super().__init__(parent)
        self.lesson = lesson
        self.service = service
        self.setObjectName(f"lesson-{lesson.id}")
        self._text: str | None = None
        self._asked: dict[str, object] = {}  # this view's latest request of each kind ("" = the main one)
        self.result = None  # the last result drawn (exported by File > Export numbers)
        self.last_elapsed_s: float | None = None
        self.drawn = False  # becomes True once a result or an error has been drawn
        self.last_request_drawn = -1  # the request id of what is on screen
        self._request_label = ""  # the model label the latest request was sent with
        self.shown_model = ""  # the model that computed the result on screen (the status bar shows it)
        self.shown_device = ""  # and the device it ran on
        self._note_labels: list[QLabel] = []  # warning strips shown by show_notes
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.error_banner = QLabel(self)
        self.error_banner.setObjectName("lessonError")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error_banner.hide()
        outer.addWidget(self.error_banner)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)

    # --- to implement -----------------------------------------------------------------
    def make_request(self, text: str):
        """Return (fn, args, kwargs) to run on the worker for ``text``, or None for nothing. A query: it changes
        no widget (``follow_text`` and ``show_empty`` do).

        May raise ValueError with a message for the user (the view shows it)."""
        return None

    def follow_text(self, text: str) -> None:
        """Called before ``make_request`` each time the lesson asks again: the view adapts its controls to the
        text (a Chinese text chooses the Chinese model) and starts its side requests. The default does nothing."""

    def show_empty(self) -> None:
        """What the view shows when there is nothing to ask for (an empty text box). The default shows nothing."""

    def show_result(self, result) -> None:
        raise NotImplementedError

    def model_label(self) -> str:
        return tr("none (coming in a later version)")

    def result_model(self, result) -> str:
        """The model that computed ``result``: its own ``model`` field where it has one (a job may choose
        another model than the one asked for, as self-attention does for English), else the label the
        request was sent with (also where that label names the result's model among others: "bert-sentiment +
        gpt-tiny" for a page showing both)."""
        model = getattr(result, "model", None)
        if not isinstance(model, str) or not model:
            return self._request_label
        asked = [part.strip() for part in self._request_label.split("+")]
        return self._request_label if model in asked else model

    def forget_requests(self) -> None:
        """Drop the results of a tab's own requests still on their way (a tour step starts clean); the
        lesson's main request is replaced by the step's anyway."""
        for key, handle in self._asked.items():
            if key:
                handle.forget()

    def tour_action(self) -> list[int]:
        """What a click on the open tab's button does (a tour step runs it after setting the controls, so the
        step's screen never keeps an earlier result). Returns the ids of the requests it made, which the
        tour player waits for; the default does nothing."""
        return []

    # --- requests: every request a view makes goes through ask, and comes back on its own handle -------
    def ask(
        self, key: str, fn, *args, label: str = "", on_result=None, on_failed=None, on_progress=None,
        on_cancelled=None, **kwargs,
    ):  # fmt: skip
        """Run ``fn(ctx, *args, **kwargs)`` on the worker as this view's request ``key`` ("" is the lesson's
        main request; a side job names itself: "generate", "neighbors"). A newer request of the same key
        supersedes this one, whose handle then stays silent; the callbacks are connected to this request's
        own handle (``on_result(value, elapsed_s)``, ``on_failed(message)``, ``on_progress(Progress)``,
        ``on_cancelled()``), so no view ever sees another's results. Returns the handle."""
        channel = f"{self.lesson.id}:{key}" if key else self.lesson.id
        handle = self.service.submit(channel, fn, *args, label=label, **kwargs)
        self._asked[key] = handle
        for signal, slot in (
            (handle.result, on_result), (handle.failed, on_failed), (handle.progress, on_progress),
            (handle.cancelled, on_cancelled),
        ):  # fmt: skip
            if slot is not None:
                signal.connect(self._while_alive(slot))
        return handle

    def _while_alive(self, slot):
        """``slot``, called only while this view exists (a request may end after its window was closed)."""
        from shiboken6 import isValid

        def call(*args):
            if isValid(self):
                slot(*args)

        return call

    def asked(self, key: str = ""):
        """This view's latest request of kind ``key`` (a handle), or None before the first."""
        return self._asked.get(key)

    def busy(self, key: str) -> bool:
        """True while this view's latest request of kind ``key`` has not ended."""
        handle = self._asked.get(key)
        return handle is not None and not handle.done

    def stop(self, key: str = "") -> None:
        """Cancel this view's request of kind ``key`` (its ``on_cancelled`` runs at once if it had not ended)."""
        self.service.cancel(f"{self.lesson.id}:{key}" if key else self.lesson.id)

    @property
    def request_id(self) -> int:
        """The id of the lesson's latest main request; -1 when there is none (an empty or rejected text)."""
        handle = self._asked.get("")
        return handle.request_id if handle is not None else -1

    def pending(self) -> bool:
        """True while the latest main request, or a side request (other than one the view runs in the
        background until stopped, see ``background_keys``), has not been drawn yet."""
        return any(not h.done for k, h in self._asked.items() if k not in self.background_keys)

    background_keys: tuple[str, ...] = ()  # side requests that run until stopped (live training)

    def export_json(self) -> dict | None:
        to_json = getattr(self.result, "to_json", None)
        return to_json() if to_json else None

    # --- building blocks the lesson views share -----------------------------------------
    def rich_label(self, parent, object_name: str) -> QLabel:
        """A word-wrapped, selectable rich-text label whose minimum height is its wrapped text's (a plain QLabel
        asks for one line, and a short window then squeezes the plots beside it under their neighbours)."""
        from viz_app.qt.widgets.wrap_label import WrapLabel

        label = WrapLabel(parent, object_name)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    def make_tabs(self, object_name: str, export_tip: str = ""):
        """The lesson's tab widget, with an Export… button in its corner (``self.tabs``, ``self.export_button``).
        ``export_tip``: the button's tooltip, already translated (default: PNG, SVG or CSV of this tab)."""
        from PySide6.QtWidgets import QPushButton, QTabWidget

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName(object_name)
        self.export_button = QPushButton(tr("Export…"), self)
        self.export_button.setObjectName(f"export-{self.lesson.id}")
        self.export_button.setToolTip(export_tip or tr("this tab as PNG or SVG, or its numbers as CSV"))
        self.export_button.clicked.connect(self.ask_export)
        self.tabs.setCornerWidget(self.export_button)
        return self.tabs

    def _size_to_current_tab(self, _index: int = -1) -> None:
        """Only the shown tab's page counts for the lesson's minimum size: a tall page elsewhere (two heatmaps
        and a table) must not make a short one scroll on a small projector screen. Hidden pages are given an
        ignored size policy, which takes them out of the tab widget's minimum."""
        from PySide6.QtWidgets import QSizePolicy

        current = self.tabs.currentWidget()
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            policy = QSizePolicy.Preferred if page is current else QSizePolicy.Ignored
            page.setSizePolicy(policy, policy)
        self.tabs.updateGeometry()

    def add_tab(self, page, title: str) -> int:
        """Add ``page`` to ``self.tabs`` under ``title``, an English source string marked with ``QT_TR_NOOP``:
        the tab shows it translated, and :meth:`select_tab` and export file names still know the English."""
        index = self.tabs.addTab(page, tr(title))
        self.tabs.tabBar().setTabData(index, title)
        if self.tabs.count() == 1:  # the first tab: from now on only the shown page sets the minimum
            self.tabs.currentChanged.connect(self._size_to_current_tab)
        self._size_to_current_tab()
        return index

    def spin(self, row, parent, label: str, name: str, lo, hi, value, step=None, special: str = ""):
        """A labelled spin box added to ``row``: a QDoubleSpinBox when ``step`` is a float, else a QSpinBox."""
        from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

        row.addWidget(QLabel(label, parent))
        box = QDoubleSpinBox(parent) if isinstance(step, float) else QSpinBox(parent)
        box.setObjectName(name)
        box.setRange(lo, hi)
        if step is not None:
            box.setSingleStep(step)
        if special:
            box.setSpecialValueText(special)
        box.setValue(value)
        row.addWidget(box)
        return box

    def example_row(self, texts=None, group: str = "") -> tuple[object, list]:
        """A "Try:" row of buttons, each putting its sentence into the shared text box -> (layout, buttons).
        The sentences are the lesson's examples in :mod:`viz_app.core.examples` (``group``: its task), where
        each carries the claims the test suite checks; ``texts`` only for a row that makes no claim."""
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        if texts is None:
            from viz_app.core import examples

            texts = examples.texts(self.lesson.id, group)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Try:"), self))
        buttons = []
        for k, text in enumerate(texts):
            button = QPushButton(text, self)
            button.setObjectName(f"example{k}")
            button.setToolTip(tr("put this sentence into the text box"))
            button.clicked.connect(lambda _=False, b=button: self.textRequested.emit(b.text()))
            row.addWidget(button)
            buttons.append(button)
        row.addStretch(1)
        return row, buttons

    def examples_widget(self, name: str, group: str = "") -> QWidget:
        """The lesson's "Try:" row in a widget of its own (``name``: its objectName), for a layout that puts it
        beside or under other controls; its buttons become ``self.example_buttons``."""
        examples, self.example_buttons = self.example_row(group=group)
        examples.setContentsMargins(0, 0, 0, 0)
        box = QWidget(self)
        box.setObjectName(name)
        box.setLayout(examples)
        return box

    def layer_box(self, layers: int):
        """The "Layer:" spin box of the attention lessons in a widget of its own -> (widget, its row, the spin
        box); the caller adds its head selector to the row."""
        from PySide6.QtWidgets import QHBoxLayout, QSpinBox

        box = QWidget(self)
        box.setObjectName("layerHeadBoxes")
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Layer:"), box))
        spin = QSpinBox(box)
        spin.setObjectName("layerSelect")
        spin.setRange(1, layers)
        row.addWidget(spin)
        return box, row, spin

    def export(self, path: str) -> None:
        """The open tab as PNG or SVG, or its numbers (``csv_rows``) as CSV."""
        from pathlib import Path

        if Path(path).suffix.lower() != ".csv":
            from viz_app.qt.export import export_widget

            tabs = getattr(self, "tabs", None)
            export_widget(tabs.currentWidget() if tabs is not None else self, path)
            return
        import csv

        rows = self.csv_rows()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)

    def csv_rows(self) -> list[list]:
        """The numbers of the open tab, a header row first; ValueError when there is nothing to export."""
        raise ValueError(tr("this lesson has nothing to export"))

    def ask_export(self) -> None:
        """Ask where to save the open tab (PNG, SVG, or its numbers as CSV) and save it there."""
        from viz_app.qt import save_dialog

        tabs = getattr(self, "tabs", None)
        tab = ""
        if tabs is not None:  # the English title where there is one: file names stay ASCII in every language
            tab = tabs.tabBar().tabData(tabs.currentIndex()) or tabs.tabText(tabs.currentIndex())
        name = "-".join(w for w in "".join(ch if ch.isalnum() else " " for ch in tab.lower()).split())
        default = f"{self.lesson.id}{'-' + name if name else ''}.png"
        path = save_dialog.ask_save_path(
            self, tr("Export"), default, tr("PNG image (*.png);;SVG image (*.svg);;Numbers (*.csv)")
        )
        if path:
            try:
                self.export(path)
            except (OSError, ValueError) as exc:
                self.show_error(tr("Could not export {path}: {error}").format(path=path, error=exc))

    # --- shared behaviour --------------------------------------------------------------
    def select_tab(self, name: str) -> None:
        """Open a tab by (the start of) its title, case-insensitively (``viz-app screenshot --tab``): the title
        shown, or its English source (the same names work in every language)."""
        tabs = getattr(self, "tabs", None)
        titles = [tabs.tabText(k) for k in range(tabs.count())] if tabs is not None else []
        sources = [tabs.tabBar().tabData(k) or "" for k in range(tabs.count())] if tabs is not None else []
        for k, (title, source) in enumerate(zip(titles, sources, strict=True)):
            if title.lower().startswith(name.lower()) or (source and source.lower().startswith(name.lower())):
                tabs.setCurrentIndex(k)
                return
        raise ValueError(
            tr("no tab {name} in this lesson").format(name=repr(name))
            + (tr("; tabs: {titles}").format(titles=", ".join(titles)) if titles else "")
        )

    def set_text(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        self.refresh()

    @property
    def text(self) -> str:
        return self._text or ""

    def refresh(self) -> None:
        """Ask the worker for the current text's result (or show the view's own empty state)."""
        if not self.text.strip():  # an emptied text box takes its warnings ([UNK], cut text) with it
            for label in self._note_labels:
                label.hide()
        try:
            self.follow_text(self.text)
            request = self.make_request(self.text)
        except ValueError as exc:  # input the view itself can reject, with a message for the user
            self._drop_main()
            self.show_error(tr_core(user_text(exc)))
            self._mark_drawn()
            return
        if request is None:
            self._drop_main()
            self.show_empty()
            self._mark_drawn()
            return
        fn, args, kwargs = request
        self._request_label = self.model_label()
        self.ask("", fn, *args, label=self._request_label, on_result=self._on_result, on_failed=self._on_failed,
                 **kwargs)  # fmt: skip

    def _drop_main(self) -> None:
        self.stop()
        self._asked.pop("", None)

    def _on_result(self, value, elapsed_s: float) -> None:
        handle = self._asked[""]
        self.clear_error()
        self.last_request_drawn = handle.request_id
        self.result = value
        self.last_elapsed_s = elapsed_s
        self.shown_model = self.result_model(value)
        self.shown_device = handle.device
        self.show_result(value)
        self._mark_drawn()

    def _on_failed(self, message: str) -> None:
        self.show_error(message)
        self._mark_drawn()

    def _mark_drawn(self) -> None:
        self.drawn = True
        self.resultShown.emit()

    def show_notes(self, label: QLabel, notes: list[str]) -> None:
        """``notes`` in ``label`` as a warning strip (hidden when there are none)."""
        c = theme.colors()
        label.setStyleSheet(f"background:{c['warn_bg']}; color:{c['warn_fg']}; padding:4px; border-radius:4px;")
        label.setText(" ".join(notes))
        label.setVisible(bool(notes))
        if label not in self._note_labels:
            self._note_labels.append(label)

    def show_error(self, message: str) -> None:
        c = theme.colors()
        self.error_banner.setStyleSheet(
            f"background:{c['error_bg']}; color:{c['error_fg']}; padding:6px; border-radius:4px;"
        )
        self.error_banner.setText(message)
        self.error_banner.show()

    def clear_error(self) -> None:
        self.error_banner.hide()
        self.error_banner.setText("")
