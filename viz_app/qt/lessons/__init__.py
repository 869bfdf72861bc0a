"""One folder per lesson; the lesson table (``LESSONS``) names each lesson's core jobs and its view, and
``view_for`` builds the view."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from viz_app.core.lessons import Lesson
from viz_app.core.lessons.seq2seq import PLAIN_MODEL


def view_for(lesson: Lesson, service, parent=None):
    """Build the view of ``lesson`` (a "coming in a later version" page if not ready). Its controls and
    open tab as built are kept in ``view.default_state``: a tour step starts from them."""
    from viz_app.qt import view_state

    view = _build(lesson, service, parent)
    view.default_state = {"controls": view_state.capture(view), "tab": view_state.current_tab(view)}
    return view


@dataclass(frozen=True)
class LessonEntry:
    """One row of the lesson table: where a lesson's work is done and where it is drawn."""

    core: str  # the Qt-free module of the lesson's jobs and result types (viz_app.core.lessons.<id>)
    jobs: tuple[str, ...]  # the jobs its view asks for: names in ``core``, or "module:name" for one elsewhere
    view: str  # "module:Class" of its view (it only draws)
    options: dict = field(default_factory=dict)  # keyword arguments of the view

    def job_functions(self) -> list:
        """The job functions themselves (imported: this loads the core modules, not Qt)."""
        out = []
        for job in self.jobs:
            module, _, name = job.rpartition(":") if ":" in job else (self.core, "", job)
            out.append(getattr(importlib.import_module(module), name))
        return out


_LM = "viz_app.core.lessons.lm"
# The lesson table: lesson id -> its core jobs -> its view. A lesson not listed, or not ready, gets the "coming
# in a later version" page. Writing a lesson means a core module of jobs, a Qt folder that draws their results,
# and a row here. The Seq2Seq lesson (before attention in the lecture) and the attention lesson are one view with
# two doors: the first opens on the decoder step by step with the model that has one context vector, the second
# on the alignment map.
LESSONS: dict[str, LessonEntry] = {
    "generative": LessonEntry(
        "viz_app.core.lessons.generative",
        ("classify_job", "author_job", f"{_LM}:generate_job"),
        "viz_app.qt.lessons.lm.generative:GenerativeView",
    ),
    "word-embedding": LessonEntry(
        "viz_app.core.lessons.word_embedding",
        ("embedding_job", "neighbors_job", "analogy_job", "live_job", "ratio_job", "projection_job"),
        "viz_app.qt.lessons.word_embedding.view:WordEmbeddingView",
    ),
    "bow": LessonEntry("viz_app.core.lessons.bow", ("bow_lesson_job",), "viz_app.qt.lessons.bow.view:BowView"),
    "rnn-toy": LessonEntry(
        "viz_app.core.lessons.rnn_toy", ("toy_rnn_job",), "viz_app.qt.lessons.rnn_toy.view:ToyRnnView"
    ),
    "lstm": LessonEntry(
        "viz_app.core.lessons.lstm",
        ("lstm_lesson_job", "lstm_part_job", "generate_job"),
        "viz_app.qt.lessons.lstm.view:LstmView",
    ),
    "seq2seq": LessonEntry(
        "viz_app.core.lessons.seq2seq",
        ("seq2seq_lesson_job", "seq2seq_part_job"),
        "viz_app.qt.lessons.seq2seq.view:Seq2SeqView",
        {"initial_tab": 1, "initial_model": PLAIN_MODEL},
    ),
    "attention": LessonEntry(
        "viz_app.core.lessons.seq2seq",
        ("seq2seq_lesson_job", "seq2seq_part_job"),
        "viz_app.qt.lessons.seq2seq.view:Seq2SeqView",
    ),
    "self-attention": LessonEntry(
        "viz_app.core.lessons.self_attention",
        (
            "self_attention_job",
            "sagan_job",
            "learned_attention_job",
            "viz_app.core.lessons.learn:learn_chunk_job",
            "viz_app.core.lessons.learn:save_job",
        ),
        "viz_app.qt.lessons.self_attention.view:SelfAttentionView",
    ),
    "transformer": LessonEntry(
        "viz_app.core.lessons.transformer",
        (
            "transformer_job",
            "viz_app.core.ablation.scan:ablated_prediction_job",
            "viz_app.core.ablation.scan:head_scan_job",
            "viz_app.core.explain:explain_all_job",
        ),
        "viz_app.qt.lessons.transformer.view:TransformerView",
    ),
    "bert": LessonEntry(
        _LM,
        (
            "fill_mask_job",
            "attention_job",
            "contextual_job",
            "compare_job",
            "viz_app.core.lessons.generative:compare_classifiers_job",
            "viz_app.core.ablation.scan:ablated_prediction_job",
            "viz_app.core.ablation.scan:head_scan_job",
            "viz_app.core.explain:explain_all_job",
        ),  # fmt: skip
        "viz_app.qt.lessons.lm.bert:BertView",
    ),
    "gpt": LessonEntry(
        _LM,
        (
            "next_token_job",
            "attention_job",
            "logit_lens_job",
            "compare_job",
            "generate_job",
            "viz_app.core.lm.poem:poem_stream_job",
            "viz_app.core.lm.kv_trace:kv_cache_job",
            "viz_app.core.lm.branches:typed_job",
            "viz_app.core.lm.branches:branch_job",
            "viz_app.core.ablation.scan:ablated_prediction_job",
            "viz_app.core.ablation.scan:head_scan_job",
            "viz_app.core.explain:explain_all_job",
        ),  # fmt: skip
        "viz_app.qt.lessons.lm.gpt:GptView",
    ),
}


def _build(lesson: Lesson, service, parent=None):
    entry = LESSONS.get(lesson.id)
    if entry is None or not lesson.ready:
        from viz_app.qt.lessons.placeholder import PlaceholderView

        return PlaceholderView(lesson, service, parent)
    module, _, name = entry.view.partition(":")
    return getattr(importlib.import_module(module), name)(lesson, service, parent, **entry.options)
