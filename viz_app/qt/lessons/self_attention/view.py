"""Self-attention with the bundled Transformer's real weights: Q = XW^Q, K = XW^K, V = XW^V for a chosen
layer and head, q.k, / sqrt(d_k), softmax, Z, all heads concatenated times W^O; the head view, every
layer x head at once, one query's neurons, and the positional encoding."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import transformer as lesson
from viz_app.core.seq2seq import data
from viz_app.core.transformer import probes
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.widgets.attention_panels import HeadToggles, open_large
from viz_app.qt.widgets.dependency import DependencyDiagram
from viz_app.qt.widgets.digit_attention import DigitAttention
from viz_app.qt.widgets.head_view import HeadView
from viz_app.qt.widgets.heatmap import Heatmap, thin
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.side_by_side import SideBySide
from viz_app.qt.widgets.wrap_label import WrapLabel

TABS = (  # English sources, shown through tr()
    QT_TR_NOOP("Q, K, V"),
    QT_TR_NOOP("Heads"),
    QT_TR_NOOP("All layers"),
    QT_TR_NOOP("Neuron view"),
    QT_TR_NOOP("Positions"),
    QT_TR_NOOP("Parallel vs sequential"),
    QT_TR_NOOP("Vision"),
)
SAGAN_MODEL = "sagan-digits"
SAMPLES_PER_CLASS = 6
MAX_DIAGRAM_TOKENS = 12


ENGLISH_MODEL = "bert-tiny"  # reads English: used when the French Transformer knows too few of the words
MODEL_FREE_TABS = (4, 6)  # Positions (the sinusoid table) and Vision (SAGAN): no sentence model's numbers
NO_LAYER_HEAD_TABS = (4, 5, 6)  # tabs the Layer and Head boxes do not change


@dataclass(frozen=True)
class SelfAttentionResult:
    encoded: probes.Encoded
    head: probes.HeadNumbers | None
    model: str = lesson.MODEL

    def to_json(self) -> dict:
        head = None if self.head is None else self.head.to_json()
        return {"model": self.model, "encoder": self.encoded.to_json(), "head": head}


def self_attention_job(ctx, text: str, layer: int, head: int) -> SelfAttentionResult:
    store = ctx.models
    encoded = probes.encode(store, lesson.MODEL, text)
    unknown = sum(t == data.UNK for t in encoded.tokens)
    if encoded.tokens and 2 * unknown > len(encoded.tokens) and ENGLISH_MODEL in store.registry.cards():
        # Mostly unknown to the French model (English, like the lecture's "Thinking Machines"): the same
        # computation in the tiny BERT trained here, which reads English.
        from viz_app.core.lessons import lm as lm_lesson
        from viz_app.core.lm import probes as lm_probes

        bert = lm_lesson.model(ctx, ENGLISH_MODEL)
        ids = bert.encode(text)
        if 2 * sum(i == bert.unk_id for i in ids) <= len(ids):  # BERT reads it (not Chinese, emoji, ...)
            enc, numbers = lm_probes.encoder_numbers(bert, text, layer, head)
            return SelfAttentionResult(enc, numbers, ENGLISH_MODEL)
    layer = min(layer, encoded.attention.shape[0] - 1)  # the spin box may still show a BERT layer
    numbers = probes.head_numbers(store, lesson.MODEL, text, layer, head, encoded) if encoded.tokens else None
    return SelfAttentionResult(encoded, numbers)


def sagan_job(ctx, labels: list[int], seed: int):
    from viz_app.core.vision import sagan

    return sagan.generate(ctx.models.get(SAGAN_MODEL, sagan.load), labels, seed)


def _sym(values: np.ndarray) -> tuple[float, float]:
    lim = max(float(np.abs(values).max()) if values.size else 0.0, 1e-6)
    return -lim, lim


class SelfAttentionView(LessonView):
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

    # --- building -----------------------------------------------------------------------------
    def _build_qkv_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.qkv_caption = self.rich_label(page, "qkvCaption")
        col.addWidget(self.qkv_caption)
        inner = QWidget(page)
        grid = QGridLayout(inner)
        grid.setContentsMargins(0, 0, 0, 0)
        self.maps: dict[str, Heatmap] = {}
        # In the order of the computation, two to a row: X | Q, K | V, q.k | / sqrt(d_k), softmax | Z.
        for k, key in enumerate(("x", "q", "k", "v", "scores", "scaled", "weights", "z")):
            heat = Heatmap(inner, object_name=f"qkv-{key}")
            heat.setMinimumHeight(190)
            self.maps[key] = heat
            grid.addWidget(heat, k // 2, k % 2)
        self.concat_map = Heatmap(inner, object_name="qkv-concat")
        self.output_map = Heatmap(inner, object_name="qkv-output")
        for k, heat in enumerate((self.concat_map, self.output_map)):
            heat.setMinimumHeight(190)
            grid.addWidget(heat, 4, k)
        scroll = QScrollArea(page)
        scroll.setObjectName("qkvScroll")
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        col.addWidget(scroll, 1)
        self.add_tab(page, TABS[0])

    def _build_heads_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.head_toggles = HeadToggles(page)
        self.head_boxes = self.head_toggles.boxes
        self.head_toggles.toggled.connect(lambda h, on: self.head_view.set_head_enabled(h, on))
        col.addWidget(self.head_toggles)
        self.heads_caption = self.rich_label(page, "headsCaption")
        col.addWidget(self.heads_caption)
        self.head_view = HeadView(page)
        scroll = QScrollArea(page)
        scroll.setObjectName("headScroll")
        scroll.setWidget(self.head_view)
        scroll.setWidgetResizable(True)
        col.addWidget(scroll, 1)
        self.add_tab(page, TABS[1])

    def _build_grid_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.grid_caption = self.rich_label(page, "gridCaption")
        col.addWidget(self.grid_caption)
        splitter = QSplitter(Qt.Horizontal, page)
        self.grid = MatrixGrid(page)
        self.grid.cellChosen.connect(self._grid_chosen)
        splitter.addWidget(self.grid)
        self.grid_large = Heatmap(page, object_name="gridLarge")
        splitter.addWidget(self.grid_large)
        splitter.setSizes([520, 380])
        col.addWidget(splitter, 1)
        self.add_tab(page, TABS[2])

    def _build_neuron_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Query token:"), page))
        self.query_select = QComboBox(page)
        self.query_select.setObjectName("querySelect")
        self.query_select.currentIndexChanged.connect(lambda _i: self._redraw(3))
        row.addWidget(self.query_select)
        self.neuron_caption = self.rich_label(page, "neuronCaption")
        row.addWidget(self.neuron_caption, 1)
        col.addLayout(row)
        grid = QGridLayout()
        self.neuron_q = Heatmap(page, object_name="neuron-q")
        self.neuron_k = Heatmap(page, object_name="neuron-k")
        self.neuron_qk = Heatmap(page, object_name="neuron-qk")
        self.neuron_scores = NumberTable(page, object_name="neuron-scores", stretch_column=0)
        grid.addWidget(self.neuron_q, 0, 0, 1, 2)
        grid.addWidget(self.neuron_k, 1, 0)
        grid.addWidget(self.neuron_qk, 1, 1)
        grid.addWidget(self.neuron_scores, 0, 2, 2, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 3)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        col.addLayout(grid, 1)
        self.add_tab(page, TABS[3])

    def _build_positional_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.positional_caption = self.rich_label(page, "positionalCaption")
        self.positional_caption.setText(
            tr(
                "Self-attention by itself ignores order: shuffle the words and every word gets the same weights, "
                "as a bag of words does (“dog bites man” = “man bites dog”). So each position adds its own vector "
                "to the word's embedding: PE(pos, 2i) = sin(pos / 10000<sup>2i/d</sup>), "
                "PE(pos, 2i+1) = cos(pos / 10000<sup>2i/d</sup>). Left: the table (position × dimension). "
                "Right: PE(i) · PE(j): nearby positions are alike, far ones less so, the same for every sentence."
            )
        )
        col.addWidget(self.positional_caption)
        row = QHBoxLayout()
        self.pe_map = Heatmap(page, object_name="peMap")
        self.pe_dot = Heatmap(page, object_name="peDot")
        row.addWidget(self.pe_map, 3)
        row.addWidget(self.pe_dot, 2)
        col.addLayout(row, 1)
        self.add_tab(page, TABS[4])

    def _build_parallel_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.parallel_caption = self.rich_label(page, "parallelCaption")
        col.addWidget(self.parallel_caption)
        self.diagram = DependencyDiagram(page)
        col.addWidget(self._own_scroll(page, self.diagram, "parallelScroll"), 1)
        self.add_tab(page, TABS[5])

    def _build_vision_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.vision_caption = self.rich_label(page, "visionCaption")
        self.vision_caption.setText(
            tr(
                "Self-attention is used in vision too. A small <b>SAGAN</b> trained here on 8×8 handwritten digits draws "
                "a digit of each class from noise; between its convolutions, every pixel position attends to every "
                "other. Click a digit, then a pixel of the large one: orange shows where that pixel looks."
            )
        )
        row.addWidget(self.vision_caption, 1)
        row.addWidget(QLabel(tr("Seed:"), page))
        self.sagan_seed = QSpinBox(page)
        self.sagan_seed.setObjectName("saganSeed")
        self.sagan_seed.setRange(0, 99999)
        self.sagan_seed.valueChanged.connect(lambda _v: self._generate_digits())
        row.addWidget(self.sagan_seed)
        col.addLayout(row)
        self.digits = DigitAttention(page)
        col.addWidget(self._own_scroll(page, self.digits, "digitsScroll"), 1)
        self.add_tab(page, TABS[6])

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

    @staticmethod
    def _own_scroll(page: QWidget, widget: QWidget, name: str) -> QScrollArea:
        """``widget`` in a scroll area of its own: its minimum height (a drawing of many lines) then
        scrolls inside its tab where the window is short, instead of setting the height of every tab."""
        scroll = QScrollArea(page)
        scroll.setObjectName(name)
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        return scroll

    def _generate_digits(self) -> None:
        labels = [c for c in range(10) for _ in range(SAMPLES_PER_CLASS)]
        self.ask(
            "digits", sagan_job, labels, self.sagan_seed.value(), label=SAGAN_MODEL,
            on_result=self._digits_ready, on_failed=self.show_error,
        )  # fmt: skip

    def _digits_ready(self, value, _elapsed: float) -> None:
        self.digits_result = value
        self.digits.set_generated(value.images, value.labels, value.attention, SAMPLES_PER_CLASS)

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

    def _draw_qkv(self) -> None:
        h = self.result.head
        if h is None:
            return
        toks = thin(h.tokens)
        d_k = h.q.shape[1]
        dims = [str(j) if j % 8 == 0 else "" for j in range(d_k)]
        self.qkv_caption.setText(
            tr(
                "Layer {layer}, head {head} of the encoder (d<sub>k</sub> = {d_k}). Each row is a token. "
                "Q = XW<sup>Q</sup>, K = XW<sup>K</sup>, V = XW<sup>V</sup>; scores q·k; divided by √d<sub>k</sub> = "
                "{sqrt_d_k}; softmax along each row; Z = softmax(QK<sup>T</sup>/√d<sub>k</sub>)V. Below: all "
                "{heads} heads' Z side by side, times W<sup>O</sup>. Hover any cell for its number."
            ).format(
                layer=h.layer + 1,
                head=h.head + 1,
                d_k=d_k,
                sqrt_d_k=f"{np.sqrt(d_k):.2f}",
                heads=self.result.encoded.attention.shape[1],
            )
        )
        wide = [str(j) if j % 32 == 0 else "" for j in range(h.x.shape[1])]
        self.maps["x"].set_matrix(
            h.x, toks, wide, _sym(h.x), "CET-D1", colorbar_label=tr("X: layer input ({n} per token)").format(n=h.x.shape[1]),
            cell_labels=False,
        )  # fmt: skip
        for key, title in (("q", "Q = X·W^Q"), ("k", "K = X·W^K"), ("v", "V = X·W^V"), ("z", "Z = softmax(·)·V")):
            values = getattr(h, key)
            self.maps[key].set_matrix(
                values, toks, dims, _sym(values), "CET-D1", colorbar_label=title, cell_labels=False
            )
        self.maps["scores"].set_matrix(h.scores, toks, toks, _sym(h.scores), "CET-D1", colorbar_label="q · k")
        self.maps["scaled"].set_matrix(h.scaled, toks, toks, _sym(h.scaled), "CET-D1", colorbar_label="q · k / √dₖ")
        self.maps["weights"].set_matrix(h.weights, toks, toks, (0.0, 1.0), "viridis", colorbar_label="softmax")
        self.concat_map.set_matrix(
            h.concat, toks, wide, _sym(h.concat), "CET-D1", colorbar_label=tr("concat(Z of every head)"),
            cell_labels=False,
        )  # fmt: skip
        self.output_map.set_matrix(
            h.output, toks, wide, _sym(h.output), "CET-D1", colorbar_label=tr("concat(Z)·W^O: the block's output"),
            cell_labels=False,
        )  # fmt: skip

    def _draw_heads(self) -> None:
        enc = self.result.encoded
        layer = self.layer_select.value() - 1
        self.heads_caption.setText(
            tr(
                "Layer {layer}: each token on the left attends to the tokens on the right; one colour per head, "
                "darker = more weight. Hover a token on the left to see only its attention; untick heads to hide them."
            ).format(layer=layer + 1)
        )
        self.head_view.set_attention(list(enc.tokens), enc.attention[layer])

    def _draw_grid(self) -> None:
        enc = self.result.encoded
        layers, heads = enc.attention.shape[:2]
        self.grid_caption.setText(
            tr(
                "Every encoder layer (rows) × every head (columns): {maps} attention maps for "
                "{n} tokens. Click one to open it large."
            ).format(maps=layers * heads, n=len(enc.tokens))
        )
        self.grid.set_matrices(
            enc.attention,
            [tr("layer {layer}").format(layer=i + 1) for i in range(layers)],
            [f"h{j + 1}" for j in range(heads)],  # short: eight columns must fit
        )
        chosen = self.grid.selected or (self.layer_select.value() - 1, self.head_select.value() - 1)
        self._grid_chosen(*chosen)

    def _grid_chosen(self, layer: int, head: int) -> None:
        enc = self.result.encoded if self.result is not None else None
        if enc is not None:
            open_large(self.grid, self.grid_large, enc.attention, thin(enc.tokens), layer, head)

    def _draw_neuron(self) -> None:
        h = self.result.head
        if h is None:
            return
        i = max(0, self.query_select.currentIndex())
        toks = thin(h.tokens)
        d_k = h.q.shape[1]
        dims = [str(j) if j % 8 == 0 else "" for j in range(d_k)]
        q = h.q[i]
        product = q[None, :] * h.k  # (T, d_k): q_j * k_j for every key
        self.neuron_caption.setText(
            tr(
                "Layer {layer}, head {head}: the query of “{token}” meets every key. "
                "q × k elementwise, summed along the row, is the score; divided by √d<sub>k</sub> and softmaxed it is "
                "the weight."
            ).format(layer=h.layer + 1, head=h.head + 1, token=escape(h.tokens[i]))
        )
        self.neuron_q.set_matrix(
            q[None, :], [f"q ({h.tokens[i]})"], dims, _sym(q), "CET-D1", colorbar_label=tr("query vector q"),
            cell_labels=False,
        )  # fmt: skip
        self.neuron_k.set_matrix(
            h.k, toks, dims, _sym(h.k), "CET-D1", colorbar_label=tr("key vectors k"), cell_labels=False
        )
        self.neuron_qk.set_matrix(
            product, toks, dims, _sym(product), "CET-D1", colorbar_label=tr("q × k (elementwise)"), cell_labels=False
        )
        self.neuron_scores.set_rows(
            [tr("key"), "q·k", "÷√dₖ", "softmax"],
            [
                [t, f"{a:.3f}", f"{b:.3f}", f"{w:.3f}"]
                for t, a, b, w in zip(h.tokens, h.scores[i], h.scaled[i], h.weights[i], strict=True)
            ],
        )
        self._fit_scores_table()

    def _fit_scores_table(self) -> None:
        """The score table as wide as its numbers (the heat maps beside it give way): its columns were
        cut at 1024 px in presentation mode. Only a key token longer than 14 characters is shortened."""
        table = self.neuron_scores
        if not table.columnCount():
            return
        fm = table.fontMetrics()
        widths = [max(table.sizeHintForColumn(j), table.horizontalHeader().sectionSizeHint(j)) for j in
                  range(table.columnCount())]  # fmt: skip
        widths[0] = min(widths[0], fm.horizontalAdvance("M" * 14))
        scroll = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(sum(widths) + 2 * table.frameWidth() + scroll + 4)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_scores_table()  # presentation mode's larger font: wider numbers

    def _draw_parallel(self) -> None:
        enc = self.result.encoded if self.result is not None else None
        tokens = list(enc.tokens) if enc is not None and enc.tokens else ["x1", "x2", "x3", "x4"]
        more = len(tokens) - MAX_DIAGRAM_TOKENS
        tokens = tokens[:MAX_DIAGRAM_TOKENS]
        self.parallel_caption.setText(
            tr(
                "An <b>RNN</b> must compute h<sub>1</sub>, then h<sub>2</sub>, … : each state waits for the one before. "
                "<b>Self-attention</b> computes every b<sub>i</sub> from the whole input at once, so all of them run in "
                "parallel. A <b>CNN</b> can also replace the RNN: each filter sees a few neighbouring words, and filters "
                "in higher layers see a longer span. Click a CNN unit."
            )
            + (
                " "
                + tr("<i>(The first {n} tokens are drawn; {more} more are left out.)</i>").format(
                    n=MAX_DIAGRAM_TOKENS, more=more
                )
                if more > 0
                else ""
            )
        )
        self.diagram.set_tokens(tokens)

    def _draw_positional(self) -> None:
        enc = self.result.encoded if self.result is not None else None
        n = max(50, len(enc.tokens) if enc is not None else 0)
        table = lesson.positional_table(n, 256)
        rows = [str(p) if p % 5 == 0 else "" for p in range(n)]
        cols = [str(p) if p % 10 == 0 else "" for p in range(n)]
        dims = [str(j) if j % 64 == 0 else "" for j in range(table.encoding.shape[1])]
        self.pe_map.set_matrix(
            table.encoding, rows, dims, (-1.0, 1.0), "CET-D1", colorbar_label=tr("PE(position, dimension)"),
            cell_labels=False,
        )  # fmt: skip
        self.pe_dot.set_matrix(
            table.dot, rows, cols, _sym(table.dot), "CET-D1", colorbar_label="PE(i) · PE(j)", cell_labels=False
        )

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
