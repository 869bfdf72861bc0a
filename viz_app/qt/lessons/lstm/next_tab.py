"""The LSTM lesson's Next word tab (the words the LSTM expects next, and generation with the gates following
along) and its Bi-directional tab (the states of a forward and a backward reading)."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox, QVBoxLayout, QWidget

from viz_app.core.lessons.lstm import generate_job
from viz_app.core.lstm import probes
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.lstm.gates_tab import UNITS_SHOWN
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.wrap_label import WrapLabel


class NextWordTab:
    """Part of ``LstmView``: the Next word and Bi-directional tabs (their methods use the view's own widgets)."""

    def _build_next_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.next_title = WrapLabel(self, "nextTitle", Qt.AutoText)
        col.addWidget(self.next_title)
        self.next_table = NumberTable(self, object_name="nextTable", stretch_column=0)
        col.addWidget(self.next_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Temperature:"), self))
        self.temperature = QSlider(Qt.Horizontal, self)
        self.temperature.setObjectName("temperature")
        self.temperature.setRange(1, 30)  # 0.1 .. 3.0
        self.temperature.setValue(10)
        self.temperature_label = QLabel("1.0", self)
        self.temperature.valueChanged.connect(lambda v: self.temperature_label.setText(f"{v / 10:.1f}"))
        row.addWidget(self.temperature, 1)
        row.addWidget(self.temperature_label)
        row.addWidget(QLabel(tr("words:"), self))
        self.max_words = QSpinBox(self)
        self.max_words.setObjectName("maxWords")
        self.max_words.setRange(1, 100)
        self.max_words.setValue(30)
        row.addWidget(self.max_words)
        row.addWidget(QLabel(tr("seed:"), self))
        self.seed = QSpinBox(self)
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 99999)
        row.addWidget(self.seed)
        self.generate_button = QPushButton(tr("Generate"), self)
        self.generate_button.setObjectName("generate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.stop_button = QPushButton(tr("Stop"), self)
        self.stop_button.setObjectName("stopGeneration")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(lambda: self.stop("generate"))
        row.addWidget(self.stop_button)
        col.addLayout(row)
        self.generated = WrapLabel(self, "generatedText", Qt.AutoText)
        self.generated.setTextFormat(Qt.RichText)
        self.generated.setTextInteractionFlags(Qt.TextSelectableByMouse)
        col.addWidget(self.generated)
        self.add_tab(page, QT_TR_NOOP("Next word"))

    def _build_both_ways_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        explain = QLabel(
            tr(
                "A <b>bi-directional RNN</b> reads the sentence twice: forwards, so that h<sub>t</sub> has seen "
                "words 1…t, and backwards, so that it has seen words t…T. Each word then gets both states "
                "(concatenated): the whole sentence, before and after it. That is why a bi-directional model "
                "<b>cannot generate text</b>: to produce word t it would need the words after t, which do not exist "
                "yet. It suits tasks that have the whole input at once (tagging, classifying, BERT-style models). "
                "<i>Here the backward pass runs the bundled left-to-right LSTM over the reversed words, to show what "
                "each direction has seen; a real bi-directional model trains its own backward LSTM.</i>"
            ),
            self,
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.RichText)
        col.addWidget(explain)
        maps_col = QVBoxLayout()  # one above the other: each map has the whole width, so every word is labelled
        self.forward_map = Heatmap(self, object_name="forwardStates")
        self.backward_map = Heatmap(self, object_name="backwardStates")
        maps_col.addWidget(self.forward_map, 1)
        maps_col.addWidget(self.backward_map, 1)
        col.addLayout(maps_col, 1)
        self.add_tab(page, QT_TR_NOOP("Bi-directional"))

    # --- generation ------------------------------------------------------------------------------
    def start_generation(self) -> None:
        self.ask(
            "generate", generate_job, self.text, self.max_words.value(), self.temperature.value() / 10,
            self.seed.value(), label=tr("{model} generating").format(model=probes.LSTM_NAME),
            on_progress=self._on_generate_progress, on_result=self._on_generate_done,
            on_failed=self._on_generate_stopped, on_cancelled=self._on_generate_stopped,
        )  # fmt: skip
        self.generate_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.generated.setText("…")

    def _show_generated(self, sofar: str, steps) -> None:
        # The probability after each word in brackets, not as a subscript: after "." a subscript reads as "−0.99".
        words = " ".join(
            f"<span title='p = {p:.3f}'>{escape(w)}&nbsp;<small>({p:.2f})</small></span>" for w, p in steps
        )
        self.generated.setText(
            f"<b>{escape(sofar)}</b><br>" + tr("each new word with its probability: {words}").format(words=words)
        )

    def _on_generate_progress(self, progress) -> None:
        if progress.data is None:
            return
        data = progress.data  # core.lessons.lstm.Generated
        self._show_generated(data.text, data.steps)
        self._draw_gates(data.gates)  # the gate maps follow the words as they are generated

    def _on_generate_done(self, value, _elapsed: float) -> None:
        self._show_generated(value.text, value.steps)
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _on_generate_stopped(self, message: str = "") -> None:
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if message:
            self.show_error(message)

    def _show_both_ways(self, both) -> None:
        if not both.tokens:
            return
        units = np.sort(np.argsort(-(both.forward.std(0) + both.backward.std(0)))[:UNITS_SHOWN])
        labels = list(both.tokens)
        rows = [str(u) if k % 8 == 0 else "" for k, u in enumerate(units)]
        for heat, states, title in (
            (self.forward_map, both.forward, tr("forward h (has seen words 1…t)")),
            (self.backward_map, both.backward, tr("backward h (has seen words t…T)")),
        ):
            values = states[:, units].T  # (units, T)
            lim = max(float(np.abs(values).max()), 1e-6)
            heat.set_matrix(
                values, rows, labels, (-lim, lim), colormap="CET-D1", colorbar_label=title, cell_labels=False
            )

    def _show_next(self, gates, following) -> None:
        context = " ".join(gates.tokens[-8:])
        self.next_title.setText(
            tr("After “… {context}”, the LSTM expects next:").format(context=context)
            if following
            else tr("Type the start of a sentence to see which word the LSTM expects next.")
        )
        self.next_table.set_rows([tr("next word"), tr("probability")], [[w, probability_text(p)] for w, p in following])
