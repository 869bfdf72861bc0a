"""The self-attention lesson's tabs that explain around the model: Positions (the sinusoid table),
Parallel vs sequential (RNN, self-attention and CNN dependencies) and Vision (the SAGAN's digits)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from viz_app.core.lessons import transformer as lesson
from viz_app.core.lessons.self_attention import SAGAN_MODEL, sagan_job
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.self_attention.common import TABS, _sym
from viz_app.qt.widgets.dependency import DependencyDiagram
from viz_app.qt.widgets.digit_attention import DigitAttention
from viz_app.qt.widgets.heatmap import Heatmap

SAMPLES_PER_CLASS = 6
MAX_DIAGRAM_TOKENS = 12


class ConceptTabs:
    """Builds and draws the last three tabs; mixed into ``SelfAttentionView`` (a ``LessonView``)."""

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
