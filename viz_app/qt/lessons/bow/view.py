"""Document embedding: bag of words, pairwise similarity, and the word-order problem."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.documents import bag_of_words as bow
from viz_app.core.lessons.bow import BowLesson, bow_lesson_job
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.wrap_label import WrapLabel

MAX_VECTOR_COLUMNS = 40
MAX_COUNT_ROWS = 1000  # a table of a million distinct words would freeze the window


def first_words(text: str, limit: int = 28) -> str:
    """The beginning of ``text`` in whole words, about ``limit`` characters, "…" if there is more."""
    words, out = text.split(), []
    for word in words:
        if out and len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    shown = " ".join(out)
    if len(shown) > limit:  # one very long first word
        shown = shown[: limit - 1]
    return shown + ("…" if len(out) < len(words) or shown != " ".join(out) else "")


class BowView(LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("Document similarity:")))
        self.metric_select = QComboBox(self)
        self.metric_select.setObjectName("metricSelect")
        for metric in bow.METRICS:
            self.metric_select.addItem(core_label(bow.METRIC_LABELS[metric]), metric)
        self.metric_select.currentIndexChanged.connect(lambda _i: self.refresh())
        controls.addWidget(self.metric_select)
        # The summary takes the rest of the row (right-aligned), so it wraps only when the row is really full.
        self.summary = WrapLabel(self, "bowSummary", Qt.AutoText)
        self.summary.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        controls.addWidget(self.summary, 1)
        self.body.addLayout(controls)

        splitter = QSplitter(Qt.Horizontal, self)
        # Left: one <word, count> table per document, side by side.
        self.tables_area = QScrollArea(self)
        self.tables_area.setObjectName("countTables")
        self.tables_area.setWidgetResizable(True)
        self.tables_host = QWidget()
        self.tables_layout = QHBoxLayout(self.tables_host)
        self.tables_layout.setContentsMargins(0, 0, 0, 0)
        self.tables_area.setWidget(self.tables_host)
        self.count_tables: list[NumberTable] = []
        splitter.addWidget(self.tables_area)
        # Right: the similarity heatmap and the document vectors.
        tabs = QTabWidget(self)
        tabs.setObjectName("bowTabs")
        self.heatmap = Heatmap(self, object_name="similarityHeatmap")
        tabs.addTab(self.heatmap, tr("Similarity"))
        self.vector_table = NumberTable(self, object_name="documentVectors")
        tabs.addTab(self.vector_table, tr("Document vectors"))
        splitter.addWidget(tabs)
        splitter.setSizes([470, 470])
        self.body.addWidget(splitter, 1)

        self.order_note = WrapLabel(self, "orderNote", Qt.AutoText)
        self.order_note.setTextFormat(Qt.RichText)
        self.body.addWidget(self.order_note)
        self.notes = WrapLabel(self, "bowNotes", Qt.AutoText)
        self.body.addWidget(self.notes)

    @property
    def metric(self) -> str:
        return self.metric_select.currentData()

    def model_label(self) -> str:
        return tr("bag of words (counting, no trained model)")

    def make_request(self, text: str):
        return bow_lesson_job, (text, self.metric), {}

    def export_json(self) -> dict | None:
        return None if self.result is None else self.result.user.to_json()

    def csv_rows(self) -> list[list]:
        """Each document's count vector over the vocabulary, then the pairwise matrix of the metric."""
        if self.result is None:
            raise ValueError(tr("this lesson has nothing to export"))
        user = self.result.user
        rows: list[list] = [["document", *user.vocabulary]]
        for k, vector in enumerate(user.vectors):
            rows.append([k + 1, *(int(v) for v in vector)])
        rows.append([])
        rows.append([user.metric, *(k + 1 for k in range(len(user.documents)))])
        for k, row in enumerate(user.matrix):
            rows.append([k + 1, *(round(float(v), 6) for v in row)])
        return rows

    def show_result(self, result: BowLesson) -> None:
        user, example = result.user, result.example
        self._show_counts(user)
        self._show_matrix(user)
        self._show_vectors(user)
        self._show_order_note(user, example)
        n = len(user.documents)
        summary = (
            tr("1 document · vocabulary of {words} words")
            if n == 1
            else tr("{n} documents · vocabulary of {words} words")
        )
        self.summary.setText(summary.format(n=n, words=len(user.vocabulary)))
        hint = "" if n >= 2 else tr("Type two or more documents, one per line, to compare them.") + " "
        self.notes.setText(hint + " ".join(tr_core(n) for n in user.notes))
        self.notes.setVisible(bool(self.notes.text()))

    def _show_counts(self, result: bow.BowResult) -> None:
        while len(self.count_tables) < len(result.documents):
            box = QWidget(self.tables_host)
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            title = QLabel(box)
            title.setObjectName("countTitle")
            title.setWordWrap(True)
            table = NumberTable(box, object_name=f"counts{len(self.count_tables) + 1}", stretch_column=0)
            table.setMinimumWidth(110)
            box.setMaximumWidth(200)
            col.addWidget(title)
            col.addWidget(table, 1)
            self.tables_layout.addWidget(box)
            table.title = title
            self.count_tables.append(table)
        for i, table in enumerate(self.count_tables):
            visible = i < len(result.documents)
            table.parentWidget().setVisible(visible)
            if not visible:
                continue
            doc = result.documents[i]
            more = len(doc.counts) - MAX_COUNT_ROWS
            title = tr("<b>Doc {i}</b> · {n} tokens").format(i=i + 1, n=len(doc.tokens))
            title += "<br><i>" + escape(first_words(doc.text)) + "</i>"
            if more > 0:
                title += "<br>" + tr("(the top {shown} of {total} words)").format(
                    shown=MAX_COUNT_ROWS, total=len(doc.counts)
                )
            table.title.setText(title)
            table.title.setToolTip(doc.text[:2000])
            table.set_rows([tr("word"), tr("count")], [[w, c] for w, c in doc.counts[:MAX_COUNT_ROWS]])

    def _show_matrix(self, result: bow.BowResult) -> None:
        m = result.matrix
        # Rows and columns named as the count tables and the vector table name them ("doc 1"), never by a
        # cut-off piece of the document: its first words stand above its count table, all of it on hover.
        labels = [tr("doc {i}").format(i=i + 1) for i in range(len(result.documents))]
        if result.metric == "cosine":
            levels, fmt, reverse = (0.0, 1.0), "{:.2f}", False
            label = tr("cosine (1 = same direction)")
        elif result.metric == "euclidean":
            levels, fmt, reverse = (0.0, float(m.max()) if m.size else 1.0), "{:.2f}", True
            label = tr("Euclidean distance (small = similar)")
        else:
            levels, fmt, reverse = (0.0, float(m.max()) if m.size else 1.0), "{:.0f}", False
            label = tr("dot product")
        self.heatmap.set_matrix(
            m,
            labels,
            labels,
            levels,
            reverse=reverse,
            value_format=fmt,
            colorbar_label=label,
        )

    def _show_vectors(self, result: bow.BowResult) -> None:
        cols = list(result.vocabulary[:MAX_VECTOR_COLUMNS])
        rows = [list(result.vectors[i, : len(cols)]) for i in range(len(result.documents))]
        self.vector_table.set_rows(cols, rows, row_headers=[tr("doc {i}").format(i=i + 1) for i in range(len(rows))])
        more = len(result.vocabulary) - len(cols)
        tip = (
            tr(
                "Each row is one document's count vector over the shared vocabulary ({words} words; the first {shown} shown)."
            )
            if more > 0
            else tr("Each row is one document's count vector over the shared vocabulary ({words} words).")
        )
        self.vector_table.setToolTip(tip.format(words=len(result.vocabulary), shown=len(cols)))

    def _show_order_note(self, user: bow.BowResult, example: bow.BowResult) -> None:
        c = theme.colors()
        a, b = example.documents
        same = np.array_equal(example.vectors[0], example.vectors[1])
        bag = ", ".join(f"{escape(w)}: {n}" for w, n in sorted(a.counts))
        cos = bow.similarity_matrix(example.vectors, "cosine")[0, 1]
        dist = bow.similarity_matrix(example.vectors, "euclidean")[0, 1]
        problem = (
            tr(
                "<b>The problem of BOW: the order of the words is ignored.</b> “{a}” and “{b}” both become "
                "{{{bag}}}: identical vectors (cosine {cosine}, distance {distance}), though they mean opposite things."
            )
            if same
            else tr(
                "<b>The problem of BOW: the order of the words is ignored.</b> “{a}” and “{b}” both become "
                "{{{bag}}}: different vectors (cosine {cosine}, distance {distance}), though they mean opposite things."
            )
        )
        parts = [
            problem.format(a=escape(a.text), b=escape(b.text), bag=bag, cosine=f"{cos:.2f}", distance=f"{dist:.2f}")
        ]
        for i, j in user.same_bag_pairs:
            parts.append(
                tr(
                    "In your text, documents {i} and {j} differ only in word order "
                    "and get identical bag-of-words vectors."
                ).format(i=i + 1, j=j + 1)
            )
        self.order_note.setText("<br>".join(parts))
        # Colours through the palette, not a style sheet: a widget with its own style sheet keeps the font it
        # had then, and this note stayed small in presentation mode.
        palette = self.order_note.palette()
        palette.setColor(QPalette.Window, QColor(c["warn_bg"]))
        palette.setColor(QPalette.WindowText, QColor(c["warn_fg"]))
        self.order_note.setPalette(palette)
        self.order_note.setAutoFillBackground(True)
        self.order_note.setMargin(6)
