"""The GPT lesson: the next-token distribution under temperature / top-k / top-p, streamed generation (with the
form constraints and 藏頭詩 for the Tang-poem GPT), attention, the logit lens and the BERT vs GPT comparison."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import lm as lm_lesson
from viz_app.core.lm import poem, probes
from viz_app.core.messages import user_text
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.lm.model_lesson import ModelLesson
from viz_app.qt.lessons.lm.model_tabs import (
    BRANCHES_TAB,
    EXPLAIN_TAB,
    HEADS_TAB,
    KV_TAB,
    BranchesTab,
    ExplainTab,
    HeadsTab,
    KVCacheTab,
)
from viz_app.qt.widgets.number_table import ColorLegend, ShadedTable
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars


class GptView(ExplainTab, BranchesTab, HeadsTab, KVCacheTab, ModelLesson):
    TABS = (
        QT_TR_NOOP("Next token"),
        QT_TR_NOOP("Attention"),
        QT_TR_NOOP("Logit lens"),
        QT_TR_NOOP("GPT vs BERT"),
        KV_TAB,
        HEADS_TAB,
        BRANCHES_TAB,
        EXPLAIN_TAB,
    )
    DEFAULT_MODEL = lm_lesson.GPT
    CHINESE_MODEL = lm_lesson.GPT_TANG

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._build_next_tab()
        self._build_attention_tab()
        self._build_lens_tab()
        self._build_compare_tab(self.TABS[3])
        self.build_kv_tab()
        self.build_heads_tab()
        self.build_branches_tab()
        self.build_explain_tab()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._append = False

    def _build_next_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.temperature = self.spin(row, page, tr("Temperature:"), "temperature", 0.05, 5.0, 1.0, step=0.1)
        self.top_k = self.spin(row, page, tr("Top-k:"), "topK", 0, 1000, 0, special=tr("off"))
        self.top_p = self.spin(row, page, tr("Top-p:"), "topP", 0.01, 1.0, 1.0, step=0.05)
        self.seed = self.spin(row, page, tr("Seed:"), "seed", 0, 999999, 0)
        for w in (self.temperature, self.top_k, self.top_p):
            w.valueChanged.connect(lambda _v: self.refresh())
        row.addStretch(1)
        col.addLayout(row)
        row = QHBoxLayout()
        self.next_button = QPushButton(tr("Next token"), page)
        self.next_button.setObjectName("nextToken")
        self.next_button.setToolTip(tr("sample one token with these settings and add it to the text"))
        self.next_button.clicked.connect(self.sample_next)
        row.addWidget(self.next_button)
        self.generate_button = QPushButton(tr("Generate"), page)
        self.generate_button.setObjectName("generate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.max_new = self.spin(row, page, tr("up to"), "maxNew", 1, 500, 40)
        row.addWidget(QLabel(tr("tokens"), page))
        self.stop_button = QPushButton(tr("Stop"), page)
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(lambda: self.stop("generate"))
        row.addWidget(self.stop_button)
        self.use_button = QPushButton(tr("Use as text"), page)
        self.use_button.setObjectName("useGenerated")
        self.use_button.setToolTip(tr("put the generated text into the text box (to see its attention)"))
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(lambda: self.textRequested.emit(self.generation.text))
        row.addWidget(self.use_button)
        row.addStretch(1)
        col.addLayout(row)
        # Poems in a form (the Tang-poem GPT only): 五言/七言 絕句/律詩, and 藏頭詩 (one given character per line).
        self.form_row = QWidget(page)
        form = QHBoxLayout(self.form_row)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(QLabel(tr("Poem form:"), self.form_row))
        self.form_select = QComboBox(self.form_row)
        self.form_select.setObjectName("poemForm")
        self.form_select.addItem(tr("free (no form)"), "")
        for name in ("5x4", "7x4", "5x8", "7x8"):
            f = poem.get_form(name)
            self.form_select.addItem(f"{f.title} ({name})", name)
        self.form_select.setToolTip(
            tr("the sampler keeps the line length and the punctuation of the form: every other token is greyed out")
        )
        form.addWidget(self.form_select)
        form.addWidget(QLabel(tr("藏頭 (acrostic):"), self.form_row))
        self.acrostic = QLineEdit(self.form_row)
        self.acrostic.setObjectName("acrostic")
        self.acrostic.setPlaceholderText(tr("4 or 8 characters, one per line"))
        self.acrostic.setMaxLength(8)
        form.addWidget(self.acrostic)
        form.addStretch(1)
        col.addWidget(self.form_row)
        self.form_row.setVisible(False)
        self.model_select.currentIndexChanged.connect(lambda _i: self._show_form_row())
        self.next_caption = self.rich_label(page, "nextCaption")
        col.addWidget(self.next_caption)
        split = QSplitter(Qt.Horizontal, page)
        self.next_bars = ProbabilityBars(page, "nextBars")
        scroll = QScrollArea(page)
        scroll.setWidget(self.next_bars)
        scroll.setWidgetResizable(True)
        split.addWidget(scroll)
        self.generated = self.rich_label(page, "generatedText")
        self.generated.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        gen_scroll = QScrollArea(page)
        gen_scroll.setWidget(self.generated)
        gen_scroll.setWidgetResizable(True)
        split.addWidget(gen_scroll)
        split.setSizes([460, 440])
        col.addWidget(split, 1)
        self.generated.setText(
            tr(
                "Press <b>Generate</b>: the GPT writes up to that many tokens, one at a time, each drawn from the "
                "distribution on the left (the same seed gives the same text). <b>Next token</b> draws one and adds it "
                "to your text."
            )
        )
        self.generation: lm_lesson.Generation | None = None
        self.add_tab(page, self.TABS[0])

    def _build_lens_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.lens_caption = self.rich_label(page, "lensCaption")
        col.addWidget(self.lens_caption)
        self.lens_legend = ColorLegend(page, "0", "1", tr("probability of the guess:"))
        col.addWidget(self.lens_legend)
        self.lens_table = ShadedTable(page, "lensTable")
        col.addWidget(self.lens_table, 1)
        self.add_tab(page, self.TABS[2])

    def export_json(self) -> dict | None:
        if self.tabs.currentIndex() == self.branches_tab:
            return self.branches_json()
        return super().export_json()

    def sampling(self) -> probes.Sampling:
        return probes.Sampling(self.temperature.value(), self.top_k.value(), self.top_p.value())

    def follow_text(self, text: str) -> None:
        self.language.follow(text)
        self._show_form_row()

    def show_empty(self) -> None:
        self.result = None
        self.show_notice([tr("Type some English text: the GPT was trained on children's stories (TinyStories).")])

    def make_request(self, text: str):
        tab = self.tabs.currentIndex()
        if tab == 0:
            return lm_lesson.next_token_job, (self.model_name, text, self.sampling(), 20), {}
        if not text.strip():
            return None
        if tab == 1:
            return lm_lesson.attention_job, (self.model_name, text), {}
        if tab == 2:
            return lm_lesson.logit_lens_job, (self.model_name, text), {}
        if tab == self.kv_tab:  # its own button generates; the main request keeps the next-token bars fresh
            return lm_lesson.next_token_job, (self.model_name, text, self.sampling(), 20), {}
        if tab == self.heads_tab:
            return self.heads_request(text)
        if tab == self.branches_tab:
            return self.branches_request(text)
        if tab == self.explain_tab:
            return self.explain_request(text)
        return lm_lesson.compare_job, (self._partner(lm_lesson.BERT, lm_lesson.BERT_TANG), self.model_name, text), {}

    def show_tab_result(self, r) -> None:
        if isinstance(r, probes.NextToken):
            self._draw_next(r)
        elif isinstance(r, lm_lesson.LensView):
            self._draw_lens(r)
        elif not (self.show_heads_result(r) or self.show_explain_result(r)):
            self.show_branches_result(r)

    def _draw_next(self, r: probes.NextToken) -> None:
        s = self.sampling()
        limits = []
        if s.top_k:
            limits.append(f"top-k {s.top_k}")
        if s.top_p < 1:
            limits.append(f"top-p {s.top_p:.2f}")
        temperature = f"{s.temperature:.2f}"
        if limits:
            both = tr("{first} and {second}").format(first=limits[0], second=limits[-1])
            sampling = tr("Orange: the probability sampling uses at temperature {temperature} after {limits}.").format(
                temperature=temperature, limits=limits[0] if len(limits) == 1 else both
            )
        else:
            sampling = tr("Orange: the probability sampling uses at temperature {temperature}.").format(
                temperature=temperature
            )
        self.next_caption.setText(
            tr(
                "What the GPT predicts after “…{context}”: the 20 likeliest next tokens. Blue: the model's probability."
            ).format(context=escape(" ".join(r.tokens[-6:])))
            + " "
            + sampling
            + " "
            + tr("Grey rows can no longer be picked; {n} of the vocabulary still can.").format(n=r.candidates)
        )
        self.next_bars.set_bars(
            [
                Bar(
                    t,
                    p,
                    q,
                    not ok,
                    (
                        tr("{token}: model {p}, sampling {q}")
                        if ok
                        else tr("{token}: model {p}, sampling {q} (filtered out)")
                    ).format(token=t, p=f"{p:.6f}", q=f"{q:.6f}"),
                )
                for t, p, q, ok in r.top
            ]
        )

    def sample_next(self) -> None:
        """One sampled token, added to the text (the distribution redraws for the longer text)."""
        self._start(1)

    def start_generation(self) -> None:
        self._start(self.max_new.value())

    def _start(self, n: int) -> None:
        try:
            self.sampling().check()
        except ValueError as exc:
            self.show_error(tr_core(user_text(exc)))
            return
        self._append = n == 1
        form = self.poem_form()
        if form and n > 1:  # a whole poem in its form (Next token stays one free token)
            job = (poem.poem_stream_job, self.model_name, self.text, form, self.acrostic.text().strip())
            label = tr("{model} writing a poem").format(model=self.model_label())
        else:
            job = (lm_lesson.generate_job, self.model_name, self.text, n)
            label = tr("{model} generating").format(model=self.model_label())
        self.ask(
            "generate", *job, self.sampling(), self.seed.value(), label=label,
            on_progress=self._on_generate_progress, on_result=self._on_generate_done,
            on_failed=self._generation_stopped, on_cancelled=self._generation_stopped,
        )  # fmt: skip
        self.generate_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.stop_button.setEnabled(True)

    def tour_action(self) -> list[int]:
        """With a poem form chosen on the Next token tab, a tour step writes the poem (its seed and acrostic are
        the step's controls), as Generate would."""
        if self.tabs.currentIndex() == 0 and self.poem_form():
            self.start_generation()
            return [self.asked("generate").request_id] if self.busy("generate") else []
        if self.tabs.currentIndex() == self.kv_tab:
            return self.kv_tour_action()
        if self.tabs.currentIndex() == self.heads_tab:
            return self.heads_tour_action()
        if self.tabs.currentIndex() == self.branches_tab:
            self.run_branch("greedy")
            return [self.asked("branch:greedy").request_id] if self.busy("branch:greedy") else []
        return []

    def _show_form_row(self) -> None:
        self.form_row.setVisible(self.model_name == lm_lesson.GPT_TANG)

    def poem_form(self) -> str:
        """The chosen poem form ("5x4", ...), or "" for free text (always "" for a model that is not gpt-tang)."""
        return self.form_select.currentData() or "" if self.form_row.isVisibleTo(self) else ""

    def _draw_poem_step(self, gen: poem.GeneratedPoem) -> None:
        """The bars of the poem's last step: the model's likeliest tokens, those the form removed greyed out."""
        if not gen.steps:
            return
        step = gen.steps[-1]
        self.next_caption.setText(
            tr(
                "{title}: at position {position} the form permits {permitted} tokens; it removed {removed} of the "
                "model's probability. Blue: the model's probability; orange: what sampling drew from; grey: removed "
                "by the form (or by top-k / top-p)."
            ).format(
                title=escape(gen.title),
                position=step.position + 1,
                permitted=f"{step.permitted:,}",
                removed=f"{step.removed_mass:.1%}",
            )
        )
        self.next_bars.set_bars(
            [
                Bar(
                    row.token,
                    row.prob,
                    row.sampling_prob,
                    not row.allowed,
                    (
                        tr("{token}: model {p}, sampling {q}")
                        if row.allowed
                        else tr("{token}: model {p}, sampling {q} (filtered out)")
                    ).format(token=row.token, p=f"{row.prob:.6f}", q=f"{row.sampling_prob:.6f}"),
                )
                for row in step.top
            ]
        )

    def _show_generation(self, gen) -> None:
        if isinstance(gen, poem.GeneratedPoem):
            self._draw_poem_step(gen)
        self.generation = gen
        pieces = "".join(
            f"<span style='background:rgba(31,119,180,{0.15 + 0.6 * s.prob:.2f})' title='p = {s.prob:.4f}'>"
            f"{escape(s.text)}</span><sub>{s.prob:.2f}</sub> "
            for s in gen.steps
        )
        drawn = tr("each new token with the probability it was drawn with:")
        if isinstance(gen, poem.GeneratedPoem):  # a poem line by line, large enough for the back of the room
            head = "<p style='font-size:x-large'><b>" + "<br>".join(escape(line) for line in gen.lines) + "</b></p>"
        else:
            head = f"<p><b>{escape(gen.text)}</b></p>"
        self.generated.setText(f"{head}<p>{drawn}<br>{pieces}</p>")

    def _on_generate_progress(self, progress) -> None:
        if progress.data is not None:
            self._show_generation(progress.data)

    def _on_generate_done(self, value, _elapsed: float) -> None:
        self._show_generation(value)
        self._buttons_idle()
        self.use_button.setEnabled(bool(value.steps))
        if self._append and value.steps:
            self.textRequested.emit(value.text)

    def _generation_stopped(self, message: str = "") -> None:
        self._buttons_idle()
        self.use_button.setEnabled(self.generation is not None and bool(self.generation.steps))
        if message:
            self.show_error(message)

    def _buttons_idle(self) -> None:
        self.generate_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _draw_lens(self, r: lm_lesson.LensView) -> None:
        self.lens_caption.setText(
            tr(
                "The logit lens: the GPT's output layer read off every layer's hidden state. Each column is a position "
                "(the token it has just read), each row a layer from the embeddings (top) to the last layer (bottom, "
                "the model's real prediction); each cell is that layer's best guess for the <i>next</i> token, shaded by "
                "its probability. Watch the guess form layer by layer."
            )
        )
        tip = tr("after layer {layer}, position {position} ({token}): next = {guess}, p = {p}")
        self.lens_table.set_cells(
            r.tokens,
            [tr("embeddings")] + [tr("layer {layer}").format(layer=k) for k in range(1, len(r.guesses))],
            r.guesses,
            [
                [
                    tip.format(layer=i, position=j, token=r.tokens[j], guess=g, p=f"{p:.4f}")
                    for j, (g, p) in enumerate(row)
                ]
                for i, row in enumerate(r.guesses)
            ],
        )
        if r.tokens:  # the last position is the guess for the token after the text: keep it in view
            self.lens_table.scrollToItem(self.lens_table.item(len(r.guesses) - 1, len(r.tokens) - 1))

    def tab_csv_rows(self, r) -> list[list]:
        if isinstance(r, probes.NextToken):
            return [["token", "model_probability", "sampling_probability", "can_be_picked"]] + [
                [t, f"{p:.6g}", f"{q:.6g}", ok] for t, p, q, ok in r.top
            ]
        if isinstance(r, lm_lesson.LensView):
            rows = [["layer", "position", "token", "guess", "probability"]]
            for i, row in enumerate(r.guesses):
                rows += [[i, j, r.tokens[j], g, f"{p:.6g}"] for j, (g, p) in enumerate(row)]
            return rows
        extra = self.heads_csv_rows(r)
        if extra is None:
            extra = self.branches_csv_rows(r)
        if extra is None:
            extra = self.explain_csv_rows(r)
        if extra is not None:
            return extra
        raise ValueError(tr("nothing to export yet"))
