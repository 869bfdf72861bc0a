"""RNN and LSTM: a trained LSTM's gates word by word, the cell equations with live numbers, and the
chain rule of sentence probability under the LSTM and a bigram model.

The view composes one module per tab (``gates_tab``, ``chain_tab``, ``next_tab``); the numbers come from
``viz_app.core.lessons.lstm`` (its jobs run on the worker, on the device the user chose)."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viz_app.core.lessons.lstm import generate_job, lstm_lesson_job, lstm_part_job
from viz_app.core.lstm import probes, text
from viz_app.qt import i18n, theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.lstm.axes import factor, num3, set_word_axis
from viz_app.qt.lessons.lstm.chain_tab import BIGRAM_COLOUR, LSTM_COLOUR, ChainTab
from viz_app.qt.lessons.lstm.gates_tab import CURVE_NAMES, GATE_COLOURS, GatesTab
from viz_app.qt.lessons.lstm.next_tab import NextWordTab
from viz_app.qt.widgets.wrap_label import WrapLabel

__all__ = ["LstmView", "factor", "generate_job", "lstm_lesson_job", "num3"]

TAB_PARTS = {1: "chain", 3: "both_ways"}  # tabs whose numbers are computed only when they are shown


class LstmView(GatesTab, ChainTab, NextWordTab, LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        self._unit, self._step = 0, 0
        self._parts_asked: dict[str, object] = {}  # part -> the result it was asked for
        self.notice = WrapLabel(self, "lstmNotice", Qt.AutoText)
        self.body.addWidget(self.notice)
        self.make_tabs("lstmTabs")
        self.tabs.currentChanged.connect(self._draw_tab)
        self.body.addWidget(self.tabs, 1)
        self._build_gates_tab()
        self._build_chain_tab()
        self._build_next_tab()
        self._build_both_ways_tab()
        self._apply_plot_theme()

    def _apply_plot_theme(self) -> None:
        for plot in (self.unit_plot, self.chain_plot):
            theme.style_plot(plot)
            for name in ("left", "bottom"):  # ticks point into the plot: none stands before a number
                plot.getAxis(name).setStyle(tickLength=5)
            set_word_axis(plot, getattr(plot, "_word_tokens", []))  # the word axis's height follows the font
        self.unit_legend.setText(
            "  ".join(
                f"<span style='color:{color}; font-weight:bold'>■ {escape(tr(CURVE_NAMES[gate]))}</span>"
                for gate, color in GATE_COLOURS
            )
        )
        self.chain_legend.setText(
            f"<span style='color:{LSTM_COLOUR}; font-weight:bold'>■ LSTM</span>&nbsp;&nbsp; "
            f"<span style='color:{BIGRAM_COLOUR}; font-weight:bold'>■ "
            + escape(tr("bigram (Kneser-Ney smoothing)"))
            + "</span>&nbsp;&nbsp; "
            + tr("bar height:")
            + " "
            + escape(tr("P(word | words before it)"))
            + "; "
            + escape(tr("after the dashed line: <end>"))
        )

    def model_label(self) -> str:
        return f"{probes.LSTM_NAME} + {probes.BIGRAM_NAME}"

    def make_request(self, raw_text: str):
        # The chain rule and the bi-directional states come with the text only when their tab is open; otherwise
        # when it is opened.
        part = TAB_PARTS.get(self.tabs.currentIndex())
        return lstm_lesson_job, (raw_text, (part,) if part else ()), {}

    # --- drawing ---------------------------------------------------------------------------
    def show_result(self, result) -> None:
        gates = result.gates
        # The theme, the text size or the language may have changed since the last result (styling the plots
        # lays their axes out again: only then).
        key = (tuple(sorted(theme.colors().items())), QApplication.font().toString(), i18n.current())
        if key != getattr(self, "_plot_theme_key", None):
            self._plot_theme_key = key
            self._apply_plot_theme()
        notes = []
        unknown = [t for t, s in zip(gates.typed, gates.tokens, strict=True) if s == text.UNK]
        if unknown:
            notes.append(
                tr("Not in the model's vocabulary, shown as <unk>: {words}.").format(words=", ".join(unknown[:10]))
            )
        if gates.truncated:
            notes.append(
                tr("Only the first {n} tokens are used; {more} more were cut.").format(
                    n=probes.MAX_TOKENS, more=gates.truncated
                )
            )
        if len(gates.tokens) <= 1:
            notes.append(tr("Type a sentence to watch the gates open and close word by word."))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self._drawn_tabs: set[int] = set()
        self._draw_tab(self.tabs.currentIndex())  # the other tabs are drawn when they are opened

    def _draw_tab(self, index: int) -> None:
        if self.result is None or index in getattr(self, "_drawn_tabs", {index}):
            return
        self._drawn_tabs.add(index)
        result = self.result
        part = TAB_PARTS.get(index)
        if part is not None and self._missing(result, part):
            self._drawn_tabs.discard(index)
            self._ask_part(result, part)
        elif index == 0:
            self._draw_gates(result.gates)
        elif index == 1:
            self._show_chain(result.lstm, result.bigram, result.pairs)
        elif index == 2:
            self._show_next(result.gates, result.following)
        else:
            self._show_both_ways(result.both_ways)

    @staticmethod
    def _missing(result, part: str) -> bool:
        return (result.lstm if part == "chain" else result.both_ways) is None

    def _ask_part(self, asked, part: str) -> None:
        """Ask the worker for the shown result's ``part`` (its tab is open); drawn when it comes, if that result
        is still the one on screen."""
        if self.busy(part) and self._parts_asked.get(part) is asked:
            return
        self._parts_asked[part] = asked
        self.ask(
            part, lstm_part_job, asked, part, label=self._request_label,
            on_result=lambda value, _s, a=asked, p=part: self._part_arrived(a, p, value), on_failed=self._on_failed,
        )  # fmt: skip

    def _part_arrived(self, asked, part: str, value) -> None:
        if self.result is None or self.result.text != asked.text or self.result.gates is not asked.gates:
            return  # a newer text is on screen: this part was for an older one
        kept = {"chain": ("lstm", "bigram", "explanations", "unseen"), "both_ways": ("both_ways",)}[part]
        self.result = replace(self.result, **{name: getattr(value, name) for name in kept})
        index = next(k for k, p in TAB_PARTS.items() if p == part)
        if self.tabs.currentIndex() == index:
            self._draw_tab(index)
        self._mark_drawn()

    # --- export ----------------------------------------------------------------------------------
    def export(self, path: str) -> None:
        """The current tab as PNG/SVG, or the numbers behind it as CSV (by the file's extension)."""
        import csv

        from viz_app.qt.export import export_widget

        if Path(path).suffix.lower() != ".csv":
            export_widget(self.tabs.currentWidget(), path)
            return
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        r = self.result
        gates, lstm, bigram, following, both = r.gates, r.lstm, r.bigram, r.following, r.both_ways
        tab = self.tabs.currentIndex()
        if tab in TAB_PARTS and self._missing(r, TAB_PARTS[tab]):
            raise ValueError(tr("the numbers of this tab are still being computed"))
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            if tab == 0:
                out.writerow(["gate", "step", "token", "unit", "value"])
                for gate, values in gates.gates.items():
                    for t, token in enumerate(gates.tokens):
                        for u, v in enumerate(values[t]):
                            out.writerow([gate, t, token, u, f"{v:.6g}"])
            elif tab == 1:
                out.writerow(["token", "p_lstm", "p_bigram"])
                for t, p1, p2 in zip(lstm.tokens, lstm.probs, bigram.probs, strict=True):
                    out.writerow([t, f"{p1:.6g}", f"{p2:.6g}"])
            elif tab == 2:
                out.writerow(["next_word", "probability"])
                out.writerows([w, f"{p:.6g}"] for w, p in following)
            else:
                out.writerow(["direction", "step", "token", "unit", "value"])
                for name, states in (("forward", both.forward), ("backward", both.backward)):
                    for t, token in enumerate(both.tokens):
                        for u, v in enumerate(states[t]):
                            out.writerow([name, t, token, u, f"{v:.6g}"])
