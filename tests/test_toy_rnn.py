import numpy as np
import pytest

from viz_app.core.registry import ModelStore
from viz_app.core.rnn import toy as toy_rnn


def test_lecture_example_with_bundled_weights():
    result = toy_rnn.run_bundled(ModelStore(), toy_rnn.LECTURE_INPUTS)
    data = result.to_json()
    assert data["outputs"] == [[4, 4], [12, 12], [32, 32]]
    assert data["memory_before"] == [[0, 0], [2, 2], [6, 6]]  # memory starts at 0
    assert data["memory"] == [[2, 2], [6, 6], [16, 16]]


def test_bundled_weights_are_all_ones():
    weights = toy_rnn.load_bundled_weights(ModelStore().registry)
    for name in toy_rnn.WEIGHT_NAMES:
        assert np.array_equal(weights[name], np.ones((2, 2)))


def test_order_changes_the_output():
    forward = toy_rnn.run([[1, 1], [1, 1], [2, 2]])
    reordered = toy_rnn.run([[2, 2], [1, 1], [1, 1]])
    assert not np.array_equal(forward.outputs, reordered.outputs)
    assert reordered.outputs.tolist() == [[8, 8], [20, 20], [44, 44]]
    assert np.array_equal(forward.reversed_outputs, reordered.outputs)


def test_step_equations_hold():
    x = np.array([[0.5, -1.0], [3.0, 2.0], [1.0, 0.0], [-2.0, 4.0]])
    r = toy_rnn.run(x)
    for t in range(len(x)):
        expected_h = x[t].sum() + r.forward.memory_before[t].sum()
        assert np.allclose(r.forward.hidden[t], expected_h)
        assert np.allclose(r.outputs[t], 2 * expected_h)
        if t:
            assert np.array_equal(r.forward.memory_before[t], r.forward.hidden[t - 1])


def test_bidirectional_runs_backwards_and_combines():
    r = toy_rnn.run([[1, 1], [1, 1], [2, 2]], bidirectional=True)
    assert r.forward.outputs.tolist() == [[4, 4], [12, 12], [32, 32]]
    # The backward network reads 2,2 first: its last step (t=1) has seen everything.
    assert r.backward.memory_before.tolist() == [[10, 10], [4, 4], [0, 0]]
    assert r.backward.outputs.tolist() == [[44, 44], [20, 20], [8, 8]]
    assert r.outputs.tolist() == [[48, 48], [32, 32], [40, 40]]
    data = r.to_json()
    assert data["backward"]["memory"] == [[22, 22], [10, 10], [4, 4]]


@pytest.mark.parametrize(
    "text, rows",
    [("1,1;1,1;2,2", 3), ("[1, 1] [1, 1] [2, 2]", 3), ("1 1\n2 2", 2), ("-0.5,1e2", 1)],
)
def test_parse_vectors(text, rows):
    assert toy_rnn.parse_vectors(text).shape == (rows, 2)


@pytest.mark.parametrize("text", ["", "1", "1,2,3", "a,b", "dog bites man", "😀", "1,1;" * 65])
def test_parse_vectors_rejects_with_a_message(text):
    with pytest.raises(ValueError) as info:
        toy_rnn.parse_vectors(text)
    assert str(info.value)


def test_rejects_non_finite_and_huge_numbers():
    with pytest.raises(ValueError, match="finite"):
        toy_rnn.run([[float("nan"), 1]])
    with pytest.raises(ValueError, match="between"):
        toy_rnn.run([[1e9, 1]])


def test_longest_allowed_sequence_stays_finite():
    r = toy_rnn.run(np.full((toy_rnn.MAX_STEPS, 2), 1e6))
    assert np.all(np.isfinite(r.outputs))


def test_lesson_job_on_cpu_records_the_device():
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons.rnn_toy import ToyRnnLesson, toy_rnn_job

    ctx = JobContext(request=Request("t", toy_rnn_job), device="cpu", models=ModelStore())
    result = toy_rnn_job(ctx, toy_rnn.LECTURE_INPUTS, False)
    assert isinstance(result, ToyRnnLesson) and isinstance(result, toy_rnn.ToyRnnResult)
    assert result.device == "cpu" and result.to_json()["outputs"] == [[4, 4], [12, 12], [32, 32]]
    both = toy_rnn_job(ctx, toy_rnn.LECTURE_INPUTS, True)
    assert both.device == "cpu" and both.bidirectional
