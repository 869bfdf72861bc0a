"""The word-embedding lesson's "One-hot vs dense" tab: each typed word's index, one-hot and dense vector, and a
heatmap of the dense vectors."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viz_app.core.lessons import word_embedding as core
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.word_embedding.common import DENSE_SHOWN
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.wrap_label import WrapLabel


class OneHotTab:
    """Mixin of WordEmbeddingView: the one-hot vs dense tab."""

    def _build_onehot_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.onehot_note = WrapLabel(self, "oneHotNote", Qt.AutoText)
        col.addWidget(self.onehot_note)
        self.onehot_table = NumberTable(self, object_name="oneHotTable", stretch_column=3)
        self.onehot_table.installEventFilter(self)  # on resize, as many of each dense vector's numbers as fit
        self._dense_rows: list = []
        col.addWidget(self.onehot_table, 1)
        self.dense_map = Heatmap(self, object_name="denseHeatmap")
        col.addWidget(self.dense_map, 2)
        self.add_tab(page, QT_TR_NOOP("One-hot vs dense"))

    def _show_onehot(self, s: core.SentenceWords) -> None:
        rows = []
        for t, i, vec in zip(s.tokens, s.ids, s.dense, strict=True):
            if i is None:
                rows.append([t, tr("unknown"), "—", tr("not in the vocabulary")])
                continue
            onehot = "0…0 1 0…0"
            dense = "[" + ", ".join(f"{x:.2f}" for x in vec[:DENSE_SHOWN]) + ", …]"
            rows.append([t, str(i), onehot, dense])
        chinese = core.is_chinese_model(self.result.model) if self.result is not None else self.chinese
        headers = [
            tr("character") if chinese else tr("word"),
            tr("index"),
            tr("one-hot"),
            tr("dense"),
        ]
        self.onehot_table.set_rows(headers, rows)
        self._dense_rows = [None if i is None else vec for i, vec in zip(s.ids, s.dense, strict=True)]
        self._fit_dense_column()
        unknown = s.unknown
        if chinese:
            note = tr(
                "One-hot: each character is a vector of {n} numbers, all 0 but a single 1 at the character's "
                "index; every two characters are equally far apart. Dense: {dims} numbers learnt from the Tang "
                "poems, so that characters used alike get similar vectors: a dimension reduction."
            ).format(n=f"{s.vocab_size:,}", dims=s.dense.shape[1])
        else:
            note = tr(
                "One-hot: each word is a vector of {n} numbers, all 0 but a single 1 at the word's "
                "index; every two words are equally far apart. Dense: {dims} numbers learnt from "
                "the corpus, so that words used alike get similar vectors: a dimension reduction."
            ).format(n=f"{s.vocab_size:,}", dims=s.dense.shape[1])
        if unknown:
            words = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            note += " " + tr("Not in the vocabulary: {words}.").format(words=words)
        if s.truncated:
            note += " " + tr("Only the first {n} words are shown ({more} more left out).").format(
                n=len(s.tokens), more=s.truncated
            )
        if not s.tokens:
            note += " " + tr("Type a sentence to see its words.")
        self.onehot_note.setText(note)
        if len(s.tokens):
            lim = float(np.abs(s.dense).max()) or 1.0
            self.dense_map.set_matrix(
                s.dense,
                list(s.tokens),
                [str(d) if d % 20 == 0 else "" for d in range(s.dense.shape[1])],
                (-lim, lim),
                colormap="CET-D1",
                colorbar_label=tr("dense vectors (a row per character)")
                if chinese
                else tr("dense vectors (a row per word)"),
                cell_labels=False,
            )

    def _fit_dense_column(self) -> None:
        """Each dense cell shows the first numbers of the vector that fit the column (at most DENSE_SHOWN), never
        a cut number; the tooltip holds the first ten."""
        table = self.onehot_table
        fm = table.fontMetrics()
        room = table.columnWidth(3) - 12  # the cell's margins
        for n in range(DENSE_SHOWN, 0, -1):
            texts = ["[" + ", ".join(f"{x:.2f}" for x in v[:n]) + ", …]" for v in self._dense_rows if v is not None]
            if all(fm.horizontalAdvance(t) <= room for t in texts):
                break
        for r, vec in enumerate(self._dense_rows):
            item = table.item(r, 3)
            if vec is None or item is None:
                continue
            item.setText("[" + ", ".join(f"{x:.2f}" for x in vec[:n]) + ", …]")
            item.setToolTip("[" + ", ".join(f"{x:.3f}" for x in vec[:10]) + ", …]")
