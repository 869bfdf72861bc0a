"""One folder per lesson; ``view_for`` maps lesson ids to their views."""

from __future__ import annotations

from viz_app.core.lessons import Lesson


def view_for(lesson: Lesson, service, parent=None):
    """Build the view of ``lesson`` (a "coming in a later version" page if not ready). Its controls and
    open tab as built are kept in ``view.default_state``: a tour step starts from them."""
    from viz_app.qt import view_state

    view = _build(lesson, service, parent)
    view.default_state = {"controls": view_state.capture(view), "tab": view_state.current_tab(view)}
    return view


def _build(lesson: Lesson, service, parent=None):
    if lesson.id == "bow":
        from viz_app.qt.lessons.bow.view import BowView

        return BowView(lesson, service, parent)
    if lesson.id == "rnn-toy":
        from viz_app.qt.lessons.rnn_toy.view import ToyRnnView

        return ToyRnnView(lesson, service, parent)
    if lesson.id == "word-embedding":
        from viz_app.qt.lessons.word_embedding.view import WordEmbeddingView

        return WordEmbeddingView(lesson, service, parent)
    if lesson.id == "lstm":
        from viz_app.qt.lessons.lstm.view import LstmView

        return LstmView(lesson, service, parent)
    if lesson.id in ("seq2seq", "attention"):
        from viz_app.core.seq2seq import lesson as seq2seq_lesson
        from viz_app.qt.lessons.seq2seq.view import Seq2SeqView

        # One view, two doors: the Seq2Seq lesson (before attention in the lecture) opens on the decoder step by
        # step with the model that has one context vector; the attention lesson on the alignment map.
        if lesson.id == "seq2seq":
            return Seq2SeqView(lesson, service, parent, initial_tab=1, initial_model=seq2seq_lesson.PLAIN_MODEL)
        return Seq2SeqView(lesson, service, parent)
    if lesson.id == "self-attention" and lesson.ready:
        from viz_app.qt.lessons.self_attention.view import SelfAttentionView

        return SelfAttentionView(lesson, service, parent)
    if lesson.id == "transformer" and lesson.ready:
        from viz_app.qt.lessons.transformer.view import TransformerView

        return TransformerView(lesson, service, parent)
    if lesson.id in ("bert", "gpt", "generative") and lesson.ready:
        from viz_app.qt.lessons.lm.view import BertView, GenerativeView, GptView

        return {"bert": BertView, "gpt": GptView, "generative": GenerativeView}[lesson.id](lesson, service, parent)
    from viz_app.qt.lessons.placeholder import PlaceholderView

    return PlaceholderView(lesson, service, parent)
