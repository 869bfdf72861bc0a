"""The Transformer lesson's "Switch heads off" tab: the encoder, decoder and cross-attention heads as toggles
(``viz_app.qt.widgets.heads_panel``), the prediction read being one output word of the model's own greedy
translation, chosen in a box; the scan ("headscan") switches each head off in turn.

A mixin for ``TransformerView`` (which provides ``ask``, ``stop``, ``model_name``, ``tabs``, ``refresh``). The
tab's main request is ``scan.ablated_prediction_job``; the words of the box come from the lesson's translation
(``transformer_job``), asked as a side request ("translation") when the view has none for the text.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from viz_app.core.ablation import scan
from viz_app.core.lessons import transformer as lesson
from viz_app.core.transformer import probes
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.heads_panel import HeadsPanel

HEADS_TAB = QT_TR_NOOP("Switch heads off")


class TransformerHeadsTab:
    """The "Switch heads off" tab of the Transformer lesson."""

    heads_tab = -1

    def build_heads_tab(self) -> None:
        """The tab, and its "Output word read" box: in the Layer and Head boxes' place above the tabs (they
        change nothing on this tab), so that the toggles keep the tab's height."""
        row = self.layer_head.layout()
        self._layer_head_parts = [row.itemAt(k).widget() for k in range(row.count()) if row.itemAt(k).widget()]
        self.position_label = QLabel(tr("Output word read:"), self.layer_head)
        self.position_select = QComboBox(self.layer_head)
        self.position_select.setObjectName("headsPosition")
        self.position_select.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.position_select.setMinimumContentsLength(14)  # the box keeps its width from word to word
        self.position_select.setToolTip(
            tr(
                "the word of the model's own translation whose probability is read, given the words before it; the "
                "last entry reads the prediction that the output ends there"
            )
        )
        self.position_select.addItem("1", 0)
        self.position_select.currentIndexChanged.connect(lambda _i: self._heads_changed())
        for k, widget in enumerate((self.position_label, self.position_select)):
            row.insertWidget(len(self._layer_head_parts) + k, widget)
            widget.hide()
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        self.heads_panel = HeadsPanel(page)
        self.heads_panel.changed.connect(self._heads_changed)
        self.heads_panel.scanRequested.connect(self.run_head_scan)
        self.heads_panel.cancelRequested.connect(lambda: self.stop("headscan"))
        # Nine lines of toggles (the translator's encoder, decoder and cross-attention) are taller than the tab
        # in presentation mode: there the panel scrolls inside the tab, and the lesson does not.
        self.heads_scroll = QScrollArea(page)
        self.heads_scroll.setObjectName("headsScroll")
        self.heads_scroll.setFrameShape(QFrame.NoFrame)
        self.heads_scroll.setWidgetResizable(True)
        self.heads_scroll.setWidget(self.heads_panel)
        col.addWidget(self.heads_scroll, 1)
        self._words_for: tuple[str, str] | None = None  # (model, text) the box's words are the translation of
        self._translation_asked: tuple[str, str] | None = None  # (model, text) of the side request "translation"
        self.known_translation: tuple[tuple[str, str], probes.Translation] | None = None  # the latest one seen
        self.heads_tab = self.add_tab(page, HEADS_TAB)

    # --- the output word read ------------------------------------------------------------------
    def reads_output_word(self) -> bool:
        """The open tab reads one output word (this tab, and the view's "Why this prediction?")."""
        return self.tabs.currentIndex() in (self.heads_tab, getattr(self, "explain_tab", -1))

    def show_heads_controls(self, on: bool) -> None:
        """The "Output word read" box on the heads tab, the Layer and Head boxes on the others."""
        for widget in self._layer_head_parts:
            widget.setVisible(not on)
        self.position_label.setVisible(on)
        self.position_select.setVisible(on)

    @property
    def heads_position(self) -> int:
        """The chosen output word (0: the first; the translation's length: its <end>)."""
        data = self.position_select.currentData()
        return int(data) if data is not None else 0

    def show_output_words(self, key: tuple[str, str], translation: probes.Translation) -> None:
        """Fill the box with the words of ``translation`` (of ``key``: model, text) and its <end>, keeping the
        chosen position where it exists (without asking again: the prediction shown was asked for it)."""
        words = [*translation.output_tokens, "<end>"]
        keep = self.heads_position if key == self._words_for else 0
        box = self.position_select
        box.blockSignals(True)
        box.clear()
        for k, w in enumerate(words):
            box.addItem(f"{k + 1}: {w}", k)
        box.setCurrentIndex(min(keep, len(words) - 1))
        box.blockSignals(False)
        self._words_for = key
        if self.heads_position != keep and self.reads_output_word():
            self.refresh()  # the position asked for is not in this translation

    def follow_heads_text(self, text: str) -> None:
        """On the heads tab: a new text or model starts from its first output word, and the box asks for the
        words of its translation when the view has none."""
        if not self.reads_output_word() or not text.strip():
            return
        panel = self.heads_panel
        if panel.prediction is not None and panel.prediction.model != self.model_name and panel.heads_off():
            panel.blockSignals(True)  # another model: its heads start on (the translator's rows are not its rows)
            panel.switch_all_on()
            panel.blockSignals(False)
        key = (self.model_name, text)
        if key == self._words_for:
            return
        known = self.known_translation
        if known is not None and known[0] == key:
            self.show_output_words(*known)
            return
        self.position_select.blockSignals(True)
        self.position_select.setCurrentIndex(0)  # a new translation: its first word
        self.position_select.blockSignals(False)
        asked = self.asked("translation")
        if asked is not None and self._translation_asked == key and not asked.done:
            return
        self._translation_asked = key
        self.ask(
            "translation", lesson.transformer_job, self.model_name, text, label=self.model_label(),
            on_result=lambda v, _e: self._translation_arrived(v),
        )  # fmt: skip

    def _translation_arrived(self, translation: probes.Translation) -> None:
        key = self._translation_asked
        self.known_translation = (key, translation)
        if key == (self.model_name, self.text) and self.reads_output_word():
            self.show_output_words(key, translation)
            self.show_translation_line(translation)

    # --- requests ----------------------------------------------------------------------------
    def heads_request(self, text: str):
        p = self.heads_panel
        args = (self.model_name, text, p.heads_off(), p.mode_name, None, self.heads_position)
        return scan.ablated_prediction_job, args, {}

    def _heads_changed(self) -> None:
        if self.reads_output_word():
            self.refresh()

    def run_head_scan(self) -> None:
        if not self.text.strip():
            self.show_error(tr("Type a text first: the scan reads the model's prediction for it."))
            return
        panel = self.heads_panel
        panel.scan_started()
        self.ask(
            "headscan", scan.head_scan_job, self.model_name, self.text, panel.mode_name, None, self.heads_position,
            label=tr("{model}: switching each head off in turn").format(model=self.model_label()),
            on_progress=panel.scan_progress, on_result=lambda v, _e: panel.show_scan(v),
            on_failed=self._scan_failed, on_cancelled=panel.scan_ended,
        )  # fmt: skip

    def _scan_failed(self, message: str) -> None:
        self.heads_panel.scan_ended()
        self.show_error(message)

    def heads_tour_action(self) -> list[int]:
        """The scan, for a tour step or the gallery."""
        self.run_head_scan()
        return [self.asked("headscan").request_id] if self.busy("headscan") else []

    def heads_csv_rows(self, r: scan.AblatedPrediction) -> list[list]:
        rows = [["heads_off", "mode", "position", "target", "base_logprob", "logprob", "delta_logprob"]]
        off = " ".join(f"{r.rows[a]}:h{b + 1}" for a, b in r.heads_off)
        return rows + [[off, r.mode, r.position + 1, r.target, f"{r.base_logprob:.6g}", f"{r.logprob:.6g}",
                        f"{r.delta_logprob:.6g}"]]  # fmt: skip
