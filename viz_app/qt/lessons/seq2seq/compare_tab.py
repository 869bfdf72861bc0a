"""The With vs without attention tab of the Seq2Seq view: the sentence through both translators, and their
BLEU by source length from the model cards."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.seq2seq.common import BIN_ORDER, MODEL_CHOICES, TABS, token_labels
from viz_app.qt.widgets.heatmap import TokenAxis


class CompareTab:
    """Mixed into Seq2SeqView (a LessonView): builds and draws its tab from the view's ``result``."""

    def _build_compare_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        side = QHBoxLayout()
        self.compare_boxes = []
        for k, (_name, title) in enumerate(MODEL_CHOICES[:2]):
            box = self.rich_label(page, f"compareBox{k}")
            box.setMinimumWidth(160)
            box.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            box.setToolTip(tr(title))
            side.addWidget(box, 1)
            self.compare_boxes.append(box)
        col.addLayout(side)
        self.compare_text = self.rich_label(page, "compareText")
        col.addWidget(self.compare_text)
        self.bleu_plot = pg.PlotWidget(page, axisItems={"bottom": TokenAxis("bottom")})
        self.bleu_plot.setObjectName("bleuByLength")
        self.bleu_plot.setMouseEnabled(x=False, y=False)
        self.bleu_plot.setMenuEnabled(False)
        self.bleu_plot.setLabel("left", "BLEU")
        self.bleu_plot.setLabel("bottom", tr("source sentence length (words)"))
        col.addWidget(self.bleu_plot, 1)
        self.add_tab(page, TABS[3])

    def _draw_compare(self) -> None:
        comparison = self.result.comparison
        c = theme.colors()
        self.bleu_plot.clear()
        theme.style_plot(self.bleu_plot)
        if comparison is None:
            for box in self.compare_boxes:
                box.setText("")
                box.setStyleSheet("")
            self.compare_text.setText(
                tr(
                    "The comparison is between the two translators (with and without attention): choose a "
                    "French → English model above."
                )
            )
            return
        size = self.font().pointSizeF() * 1.3
        for box, (name, title) in zip(self.compare_boxes, MODEL_CHOICES[:2], strict=True):
            box.setStyleSheet(f"border:1px solid {c['muted']}; border-radius:4px; padding:6px;")
            title = tr(title)
            if name in comparison.errors:
                box.setText(f"<b>{escape(title)}</b><br>{escape(comparison.errors[name])}")
                continue
            translation = comparison.translations.get(name)  # None while it is on its way (``_ask_part``)
            bleu = comparison.bleu.get(name)
            score = (
                tr("validation BLEU {bleu}").format(bleu=f"{bleu:.1f}")
                if bleu is not None
                else tr("no BLEU in its card")
            )
            box.setText(
                f"<b>{escape(title)}</b> <span style='color:{c['muted']}'>({score})</span><br>"
                f"<span style='font-size:{size:.0f}pt'>{escape(translation.output if translation else '')}</span>"
            )
        explained = tr(
            "Without attention the decoder must get everything from one fixed "
            "context vector. BLEU by source length on the validation split, from the model cards (greedy "
            "decoding):"
        )
        colours = ("#1f77b4", "#ff7f0e")
        # The key sits above the chart in the text's own size (a legend inside the plot covers the bars).
        key = "&nbsp;&nbsp; ".join(
            f"<span style='color:{colour}; font-weight:bold'>■ {escape(tr(title))}</span>"
            for colour, (_name, title) in zip(colours, MODEL_CHOICES[:2], strict=True)
        )
        self.compare_text.setText(f"<span style='color:{c['muted']}'>{explained}</span><br>{key}")
        bins = [b for b in BIN_ORDER if any(b in comparison.bleu_by_length.get(m, {}) for m, _ in MODEL_CHOICES)]
        for (name, title), color, shift in zip(MODEL_CHOICES[:2], colours, (-0.2, 0.2), strict=True):
            per_bin = comparison.bleu_by_length.get(name, {})
            heights = [per_bin.get(b, {}).get("bleu", 0.0) for b in bins]
            x = np.arange(len(bins)) + shift
            self.bleu_plot.addItem(pg.BarGraphItem(x=x, height=heights, width=0.38, brush=color, name=tr(title)))
            for xi, h in zip(x, heights, strict=True):
                label = pg.TextItem(f"{h:.1f}", anchor=(0.5, 1.0), color=c["foreground"])
                label.setPos(float(xi), float(h))
                self.bleu_plot.addItem(label)
        ticks = []
        for i, b in enumerate(bins):
            n = max((comparison.bleu_by_length.get(m, {}).get(b, {}).get("n", 0) for m, _ in MODEL_CHOICES[:2]))
            text = tr("{bin} words (n={n})").format(bin=b, n=n)
            ticks.append((i, text, text))
        token_labels(self.bleu_plot, ticks, len(bins))
        top = max([v.get("bleu", 0) for m in comparison.bleu_by_length.values() for v in m.values()] + [10])
        self.bleu_plot.setYRange(0, top * 1.15)
