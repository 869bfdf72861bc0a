"""Self-attention with the bundled Transformer's real weights: Q = XW^Q, K = XW^K, V = XW^V for a chosen
layer and head, q.k, / sqrt(d_k), softmax, Z, all heads concatenated times W^O; the head view, every
layer x head at once, one query's neurons, and the positional encoding."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSpinBox

from viz_app.core.lessons import transformer as lesson
from viz_app.core.lessons.self_attention import (  # noqa: F401 - the lesson's names, importable from here
    ENGLISH_MODEL,
    SAGAN_MODEL,
    SelfAttentionResult,
    learned_attention_job,
    sagan_job,
    self_attention_job,
)
from viz_app.core.seq2seq import data
from viz_app.core.transformer import probes
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.self_attention.common import TABS  # noqa: F401 - importable from here, as before
from viz_app.qt.lessons.self_attention.concept_tabs import (  # noqa: F401 - the constants, importable from here
    MAX_DIAGRAM_TOKENS,
    SAMPLES_PER_CLASS,
    ConceptTabs,
)
from viz_app.qt.lessons.self_attention.learn_tab import LEARN_TAB, LearnPanel
from viz_app.qt.lessons.self_attention.sentence_tabs import SentenceTabs
from viz_app.qt.widgets.side_by_side import SideBySide
from viz_app.qt.widgets.wrap_label import WrapLabel

MODEL_FREE_TABS = (4, 6, 7)  # Positions (a sinusoid table), Vision (SAGAN), Learn: no sentence model's numbers
NO_LAYER_HEAD_TABS = (4, 5, 6, 7)  # tabs the Layer and Head boxes do not change
LEARN_TAB_INDEX = 7  # the last tab: a tiny Transformer trained live (learn_tab)


class SelfAttentionView(SentenceTabs, ConceptTabs, LessonView):
    """The tabs are built and drawn in ``sentence_tabs`` (Q, K, V, Heads, All layers, Neuron view) and
    ``concept_tabs`` (Positions, Parallel vs sequential, Vision), and ``learn_tab`` (Learn: a tiny Transformer
    trained live); here: the controls, requests and export."""

    background_keys = ("learn",)  # live training asks chunk after chunk until paused

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._drawn_tabs: set[int] = set()
        self.layer_head, top, self.layer_select = self.layer_box(3)
        top.addWidget(QLabel(tr("Head:"), self.layer_head))
        self.head_select = QSpinBox(self.layer_head)
        self.head_select.setObjectName("headSelect")
        self.head_select.setRange(1, 8)
        top.addWidget(self.head_select)
        self.learned_key: str | None = None  # the other tabs draw the model trained in Learn (its session)
        self.back_button = QPushButton(tr("Back to the bundled models"), self.layer_head)
        self.back_button.setObjectName("learnBack")
        self.back_button.hide()
        self.back_button.clicked.connect(self.close_learned)
        top.addWidget(self.back_button)
        top.addStretch(1)  # stacked above the Try buttons, the boxes keep their own width
        self.layer_select.valueChanged.connect(lambda _v: self.refresh())
        self.head_select.valueChanged.connect(lambda _v: self.refresh())
        self.examples_box = self.examples_widget("selfAttentionExamples")  # viz_app.core.examples, with claims
        self.controls = SideBySide(self.layer_head, self.examples_box, self)
        self.body.addWidget(self.controls)
        self.make_tabs("selfAttentionTabs")
        self.body.addWidget(self.tabs, 1)
        # Under the tabs, so that it comes and goes (it says nothing about Positions and Vision) without
        # moving the tab bar under the mouse.
        self.notice = WrapLabel(self, "selfAttentionNotice")
        self.notice.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.notice.hide()
        self.body.addWidget(self.notice)
        self._build_qkv_tab()
        self._build_heads_tab()
        self._build_grid_tab()
        self._build_neuron_tab()
        self._build_positional_tab()
        self._build_parallel_tab()
        self._build_vision_tab()
        self.learn_panel = LearnPanel(self)
        self.add_tab(self.learn_panel, LEARN_TAB)
        self.tabs.currentChanged.connect(self._draw_tab)
        self.tabs.currentChanged.connect(lambda _i: self._fit_to_tab())
        self._notice_wanted = False

    def _fit_to_tab(self) -> None:
        """The note about the sentence model shows on the tabs that draw its numbers; the Layer and Head
        boxes are greyed out on the tabs they do not change."""
        tab = self.tabs.currentIndex()
        self.notice.setVisible(self._notice_wanted and tab not in MODEL_FREE_TABS)
        self.layer_head.setEnabled(tab not in NO_LAYER_HEAD_TABS)
        self.name_shown_model()

    def name_shown_model(self) -> None:
        """The status bar names what computed the open tab: on Learn the model being trained and its device,
        elsewhere the sentence model of the lesson's result."""
        chunk = self.learn_panel.chunk if self.tabs.currentIndex() == LEARN_TAB_INDEX else None
        if chunk is not None:
            self.shown_model = tr("a tiny Transformer learning {task} (step {step})").format(
                task=self.learn_panel.task_label(), step=chunk.step
            )
            self.shown_device = chunk.device
        elif self.result is not None:
            self.shown_model = self.result_model(self.result)
            self.shown_device = getattr(self.result, "device", "") or self.shown_device
        self.resultShown.emit()

    def show_notes(self, label, notes: list[str]) -> None:
        super().show_notes(label, notes)
        if label is self.notice:
            self._notice_wanted = bool(notes)
            self._fit_to_tab()

    # --- requests -----------------------------------------------------------------------------
    def model_label(self) -> str:
        return lesson.MODEL

    def make_request(self, text: str):
        if not text.strip():
            self.result = None
            self.notice.setText(tr("Type a sentence (French; the model was trained on French) to see its attention."))
            self._notice_wanted = True
            self._fit_to_tab()
            return None
        layer, head = self.layer_select.value() - 1, self.head_select.value() - 1
        if self.learned_key is not None:
            return learned_attention_job, (self.learned_key, text, layer, head), {}
        return self_attention_job, (text, layer, head), {}

    def open_learned(self, session_key: str, chunk) -> None:
        """The model trained in Learn, in the other tabs, on its test input (put into the text box)."""
        from viz_app.core.lessons.learn import test_input_text

        self.learned_key = session_key
        self.back_button.show()
        self.tabs.setCurrentIndex(1)  # Heads: every head of the chosen layer
        self.textRequested.emit(test_input_text(chunk))
        self.refresh()

    def close_learned(self) -> None:
        self.learned_key = None
        self.back_button.hide()
        self.refresh()

    def show_result(self, result: SelfAttentionResult) -> None:
        enc = result.encoded
        notes = []
        if result.model.startswith("learn-"):
            notes.append(
                tr(
                    "These are the numbers of <b>{model}</b>, the tiny Transformer trained in the Learn tab, on its "
                    "own tokens (a left-to-right model: each position sees only those before it). <b>Back to the "
                    "bundled models</b> above returns to the lesson's Transformer."
                ).format(model=escape(result.model))
            )
        elif result.model != lesson.MODEL:
            notes.append(
                tr(
                    "English text: these are the numbers of <b>{model}</b>, the small BERT trained here "
                    "on English stories (the Transformer of this lesson reads French). The same q, k, v and softmax, in "
                    "its own layers and heads; [CLS] and [SEP] are the tokens BERT adds around a sentence."
                ).format(model=escape(result.model))
            )
        unknown = [t for t, s in zip(enc.typed, enc.tokens, strict=True) if s == data.UNK]
        if unknown:
            note = (
                tr(
                    "The bundled Transformer reads French: {words} is not in its vocabulary, so it sees &lt;unk&gt;. "
                    "The attention below is still the model's own computation; try a French sentence to see words "
                    "attend to words."
                )
                if len(unknown) == 1
                else tr(
                    "The bundled Transformer reads French: {words} are not in its vocabulary, so it sees &lt;unk&gt;. "
                    "The attention below is still the model's own computation; try a French sentence to see words "
                    "attend to words."
                )
            )
            notes.append(note.format(words=", ".join(f"“{escape(w)}”" for w in unknown[:8])))
        if enc.truncated:
            notes.append(
                tr("Only the first {n} tokens are read; {more} more were cut.").format(
                    n=probes.MAX_SOURCE_TOKENS, more=enc.truncated
                )
            )
        self.show_notes(self.notice, notes)
        layers, heads = enc.attention.shape[:2]
        self.layer_select.setMaximum(layers)
        self.head_select.setMaximum(heads)
        current = self.query_select.currentIndex()
        self.query_select.blockSignals(True)
        self.query_select.clear()
        self.query_select.addItems([f"{k + 1}: {t}" for k, t in enumerate(enc.tokens)])
        self.query_select.setCurrentIndex(min(max(current, 0), len(enc.tokens) - 1))
        self.query_select.blockSignals(False)
        self._drawn_tabs = set()
        self._draw_tab(self.tabs.currentIndex())

    def _redraw(self, index: int) -> None:
        self._drawn_tabs.discard(index)
        if self.tabs.currentIndex() == index:
            self._draw_tab(index)

    def tour_action(self, steps: int | None = None) -> list[int]:
        """On Learn: train ``steps`` (default: enough to form the pattern) from random weights."""
        return self.learn_panel.tour_action(steps) if self.tabs.currentIndex() == LEARN_TAB_INDEX else []

    def _draw_tab(self, index: int) -> None:
        if index == LEARN_TAB_INDEX:
            return
        if index == 6:
            if getattr(self, "digits_result", None) is None:
                self._generate_digits()
            return
        if index in (4, 5) and index not in self._drawn_tabs:
            self._drawn_tabs.add(index)
            (self._draw_positional if index == 4 else self._draw_parallel)()
            return
        if self.result is None or index in self._drawn_tabs:
            return
        self._drawn_tabs.add(index)
        (self._draw_qkv, self._draw_heads, self._draw_grid, self._draw_neuron)[index]()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_scores_table()  # presentation mode's larger font: wider numbers

    # --- export -------------------------------------------------------------------------------
    def export(self, path: str) -> None:
        import csv

        from viz_app.qt.export import export_widget

        if Path(path).suffix.lower() != ".csv":
            export_widget(self.tabs.currentWidget(), path)
            return
        tab = self.tabs.currentIndex()
        if tab == LEARN_TAB_INDEX:
            rows = self.learn_panel.csv_rows()
        elif tab == 4:
            table = lesson.positional_table(50, 256)
            rows = [["position", *(f"d{j}" for j in range(table.encoding.shape[1]))]]
            rows += [[p, *(f"{v:.6g}" for v in r)] for p, r in enumerate(table.encoding)]
        elif self.result is None or self.result.head is None:
            raise ValueError(tr("nothing to export yet"))
        elif tab in (0, 3):
            h = self.result.head
            rows = [["matrix", "token", "column", "value"]]
            for name in ("q", "k", "v", "scores", "scaled", "weights", "z"):
                values = getattr(h, name)
                for i, token in enumerate(h.tokens):
                    rows += [[name, token, j, f"{v:.6g}"] for j, v in enumerate(values[i])]
        else:
            enc = self.result.encoded
            rows = [["layer", "head", "query", "key", "weight"]]
            for layer, per_layer in enumerate(enc.attention):
                for head, m in enumerate(per_layer):
                    for i, qt in enumerate(enc.tokens):
                        rows += [[layer + 1, head + 1, qt, enc.tokens[j], f"{m[i, j]:.6g}"] for j in range(len(m))]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
