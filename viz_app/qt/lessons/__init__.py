"""One folder per lesson; ``view_for`` maps lesson ids to their views."""

from __future__ import annotations

from viz_app.core.lessons import Lesson
from viz_app.core.lessons.seq2seq import PLAIN_MODEL


def view_for(lesson: Lesson, service, parent=None):
    """Build the view of ``lesson`` (a "coming in a later version" page if not ready). Its controls and
    open tab as built are kept in ``view.default_state``: a tour step starts from them."""
    from viz_app.qt import view_state

    view = _build(lesson, service, parent)
    view.default_state = {"controls": view_state.capture(view), "tab": view_state.current_tab(view)}
    return view


# The lesson table: lesson id -> (module of its view, view class, keyword arguments). A lesson not listed, or
# not ready, gets the "coming in a later version" page. The Seq2Seq lesson (before attention in the lecture)
# and the attention lesson are one view with two doors: the first opens on the decoder step by step with the
# model that has one context vector, the second on the alignment map.
VIEWS: dict[str, tuple[str, str, dict]] = {
    "bow": ("viz_app.qt.lessons.bow.view", "BowView", {}),
    "rnn-toy": ("viz_app.qt.lessons.rnn_toy.view", "ToyRnnView", {}),
    "word-embedding": ("viz_app.qt.lessons.word_embedding.view", "WordEmbeddingView", {}),
    "lstm": ("viz_app.qt.lessons.lstm.view", "LstmView", {}),
    "seq2seq": ("viz_app.qt.lessons.seq2seq.view", "Seq2SeqView", {"initial_tab": 1, "initial_model": PLAIN_MODEL}),
    "attention": ("viz_app.qt.lessons.seq2seq.view", "Seq2SeqView", {}),
    "self-attention": ("viz_app.qt.lessons.self_attention.view", "SelfAttentionView", {}),
    "transformer": ("viz_app.qt.lessons.transformer.view", "TransformerView", {}),
    "bert": ("viz_app.qt.lessons.lm.bert", "BertView", {}),
    "gpt": ("viz_app.qt.lessons.lm.gpt", "GptView", {}),
    "generative": ("viz_app.qt.lessons.lm.generative", "GenerativeView", {}),
}


def _build(lesson: Lesson, service, parent=None):
    import importlib

    entry = VIEWS.get(lesson.id)
    if entry is None or not lesson.ready:
        from viz_app.qt.lessons.placeholder import PlaceholderView

        return PlaceholderView(lesson, service, parent)
    module, name, kwargs = entry
    return getattr(importlib.import_module(module), name)(lesson, service, parent, **kwargs)
