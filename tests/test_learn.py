"""Watch a Transformer learn (core): the tasks' ideal patterns, exact pause and resume, learning reverse, the job."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.jobs import JobContext, Progress, Request, execute
from viz_app.core.learn import score, tasks
from viz_app.core.learn.trainer import LearnConfig, Trainer
from viz_app.core.messages import Message


class FixedRng:
    """Hands out the arrays given, in order (a hand-written example instead of a random one)."""

    def __init__(self, *arrays):
        self.arrays = [np.asarray(a) for a in arrays]

    def integers(self, low, high, size):
        return self.arrays.pop(0).reshape(size)

    def random(self, size):
        return self.arrays.pop(0).reshape(size)


def _check_answers_at_ideal(batch):
    """Wherever an ideal key is set, that key holds the token the query must predict."""
    for b, t in zip(*np.nonzero(batch.ideal >= 0), strict=True):
        assert batch.tokens[b, batch.ideal[b, t]] == batch.tokens[b, t + 1]


def test_reverse_copy_sort_ideal_patterns_by_hand():
    x = [[3, 1, 3]]  # tokens are digits + 2; SEP = 1 at position n = 3; answer i is predicted at query 3 + i
    reverse = tasks.make_task("reverse", length=3).batch(FixedRng(x), 1)
    assert reverse.tokens.tolist() == [[5, 3, 5, 1, 5, 3, 5]]
    assert reverse.answer.tolist() == [[False, False, False, True, True, True]]
    assert reverse.ideal.tolist() == [[-1, -1, -1, 2, 1, 0]]  # answer i needs input n - 1 - i
    copy = tasks.make_task("copy", length=3).batch(FixedRng(x), 1)
    assert copy.ideal.tolist() == [[-1, -1, -1, 0, 1, 2]]
    sort = tasks.make_task("sort", length=3).batch(FixedRng(x), 1)
    assert sort.tokens.tolist() == [[5, 3, 5, 1, 3, 5, 5]]
    assert sort.ideal.tolist() == [[-1, -1, -1, 1, 0, 2]]  # the 1, then the two 3s in input order
    for batch in (reverse, copy, sort):
        _check_answers_at_ideal(batch)


def test_induction_ideal_pattern_by_hand():
    task = tasks.make_task("induction", length=4, digits=10)
    ranks = np.array([[3, 9, 1, 8, 7, 0, 6, 2, 5, 4]], float)  # argsort: digits 5, 2, 7, 0 first
    batch = task.batch(FixedRng(ranks, [[2, 0]]), 1)  # queries repeat x[2] = 7 and x[0] = 5
    # 5 2 7 0 | 7 -> 0, 5 -> 2 ; the outputs at the queries (positions 5 and 7) predict the answers
    assert task.decode(batch.tokens[0]) == ["5", "2", "7", "0", "|", "7", "0", "5", "2"]
    assert np.flatnonzero(batch.answer[0]).tolist() == [5, 7]
    assert batch.ideal[0].tolist() == [-1, -1, -1, -1, -1, 3, -1, 1]  # just after the earlier occurrence
    _check_answers_at_ideal(batch)
    _check_answers_at_ideal(task.batch(np.random.default_rng(3), 64))


def test_chars_has_no_ideal_pattern():
    task = tasks.make_task("chars", length=3, text="abcabcabcabc")
    assert task.ideal_kind == "none" and task.vocab == ("<pad>", "a", "b", "c")
    batch = task.batch(FixedRng([2]), 1)
    assert task.decode(batch.tokens[0]) == list("cabcabc")
    assert batch.answer.all() and (batch.ideal == -1).all()
    assert "no ideal" in task.hint()


def test_french_pairs_and_their_diagonal(tmp_path):
    folder = tmp_path / "eng_fra"
    folder.mkdir()
    lines = [
        "Run!\tCours\u202f!",
        "Go.\tVa !",
        "I see.\tJe vois.",
        "Who?\tQui ?",
        "Too long here.\tUn deux trois quatre cinq six",
    ]
    (folder / "fra.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    task = tasks.make_task("french", root=tmp_path)
    assert task.ideal_kind == "diagonal" and {"cours", "run", "!", "<end>"} <= set(task.vocab)
    assert len(task.test_pairs) == 1 and len(task.pairs) == 3  # every tenth pair held out; six words: too long
    batch = task.batch(FixedRng([0]), 1, test=True)  # the held-out pair: cours ! -> run !
    assert task.decode(batch.tokens[0][:6]) == ["cours", "!", "|", "run", "!", "<end>"]
    assert np.flatnonzero(batch.answer[0]).tolist() == [2, 3, 4]
    assert batch.ideal[0, 2:5].tolist() == [0, 1, 1]  # word i of m against French round(i * n / (m + 1))


def test_scores_of_a_perfect_and_a_flat_head():
    batch = tasks.make_task("reverse", length=4).batch(np.random.default_rng(0), 8)
    t = batch.inputs.shape[1]
    perfect = np.zeros((8, 1, 2, t, t), np.float32)
    for b, q in zip(*np.nonzero(batch.ideal >= 0), strict=True):
        perfect[b, 0, 0, q, batch.ideal[b, q]] = 1.0
    perfect[:, 0, 1] = np.tril(np.ones((t, t))) / np.arange(1, t + 1)[:, None]  # head 1: even over what it sees
    s = score.head_scores(perfect, batch.ideal)
    assert s[0, 0] == pytest.approx(1.0) and s[0, 1] < 0.2
    assert score.best_head(s)[:2] == (0, 0) and score.formed(s)
    assert np.isnan(score.head_scores(perfect, np.full_like(batch.ideal, -1))).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"task": "nope"},
        {"width": 30, "heads": 4},
        {"lr": 0.0},
        {"lr": float("nan")},
        {"layers": 0},
        {"batch": 0},
        {"length": 40},
        {"task": "induction", "length": 12, "digits": 10},
        {"task": "chars", "text": "too short"},
        {"digits": 40},
    ],
)
def test_bad_configs_raise_a_message(kwargs):
    with pytest.raises(ValueError) as info:
        Trainer(LearnConfig(**kwargs))
    assert isinstance(info.value.args[0], Message)


def test_missing_french_file_is_a_message(tmp_path):
    with pytest.raises(ValueError) as info:
        tasks.make_task("french", root=tmp_path)
    assert isinstance(info.value.args[0], Message)


SMALL = LearnConfig(width=32, heads=2, layers=2, batch=32, record_every=7)


def test_pause_and_resume_give_the_same_losses_exactly():
    once = Trainer(SMALL)
    once.run(100)
    split = Trainer(SMALL)
    split.run(40)
    state = split.state_dict()
    split.run(60)
    assert split.losses == once.losses  # exact: the same floats
    fresh = Trainer(SMALL)  # a new trainer, the state carried over (model + optimizer + step)
    fresh.load_state_dict(state)
    fresh.run(60)
    assert fresh.losses == once.losses and fresh.step == 100
    assert [s.step for s in fresh.snapshots] == [s.step for s in once.snapshots]
    a, b = once.model.state_dict(), fresh.model.state_dict()
    assert all(bool((a[k] == b[k]).all()) for k in a)
    with pytest.raises(ValueError):
        Trainer(LearnConfig()).load_state_dict(state)


def test_history_stays_bounded_and_evenly_spaced():
    t = Trainer(LearnConfig(width=16, heads=2, layers=1, batch=8, test_size=16, record_every=1, max_snapshots=8))
    t.run(50)
    steps = [s.step for s in t.snapshots]
    assert len(steps) <= 8 and steps[0] == 0
    assert len(set(np.diff(steps))) == 1 and steps[-1] >= 50 - t.every
    assert t.snapshots[0].attention.dtype == np.float16 and t.snapshots[0].attention.shape == (1, 2, 12, 12)


def test_reverse_is_learned_and_a_head_mirrors():
    t = Trainer(LearnConfig())  # the defaults: the lesson's first task
    while t.evaluate().snapshot.accuracy < 0.95 and t.step < 600:
        t.run(25)
    snap = t.evaluate().snapshot
    assert snap.accuracy >= 0.95, t.step
    layer, head, best = score.best_head(snap.scores)
    assert best > score.FORMED
    n = t.config.length
    rows = snap.attention[layer, head].astype(np.float32)[n : 2 * n]  # the answer queries of the test input
    assert rows.argmax(-1).tolist() == list(range(n - 1, -1, -1))  # each looks at its mirrored input


def test_induction_grows_an_induction_head_in_the_second_layer():
    t = Trainer(LearnConfig(task="induction"))
    while t.evaluate().snapshot.accuracy < 0.95 and t.step < 600:
        t.run(50)
    snap = t.evaluate().snapshot
    assert snap.accuracy >= 0.95, t.step
    layer, _head, best = score.best_head(snap.scores)
    assert best > score.FORMED and layer == 1  # it needs the previous-token head of layer 1 below it


def _run_job(fn, *args, **kwargs):
    reports: list[Progress] = []
    ctx = JobContext(Request("learn", fn, args, kwargs), device="cpu", models=None, report=reports.append)
    outcome = execute(ctx)
    assert outcome.error is None, outcome.details
    return outcome.value, reports


def test_chunk_job_progress_result_and_saving(tmp_path):
    from safetensors.torch import load_file

    from viz_app.core.lessons import learn as job
    from viz_app.core.lm.model import LMConfig, TinyLM

    key = "test-chunk"
    first, reports = _run_job(job.learn_chunk_job, key, SMALL, 12, reset=True)
    assert isinstance(first, job.LearnChunk) and first.step == 12
    assert len(reports) == 3 and reports[-1].fraction == 1.0 and reports[-1].data[0] == 12
    second, _ = _run_job(job.learn_chunk_job, key, SMALL.to_json(), 13)  # a dict config is the same config
    assert second.step == 25 and len(second.losses) == 25
    assert second.snapshot_steps.tolist() == [0, 7, 14, 21]
    layers, heads, t = SMALL.layers, SMALL.heads, 2 * SMALL.length
    assert second.attention.shape == (layers, heads, t, t) and second.history.shape == (4, layers, heads, t, t)
    assert second.scores.shape == (layers, heads) and second.score_kind == "ideal"
    for a in (second.losses, second.accuracies, second.attention, second.history, second.scores):
        assert not np.isnan(np.asarray(a, np.float32)).any()
    assert len(second.tokens) == t and second.tokens[SMALL.length] == "|"
    assert [p[0] for p in second.predictions] == list(range(SMALL.length, t))
    assert all(0 <= p[2] <= 1 and 0 <= p[4] <= p[2] + 1e-6 for p in second.predictions)
    assert "n − 1 − i" in second.hint and second.to_json()["step"] == 25
    again, _ = _run_job(job.learn_chunk_job, key, SMALL, 0, reset=True)  # reset: back to the untrained model
    assert again.step == 0 and len(again.losses) == 0 and again.snapshot_steps.tolist() == [0]
    other, _ = _run_job(job.learn_chunk_job, key, LearnConfig(task="copy", width=32, heads=2), 5)  # new config
    assert other.step == 5 and other.task == "copy"

    learned = job.learned_model(key)
    assert learned.step == 5 and learned.vocab[1] == "|" and not learned.model.training
    weights, card = job.save(key, tmp_path)
    import json

    info = json.loads(card.read_text(encoding="utf-8"))
    model = TinyLM(LMConfig(**info["model_config"]))
    model.load_state_dict(load_file(str(weights)))
    assert info["vocab"] == list(learned.vocab) and info["learn_config"]["task"] == "copy"
    job.forget(key)
    with pytest.raises(LookupError):
        job.learned_model(key)


def test_chunk_job_rejects_bad_input():
    from viz_app.core.lessons import learn as job

    ctx = JobContext(Request("learn", job.learn_chunk_job, ("k", LearnConfig(width=30), 5)), "cpu", None)
    outcome = execute(ctx)
    assert outcome.error and "multiple of the heads" in outcome.error
    outcome = execute(JobContext(Request("learn", job.learn_chunk_job, ("k", LearnConfig(), -1)), "cpu", None))
    assert outcome.error and "steps per chunk" in outcome.error
