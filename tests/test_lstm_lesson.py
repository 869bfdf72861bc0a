"""The LSTM lesson through its real widgets."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from viz_app.qt.lessons.lstm.view import factor, num3


@pytest.fixture
def view(open_lesson):
    return open_lesson("lstm", "once upon a time there was a little girl named lily. she loved her zqxy dog.")


def open_chain(view, qtbot):
    """The Chain rule tab, its numbers computed (they come when the tab is opened)."""
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.result.lstm is not None and not view.pending(), timeout=30000)
    return view.result.lstm, view.result.bigram


def test_gate_maps_follow_the_words(view):
    assert not view.error_banner.isVisible(), view.error_banner.text()
    gates = view.result.gates
    assert gates.tokens[0] == "<start>" and "<unk>" in gates.tokens
    assert "zqxy" in view.notice.text()
    heat = view.maps["f"]
    assert heat.matrix.shape == (64, len(gates.tokens))
    unit = int(view._rows[3])
    assert np.allclose(heat.matrix[3], gates.gates["f"][:, unit])


def test_clicking_a_cell_shows_its_equation(qtbot, view):
    gates = view.result.gates
    view._cell_clicked(view.maps["c"], 5, 4)
    unit = int(view._rows[5])
    assert view.unit_select.value() == unit
    c = gates.gates["c"][4, unit]
    assert num3(c) in view.equation.text() and "Step 4" in view.equation.text()
    xs, ys = view.unit_curves["f"].getData()
    assert np.allclose(ys, gates.gates["f"][:, unit])


def test_chain_rule_and_next_word(qtbot, view):
    assert view.result.lstm is None  # computed when its tab is opened
    lstm, _bigram = open_chain(view, qtbot)
    assert view.chain_table.rowCount() == len(lstm.tokens)
    assert view.chain_table.cell_text(len(lstm.tokens) - 1, 0).startswith("<end>")
    assert "perplexity" in view.chain_summary.text()
    view.tabs.setCurrentIndex(2)
    assert view.next_table.rowCount() == 10
    data = view.export_json()
    assert data["lstm"]["tokens"] == len(lstm.tokens)


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "我愛你", "word " * 300])
def test_odd_input(open_lesson, text):
    v = open_lesson("lstm", text)
    assert not v.error_banner.isVisible(), v.error_banner.text()
    if len(text.split()) > 100:
        assert "cut" in v.notice.text()


def test_generation_streams_words_and_gates(qtbot, view):
    view.tabs.setCurrentIndex(2)
    view.max_words.setValue(8)
    view.seed.setValue(4)
    qtbot.mouseClick(view.generate_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.generate_button.isEnabled(), timeout=30000)
    assert "each new word with its probability" in view.generated.text()
    assert len(view._gates.tokens) > len(view.result.gates.tokens)  # the maps followed the generated words


def test_bidirectional_states(view, qtbot):
    assert view.result.both_ways is None  # computed only when their tab is opened
    view.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: view.result.both_ways is not None and not view.pending(), timeout=30000)
    both = view.result.both_ways
    assert both.forward.shape == both.backward.shape and both.forward.shape[0] == len(both.tokens)
    assert view.forward_map.matrix.shape[1] == len(both.tokens)
    # The backward state at the last word has seen only that word; the forward one has seen them all.
    assert not np.allclose(both.forward[-1], both.backward[-1])


@pytest.mark.parametrize("tab", [0, 1, 2, 3])
def test_export_each_tab(view, qtbot, tmp_path, tab):
    view.tabs.setCurrentIndex(tab)
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    for name in ("tab.png", "tab.svg", "tab.csv"):
        view.export(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 100
    header = (tmp_path / "tab.csv").read_text().splitlines()[0]
    assert header.split(",")[0] in ("gate", "token", "next_word", "direction")


def test_clicking_a_step_lists_its_vectors(view):
    gates = view.result.gates
    view._cell_clicked(view.maps["i"], 0, 3)
    assert view.step_table.rowCount() == len(view._rows)
    unit = int(view._rows[0])
    assert view.step_table.cell_text(0, 0) == str(unit)
    assert view.step_table.cell_text(0, 1) == num3(gates.gates["i"][3, unit])


def _log_p_text(value: float) -> str:
    return f"{value:.2f}".replace("-", "\u2212")


def test_end_is_a_separate_switchable_factor(open_lesson, qtbot):
    v = open_lesson("lstm", "once upon a time there was a little girl named lily")
    lstm, bigram = open_chain(v, qtbot)
    assert not v.include_end.isChecked()
    last = len(lstm.tokens) - 1
    assert lstm.tokens[last] == "<end>" and "left out" in v.chain_table.cell_text(last, 0)
    summary = v.chain_summary.text()
    assert f"log P = {_log_p_text(lstm.log_probability(False))} nats" in summary
    assert _log_p_text(bigram.log_probability(False)) in summary
    # Without a full stop the note says so, with the nats the one factor costs.
    assert "without a full stop" in v.end_note.text()
    assert f"{-np.log(lstm.probs[last]):.1f} nats" in v.end_note.text()
    # On the words alone the LSTM wins on this natural sentence, and the screen says so.
    assert lstm.log_probability(False) > bigram.log_probability(False)
    assert "The LSTM, which reads every word before" in summary
    v.include_end.setChecked(True)
    assert f"log P = {_log_p_text(lstm.log_probability(True))} nats" in v.chain_summary.text()
    assert "stops here" in v.chain_table.cell_text(last, 0)


def test_with_a_full_stop_end_is_ordinary(open_lesson, qtbot):
    v = open_lesson("lstm", "once upon a time there was a little girl named lily.")
    lstm, bigram = open_chain(v, qtbot)
    assert "without a full stop" not in v.end_note.text()
    for with_end in (False, True):
        v.include_end.setChecked(with_end)
        assert lstm.log_probability(with_end) > bigram.log_probability(with_end)
        assert "The LSTM, which reads every word before" in v.chain_summary.text()


def test_smoothing_note_shows_the_numbers_of_an_unseen_pair(open_lesson, qtbot):
    v = open_lesson("lstm", "the spoon sang to the volcano")
    open_chain(v, qtbot)
    explanations, (prev, word, e, in_text), _ends = v.result.pairs
    assert in_text and e.pair_count == 0 and e.probability > 0
    k = next(k for k, x in enumerate(explanations) if x.pair_count == 0)
    assert (v.result.bigram.previous[k], v.result.bigram.tokens[k]) == (prev, word)
    assert v.result.bigram.probs[k] == pytest.approx(e.probability)
    note = v.smoothing_note.text()
    assert f"“{prev} {word}”" in note and "count 0" in note
    assert f"{e.followers:,}" in note and f"{e.prev_count:,}" in note and v._number(e.probability) in note
    assert v.chain_table.cell_text(k, 3) == "0"


def test_axes_label_whole_words_and_the_legend_is_off_the_curves(view, qtbot):
    gates = view.result.gates
    assert view.maps["f"].col_labels == list(gates.tokens)
    ticks = [(int(k), full) for k, _text, full in view.unit_plot.getAxis("bottom").labels]
    assert ticks and all(label == gates.tokens[k] for k, label in ticks)
    assert view.unit_plot.getPlotItem().legend is None
    assert "forget gate f" in view.unit_legend.text()
    view.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: view.result.both_ways is not None and not view.pending(), timeout=30000)
    assert view.forward_map.col_labels == list(view.result.both_ways.tokens)


def test_generated_probabilities_are_not_subscripts(qtbot, view):
    view._show_generated("the dog ran.", [("ran", 0.5), (".", 0.99)])
    assert "<sub>" not in view.generated.text() and "(0.99)" in view.generated.text()


def test_map_groups_show_three_maps_or_all_six(view):
    shown = {g for g, heat in view.maps.items() if not heat.isHidden()}
    assert shown == {"i", "f", "o"}  # the gates first: the tour's first LSTM step speaks of them
    view.map_group.setCurrentIndex(1)
    assert {g for g, heat in view.maps.items() if not heat.isHidden()} == {"g", "c", "h"}
    view.map_group.setCurrentIndex(2)
    assert all(not heat.isHidden() for heat in view.maps.values())


def test_negative_numbers_have_a_true_minus_and_brackets_as_factors():
    assert num3(-0.1574) == "\u2212" + "0.157" and num3(0.04) == "0.040" and num3(-0.0001) == "0.000"
    assert factor(-0.1574) == "(\u2212" + "0.157)" and factor(0.5) == "0.500"


def test_the_jobs_run_on_the_cpu_and_say_so():
    """Issue 16: the lesson's jobs, called directly on "cpu", return frozen dataclasses that name their device."""
    import dataclasses

    from viz_app.core.jobs import JobContext, Request, execute
    from viz_app.core.lessons.lstm import Generated, LstmLesson, generate_job, lstm_lesson_job, lstm_part_job
    from viz_app.core.messages import Message
    from viz_app.core.registry import ModelStore

    store = ModelStore()
    ctx = JobContext(request=Request("t", lstm_lesson_job), device="cpu", models=store)
    result = lstm_lesson_job(ctx, "once upon a time there was a little girl named lily.")
    assert isinstance(result, LstmLesson) and result.device == "cpu"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.device = "cuda"
    assert result.gates.tokens[0] == "<start>" and len(result.following) == 10
    assert result.lstm.tokens == result.bigram.tokens and len(result.explanations) == len(result.bigram.tokens)
    assert result.pairs == (result.explanations, result.unseen, result.ends)
    assert set(result.to_json()) == {"gates", "lstm", "bigram", "next_words", "bidirectional"}
    gates_only = lstm_lesson_job(ctx, "once upon a time there was a little girl named lily.", ())
    assert gates_only.lstm is None and gates_only.both_ways is None and gates_only.following == result.following
    filled = lstm_part_job(ctx, lstm_part_job(ctx, gates_only, "chain"), "both_ways")
    assert filled.lstm.probs == result.lstm.probs and filled.explanations == result.explanations
    assert np.array_equal(filled.both_ways.forward, result.both_ways.forward)
    with pytest.raises(ValueError):
        lstm_part_job(ctx, gates_only, "beam")
    progress = []
    request = Request("t", generate_job, ("once upon a time", 3, 1.0, 4))
    outcome = execute(JobContext(request=request, device="cpu", models=store, report=progress.append))
    assert outcome.error is None, outcome.error
    done = outcome.value
    assert isinstance(done, Generated) and done.device == "cpu" and 1 <= len(done.steps) <= 3
    assert progress and all(isinstance(p.data, Generated) and p.data.device == "cpu" for p in progress)
    assert isinstance(progress[0].message, Message) and progress[0].message.template.startswith("generated {n}")
    assert progress[-1].data.steps == done.steps and progress[-1].data.gates.tokens[0] == "<start>"


def test_the_lesson_pass_gives_the_chain_rule_of_the_fused_lstm():
    """One readable pass gives the gates, the chain rule and the next word: the same numbers as the probes'
    own runs through torch's nn.LSTM, to float precision."""
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons.lstm import lstm_lesson_job
    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    store = ModelStore()
    ctx = JobContext(request=Request("t", lstm_lesson_job), device="cpu", models=store)
    for raw in ("the dog ran to the park and played", "the cat sat.\nthe dog ran"):
        result = lstm_lesson_job(ctx, raw)
        fused = probes.score(store, probes.LSTM_NAME, raw, alternatives=5)
        assert result.lstm.tokens == fused.tokens
        assert np.allclose(result.lstm.probs, fused.probs, rtol=1e-4, atol=1e-7)
        assert [w for w, _ in result.following] == [w for w, _ in probes.next_words(store, probes.LSTM_NAME, raw)]
