"""The Seq2Seq and attention lessons: step-by-step decoding, beam trees, the comparison, and their view."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from viz_app.core.lessons import seq2seq as lesson
from viz_app.core.registry import ModelStore


@pytest.fixture(scope="module")
def store():
    return ModelStore()


def test_steps_hold_the_attention_the_context_and_the_top_words(store):
    trace = lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis étudiant .")
    assert trace.output == "i am a student."
    assert trace.steps[-1].word == "<end>"
    for step in trace.steps:
        assert np.isclose(step.alpha.sum(), 1.0, atol=1e-5)
        # c^t = sum_i alpha_t^i h^i, recomputed here from the encoder states the trace kept.
        assert np.allclose(step.context, step.alpha @ trace.encoder_states, atol=1e-5)
        probs = [p for _, p in step.top]
        assert probs == sorted(probs, reverse=True) and len(step.top) == lesson.TOP_K
        assert step.top[0][0] == step.word and np.isclose(step.top[0][1], step.prob)
    matrix = trace.attention_matrix()
    assert matrix.shape == (len(trace.output_tokens), 4)
    assert trace.to_json()["attention"] == np.round(matrix, 6).tolist()


def test_forcing_a_word_redecodes_the_rest(store):
    trace = lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis étudiant .", forced=("i", "was"))
    assert trace.output_tokens[:2] == ["i", "was"]
    assert trace.steps[1].forced and not trace.steps[2].forced
    assert trace.output != "i am a student."
    with pytest.raises(ValueError, match="not a word"):
        lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis étudiant .", forced=("zzzqqq",))


def test_without_attention_the_context_is_the_fixed_last_state(store):
    trace = lesson.decode_steps(store, lesson.PLAIN_MODEL, "je suis étudiant .")
    assert trace.attention_matrix() is None and trace.output
    contexts = np.stack([s.context for s in trace.steps])
    assert np.allclose(contexts, contexts[0])  # the same h^M at every step


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀 😀", "我是学生", "je suis " + "très " * 80 + "content .", "xqzt blorf ."],
)
def test_any_input_decodes_without_error(store, text):
    trace = lesson.decode_steps(store, lesson.ATTENTION_MODEL, text)
    if not text.strip():
        assert trace.steps == () and trace.output == ""
        return
    assert trace.steps and len(trace.steps) <= lesson.MAX_OUTPUT
    assert len(trace.source_tokens) <= 40
    assert all(t == "<unk>" or t in ("je", "suis", "très", "content", ".") for t in trace.source_tokens)


def test_unknown_words_and_english_input(store):
    trace = lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis blorfique .")
    assert trace.unknown == ["blorfique"] and "<unk>" in trace.source_tokens
    assert "English" in lesson.decode_steps(store, lesson.ATTENTION_MODEL, "the cat is on the table").hint
    assert lesson.decode_steps(store, lesson.ATTENTION_MODEL, "le chat est sur la table .").hint == ""


def test_beam_tree(store):
    text = "il y a un chat noir sur la table ."
    one = lesson.beam_tree(store, lesson.ATTENTION_MODEL, text, 1)
    assert list(one.decoded.tokens) == list(one.greedy_tokens)
    five = lesson.beam_tree(store, lesson.ATTENTION_MODEL, text, 5)
    nodes = {n.id: n for n in five.decoded.tree}
    for n in nodes.values():
        assert n.parent == -1 or nodes[n.parent].step == n.step - 1
        expected = (nodes[n.parent].score if n.parent != -1 else 0.0) + n.logp
        assert np.isclose(n.score, expected, atol=1e-4)
    path = five.path
    assert nodes[path[-1]].finished and nodes[path[0]].parent == -1
    assert [nodes[i].word for i in path[:-1]] == list(five.decoded.tokens)
    per_step = {}
    for n in nodes.values():
        per_step.setdefault(n.step, []).append(n)
    assert all(sum(not n.finished for n in ns) <= 5 for ns in per_step.values())
    assert json.dumps(five.to_json())
    with pytest.raises(ValueError):
        lesson.beam_tree(store, lesson.ATTENTION_MODEL, text, 11)
    assert lesson.beam_tree(store, lesson.ATTENTION_MODEL, "", 3) is None


def test_compare_reads_bleu_by_length_from_the_cards(store):
    comparison = lesson.compare(store, "je suis étudiant .")
    assert set(comparison.translations) == {lesson.ATTENTION_MODEL, lesson.PLAIN_MODEL}
    for name in (lesson.ATTENTION_MODEL, lesson.PLAIN_MODEL):
        assert set(comparison.bleu_by_length[name]) == {"1-3", "4-6", "7-9", "10+"}
        assert comparison.bleu[name] == store.registry.card(name).metrics["bleu"]
    broken = lesson.compare(store, "je suis étudiant .", (lesson.ATTENTION_MODEL, "no-such-model"))
    assert "no-such-model" in broken.errors and lesson.ATTENTION_MODEL in broken.translations


def test_the_chatbot_answers(store):
    card = store.registry.card(lesson.CHAT_MODEL)
    assert "NC-SA" in card.license
    trace = lesson.decode_steps(store, lesson.CHAT_MODEL, "How are you?")
    assert trace.task == "chat" and trace.output and trace.hint == ""
    assert trace.source_tokens[:3] == ("how", "are", "you")
    assert np.allclose(trace.attention_matrix().sum(1), 1.0, atol=1e-5)
    # Contractions are read as the training data wrote them out: "I'm" -> "i am".
    assert lesson.decode_steps(store, lesson.CHAT_MODEL, "I’m hungry").source_tokens[:3] == ("i", "am", "hungry")


# --- the view ---------------------------------------------------------------------------------


def _view(open_lesson, lesson_id="attention", text="je suis étudiant ."):
    return open_lesson(lesson_id, text)


def _redrawn(qtbot, view, action):
    before = view.last_request_drawn
    action()
    qtbot.waitUntil(lambda: view.last_request_drawn != before and view.drawn, timeout=30000)


def test_alignment_view_and_export(open_lesson, tmp_path):
    view = _view(open_lesson)
    assert view.tabs.currentIndex() == 0
    assert not view.error_banner.isVisible()
    trace = view.result.trace
    assert view.alignment_map.matrix.shape == (len(trace.output_tokens), len(trace.source_tokens))
    assert view.alignment_map.col_labels == ["je", "suis", "étudiant", "."]
    assert np.allclose(view.alignment_lines.matrix, trace.attention_matrix())
    assert "i am a student." in view.output_label.text()
    view.export(str(tmp_path / "a.csv"))
    rows = list(csv.reader(open(tmp_path / "a.csv", encoding="utf-8")))
    assert rows[0] == ["output \\ source", "je", "suis", "étudiant", "."]
    assert [r[0] for r in rows[1:]] == trace.output_tokens
    assert all(abs(sum(float(v) for v in r[1:]) - 1) < 1e-4 for r in rows[1:])
    for suffix in ("png", "svg"):
        view.export(str(tmp_path / f"a.{suffix}"))
        assert (tmp_path / f"a.{suffix}").stat().st_size > 1000


def test_step_by_step_and_forcing(open_lesson, qtbot):
    view = _view(open_lesson, "seq2seq")
    assert view.tabs.currentIndex() == 1
    assert "Step 1 of" in view.step_title.text() and not view.back_button.isEnabled()
    view.forward_button.click()
    assert "Step 2 of" in view.step_title.text() and view.back_button.isEnabled()
    assert view.top_table.cell_text(0, 0) == "am"
    view.play_button.click()  # plays to the end on a timer
    qtbot.waitUntil(lambda: not view.play_timer.isActive(), timeout=20000)
    assert f"Step {len(view.result.trace.steps)} of" in view.step_title.text()
    view._select_step(1)
    # What-if: force the second word and watch the rest re-decode.
    row = next(r for r in range(view.top_table.rowCount()) if view.top_table.cell_text(r, 0) != "am")
    word = view.top_table.cell_text(row, 0)
    _redrawn(qtbot, view, lambda: view._force(word))
    assert view.result.trace.output_tokens[:2] == ["i", word]
    assert view.result.trace.steps[1].forced and "What-if" in view.notice.text()
    assert "Step 2 of" in view.step_title.text() and view.reset_button.isEnabled()
    _redrawn(qtbot, view, view.reset_button.click)
    assert view.result.trace.output == "i am a student."
    # A word the model cannot say is a message, not a crash.
    view.force_edit.setText("zzzqqq")
    view.force_button.click()
    qtbot.waitUntil(lambda: "not a word" in view.error_banner.text(), timeout=30000)


def test_beam_tab_follows_the_width(open_lesson, qtbot):
    view = _view(open_lesson, "seq2seq", "il y a un chat noir sur la table .")
    assert "beam" in view.result.missing  # a keystroke on another tab leaves the beam for its tab
    view.select_tab("beam")  # opening the tab asks for it
    qtbot.waitUntil(lambda: bool(view.beam_tree.nodes), timeout=30000)
    assert "beam" not in view.result.missing and "Greedy" in view.beam_summary.text()
    _redrawn(qtbot, view, lambda: view.beam_width.setValue(1))
    assert all(not n.finished or n.step >= 0 for n in view.beam_tree.nodes)
    assert view.result.beam.width == 1 and "Greedy" in view.beam_summary.text()
    assert max(sum(1 for n in view.beam_tree.nodes if n.step == s) for s in range(3)) == 1
    _redrawn(qtbot, view, lambda: view.beam_width.setValue(6))
    assert view.result.beam.width == 6
    assert max(sum(1 for n in view.beam_tree.nodes if n.step == s) for s in range(3)) > 1


def test_compare_tab_and_models(open_lesson, qtbot):
    view = _view(open_lesson)
    view.select_tab("with")
    assert "BLEU" in view.compare_text.text()
    assert "i am a student." in view.compare_boxes[0].text() and "without attention" in view.compare_boxes[1].text()
    _redrawn(qtbot, view, lambda: view.model_select.setCurrentIndex(1))  # without attention
    view.select_tab("alignment")
    assert "no attention" in view.alignment_caption.text()
    _redrawn(qtbot, view, lambda: view.model_select.setCurrentIndex(2))  # the chatbot
    assert view.example_buttons[0].text() == "how are you ?"
    assert "Reply" in view.output_label.text()


def test_empty_english_and_example_input(open_lesson, qtbot):
    view = _view(open_lesson, "attention", "the cat is on the table")
    assert "looks like English" in view.notice.text() and view.notice.isVisible()
    window = view.window()
    window.set_input_text("")
    window.flush_input()
    assert view.result is None and not view.error_banner.isVisible()
    assert view.alignment_map.matrix.size == 0 and view.output_label.text() == ""
    before = view.last_request_drawn
    view.example_buttons[0].click()
    window.flush_input()
    qtbot.waitUntil(lambda: view.last_request_drawn != before, timeout=30000)
    assert window.input.toPlainText() == "je suis étudiant ." and view.result.trace.output == "i am a student."


def test_the_jobs_run_on_the_device_asked_for_and_fill_the_parts_left_for_later():
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.registry import ModelStore

    ctx = JobContext(request=Request("t", lesson.seq2seq_lesson_job), device="cpu", models=ModelStore())
    text = "il y a un chat noir sur la table ."
    full = lesson.seq2seq_lesson_job(ctx, lesson.ATTENTION_MODEL, text, (), 3)
    assert isinstance(full, lesson.Seq2SeqResult) and full.device == "cpu" and full.missing == ()
    assert full.beam.width == 3 and set(full.comparison.translations) == {lesson.ATTENTION_MODEL, lesson.PLAIN_MODEL}
    trace_only = lesson.seq2seq_lesson_job(ctx, lesson.ATTENTION_MODEL, text, (), 3, ())
    assert trace_only.device == "cpu" and trace_only.missing == lesson.PARTS and trace_only.beam is None
    # Left for later: the other translator, not the card figures nor the trace's own greedy translation.
    assert set(trace_only.comparison.translations) == {lesson.ATTENTION_MODEL}
    assert set(trace_only.comparison.bleu) == {lesson.ATTENTION_MODEL, lesson.PLAIN_MODEL}
    beam = lesson.seq2seq_part_job(ctx, trace_only, "beam")
    assert isinstance(beam, lesson.Seq2SeqResult) and beam.device == "cpu" and beam.missing == ("comparison",)
    both = lesson.seq2seq_part_job(ctx, beam, "comparison")
    assert both.device == "cpu" and both.missing == ()
    assert json.dumps(both.to_json(), sort_keys=True) == json.dumps(full.to_json(), sort_keys=True)  # the same numbers
    with pytest.raises(ValueError):
        lesson.seq2seq_part_job(ctx, trace_only, "everything")
    # The chatbot's reply and the couplet model's figures come with the trace; they have no comparison.
    chat = lesson.seq2seq_lesson_job(ctx, lesson.CHAT_MODEL, "how are you ?", (), 3, ())
    assert chat.device == "cpu" and chat.reply is not None and chat.comparison is None and chat.missing == ("beam",)


def test_the_other_translator_is_asked_for_when_its_tab_opens(open_lesson, qtbot):
    view = _view(open_lesson)  # the Alignment tab: a keystroke decodes only the model shown
    assert view.result.missing == lesson.PARTS
    assert set(view.result.comparison.translations) == {lesson.ATTENTION_MODEL}
    view.select_tab("with")
    assert "i am a student." in view.compare_boxes[0].text() and "BLEU" in view.compare_text.text()
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    plain = view.result.comparison.translations[lesson.PLAIN_MODEL]
    assert "comparison" not in view.result.missing and plain.output in view.compare_boxes[1].text()
    assert plain.output == lesson.decode_steps(ModelStore(), lesson.PLAIN_MODEL, "je suis étudiant .").output
    # On this tab a keystroke brings the comparison with the trace; a part asked for an older text is dropped.
    old = view.result
    _redrawn(qtbot, view, lambda: (view.window().set_input_text("il fait beau ."), view.window().flush_input()))
    assert "comparison" not in view.result.missing and "beam" in view.result.missing
    view._part_arrived("beam", old, old)
    assert "beam" in view.result.missing and view.result.trace.typed[:2] == ("il", "fait")
