"""The self-attention lesson's tabs drawn from the sentence model's numbers: Q, K, V (one head, step by
step), Heads (one layer, every head), All layers (every layer x head) and the Neuron view (one query)."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from viz_app.qt.i18n import tr
from viz_app.qt.lessons.self_attention.common import TABS, _sym
from viz_app.qt.widgets.attention_panels import HeadToggles, open_large
from viz_app.qt.widgets.head_view import HeadView
from viz_app.qt.widgets.heatmap import Heatmap, thin
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.number_table import NumberTable


class SentenceTabs:
    """Builds and draws the first four tabs; mixed into ``SelfAttentionView`` (a ``LessonView``), whose
    ``result`` (a ``SelfAttentionResult``), ``tabs``, Layer and Head boxes these methods use."""

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
