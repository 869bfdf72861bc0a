"""Self-attention with the bundled Transformer's real weights: Q = XW^Q, K = XW^K, V = XW^V for a chosen
layer and head, q.k, / sqrt(d_k), softmax, Z, all heads concatenated times W^O; the head view, every
layer x head at once, one query's neurons, and the positional encoding."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSpinBox

from viz_app.core.lessons import transformer as lesson
from viz_app.core.lessons.self_attention import (  # noqa: F401 - the lesson's names, importable from here
    ENGLISH_MODEL,
    SAGAN_MODEL,
    SelfAttentionResult,
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
from viz_app.qt.lessons.self_attention.sentence_tabs import SentenceTabs
from viz_app.qt.widgets.side_by_side import SideBySide
from viz_app.qt.widgets.wrap_label import WrapLabel

MODEL_FREE_TABS = (4, 6)  # Positions (the sinusoid table) and Vision (SAGAN): no sentence model's numbers
NO_LAYER_HEAD_TABS = (4, 5, 6)  # tabs the Layer and Head boxes do not change


class SelfAttentionView(SentenceTabs, ConceptTabs, LessonView):
    """The tabs are built and drawn in ``sentence_tabs`` (Q, K, V, Heads, All layers, Neuron view) and
    ``concept_tabs`` (Positions, Parallel vs sequential, Vision); here: the controls, requests and export."""

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._drawn_tabs: set[int] = set()
        self.layer_head, top, self.layer_select = self.layer_box(3)
        top.addWidget(QLabel(tr("Head:"), self.layer_head))
        self.head_select = QSpinBox(self.layer_head)
        self.head_select.setObjectName("headSelect")
        self.head_select.setRange(1, 8)
        top.addWidget(self.head_select)
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
        self.tabs.currentChanged.connect(self._draw_tab)
        self.tabs.currentChanged.connect(lambda _i: self._fit_to_tab())
        self._notice_wanted = False

    def _fit_to_tab(self) -> None:
        """The note about the sentence model shows on the tabs that draw its numbers; the Layer and Head
        boxes are greyed out on the tabs they do not change."""
        tab = self.tabs.currentIndex()
        self.notice.setVisible(self._notice_wanted and tab not in MODEL_FREE_TABS)
        self.layer_head.setEnabled(tab not in NO_LAYER_HEAD_TABS)

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
        return self_attention_job, (text, self.layer_select.value() - 1, self.head_select.value() - 1), {}

    def show_result(self, result: SelfAttentionResult) -> None:
        enc = result.encoded
        notes = []
        if result.model != lesson.MODEL:
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

    def _draw_tab(self, index: int) -> None:
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
        if tab == 4:
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
