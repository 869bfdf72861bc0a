"""The LSTM lesson's models: the readable LSTM equals torch's, gate invariants, chain-rule scores, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from viz_app.core.lstm import probes, text
from viz_app.core.lstm.model import LstmConfig, LstmLanguageModel, run_with_gates
from viz_app.core.registry import ModelStore, Registry

VALIDATION = Path(__file__).resolve().parents[2] / "shared" / "data" / "tinystories" / "tinystories_valid_first.txt"


@pytest.fixture(scope="module")
def store():
    return ModelStore()


@pytest.mark.parametrize("layers", [1, 2])
def test_readable_lstm_equals_torch_lstm(layers):
    torch.manual_seed(0)
    model = LstmLanguageModel(LstmConfig(vocab_size=50, dim=16, layers=layers, dropout=0.0)).eval()
    ids = [3, 7, 1, 9, 9, 2]
    traces, logits = run_with_gates(model, ids)
    with torch.no_grad():
        fused, _ = model(torch.tensor([ids]))  # (1, T, V) through nn.LSTM
    assert torch.allclose(logits, fused[0], atol=1e-5)
    assert len(traces) == layers


def test_gate_invariants_on_the_bundled_model(store):
    result = probes.lstm_gates(store, probes.LSTM_NAME, "once upon a time there was a little girl")
    g = result.gates
    for name in ("i", "f", "o"):
        assert g[name].min() >= 0 and g[name].max() <= 1
    assert g["g"].min() >= -1 and g["g"].max() <= 1
    c_prev = np.vstack([np.zeros((1, g["c"].shape[1])), g["c"][:-1]])
    assert np.allclose(g["c"], g["f"] * c_prev + g["i"] * g["g"], atol=1e-5)  # c_t = f*c_(t-1) + i*g
    assert np.allclose(g["h"], g["o"] * np.tanh(g["c"]), atol=1e-5)  # h_t = o*tanh(c_t)


def test_unknown_words_show_as_unk_and_long_text_is_cut(store):
    result = probes.lstm_gates(store, probes.LSTM_NAME, "the zqxwv dog 😀 " + "run " * 150)
    assert result.tokens[:3] == (text.START, "the", text.UNK)
    assert len(result.tokens) == probes.MAX_TOKENS + 1 and result.truncated > 0


def test_score_is_the_chain_rule(store):
    s = probes.score(store, probes.LSTM_NAME, "the cat sat on the mat.")
    assert s.tokens[-1] == text.END
    assert s.nll_nats == pytest.approx(-sum(math.log(p) for p in s.probs))
    b = probes.score(store, probes.BIGRAM_NAME, "the cat sat on the mat.")
    assert b.tokens == s.tokens


def test_bigram_rows_are_distributions(store):
    lm = probes.get(store, probes.BIGRAM_NAME)
    for word in ("the", "once", text.START):
        assert lm.model.distribution(lm.vocab.index[word]).sum() == pytest.approx(1.0)


def test_generation_is_reproducible(store):
    def run(seed):
        gen = probes.generate(store, probes.LSTM_NAME, "once upon a time", 12, 0.8, seed)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    assert run(5) == run(5)
    text_out, steps = run(5)
    assert text_out.startswith("once upon a time") and 1 <= len(steps) <= 12


def test_card_says_the_lstm_beats_the_bigram():
    card = Registry().card(probes.LSTM_NAME)
    m = card.metrics
    assert m["lstm_val_perplexity_per_word"] < 0.5 * m["bigram_val_perplexity_per_word"]


@pytest.mark.skipif(not VALIDATION.exists(), reason="needs ../shared/data beside the project")
def test_held_out_perplexity_reproduces_on_a_sample(store):
    lines = [line for line in VALIDATION.read_text(encoding="utf-8").split("\n") if line.strip()][:150]
    sample = "\n".join(lines)
    lstm = probes.score(store, probes.LSTM_NAME, sample, limit=False)
    bigram = probes.score(store, probes.BIGRAM_NAME, sample, limit=False)
    assert lstm.perplexity < bigram.perplexity * 0.6


def test_cli_lstm_gates_score_generate(capsys):
    from viz_app.cli import main

    assert main(["lstm-gates", "the dog ran", "--model", probes.LSTM_NAME, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"] == ["<start>", "the", "dog", "ran"] and len(data["gates"]["f"]) == 4
    assert main(["score", "--model", probes.BIGRAM_NAME, "--text", "the dog ran.", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"] == 5 and data["words"] == 3 and len(data["per_token"]) == 5
    assert (
        main(["generate", "the dog", "--model", probes.LSTM_NAME, "--max-new-tokens", "5", "--seed", "1", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["text"].startswith("the dog") and len(data["steps"]) <= 5
    assert main(["lstm-gates", "x", "--model", probes.BIGRAM_NAME]) == 2
    assert main(["score", "--model", "nope", "--text", "x"]) == 2


def test_kneser_ney_gives_an_unseen_pair_its_continuation_share(store):
    lm = probes.get(store, probes.BIGRAM_NAME)
    model, index = lm.model, lm.vocab.index
    girl, dragon, lily = index["girl"], index["dragon"], index["lily"]
    seen = model.explain(girl, index["named"])
    unseen = model.explain(girl, dragon)
    assert seen.pair_count > 0 and unseen.pair_count == 0
    # An unseen pair: nothing counted, only the discounted mass times the continuation probability.
    assert unseen.counted_part == 0 and unseen.probability > 0
    assert unseen.probability == pytest.approx(unseen.backoff_weight * unseen.continuation)
    assert unseen.backoff_weight == pytest.approx(model.discount * unseen.followers / unseen.prev_count)
    assert unseen.continuation_count == len({int(v) for v in range(len(lm.vocab)) if model.pair_count(v, dragon)})
    # explain() is the same number as the row's distribution.
    assert model.distribution(girl)[dragon] == pytest.approx(unseen.probability)
    assert model.distribution(girl)[index["named"]] == pytest.approx(seen.probability)
    assert seen.probability > (seen.pair_count - model.discount) / seen.prev_count
    # A previous word never seen in training: P is the continuation probability alone.
    empty = next(v for v in range(len(lm.vocab)) if model.row_totals[v] == 0)
    assert model.distribution(empty).sum() == pytest.approx(1.0)
    assert model.prob(empty, lily) == pytest.approx(model.continuation[lily])
    assert model.continuation.min() > 0


def test_the_bigram_card_is_kneser_ney_and_better_than_before():
    card = Registry().card(probes.BIGRAM_NAME)
    assert "Kneser-Ney" in card.description
    smoothing = card.extra["smoothing"]
    before = smoothing["before_kneser_ney"]["bigram_val_perplexity_per_word"]
    assert card.metrics["val_perplexity_per_word"] < before
    # The tuned discount is the best one of the dev table.
    table = smoothing["dev_perplexity_per_token"]
    assert min(table, key=table.get) == f"{smoothing['discount']:.2f}"


def test_discount_is_tuned_on_held_out_lines_not_on_training_lines():
    from viz_app.core.lstm.bigram import tune_discount

    rng = np.random.default_rng(0)
    train = [[0, *rng.integers(1, 30, 12).tolist(), 1] for _ in range(200)]
    dev = [[0, *rng.integers(1, 30, 12).tolist(), 1] for _ in range(40)]
    tuned = tune_discount(train, dev, 32, grid=[0.1, 0.5, 0.9])
    assert tuned["discount"] in (0.1, 0.5, 0.9) and len(tuned["dev_perplexity_per_token"]) == 3
    assert all(math.isfinite(v) for v in tuned["dev_perplexity_per_token"].values())


def test_end_is_a_separate_factor(store):
    s = probes.score(store, probes.LSTM_NAME, "once upon a time there was a little girl named lily")
    assert s.tokens[-1] == text.END and s.previous[0] == text.START and s.previous[-1] == "lily"
    assert s.log_probability(True) == pytest.approx(-s.nll_nats)
    assert s.log_probability(False) == pytest.approx(-s.nll_nats - math.log(s.probs[-1]))
    assert probes.lines_without_full_stop(s) == 1
    assert probes.lines_without_full_stop(probes.score(store, probes.LSTM_NAME, "the dog ran.")) == 0
    assert probes.score(store, probes.LSTM_NAME, "").perplexity_of(False) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "once upon a time there was a little girl named lily",
        "once upon a time there was a little girl named lily.",
        "the dog ran to the park and played with a ball",
        "she was very happy and gave her mom a big hug.",
    ],
)
def test_the_lstm_beats_the_bigram_on_the_words_of_natural_sentences(store, sentence):
    lstm = probes.score(store, probes.LSTM_NAME, sentence)
    bigram = probes.score(store, probes.BIGRAM_NAME, sentence)
    assert lstm.log_probability(include_end=False) > bigram.log_probability(include_end=False)


def test_the_missing_full_stop_claim(store):
    """Issue 14 6(b): without a final "." the <end> factor alone makes the bigram win; on the words the LSTM wins."""
    from viz_app.core import claims

    ctx = claims.context(store)
    sentence = "once upon a time there was a little girl named lily"
    assert not claims.evaluate({"kind": "lstm_beats_bigram", "include_end": True}, sentence, ctx).ok
    assert claims.evaluate({"kind": "lstm_beats_bigram", "include_end": False}, sentence, ctx).ok
    assert claims.evaluate({"kind": "bigram_unseen_pair_positive"}, sentence, ctx).ok


def test_end_counts_come_from_the_bigram(store):
    ends = probes.end_counts(store)
    lm = probes.get(store, probes.BIGRAM_NAME)
    assert ends["lines"] == lm.model.row_totals[lm.vocab.index[text.START]]  # every line starts and ends once
    assert ends["after_word"] < 0.01 * ends["lines"] < ends["after_stop"]


def test_probes_run_on_the_device_they_are_given(store):
    """Issue 16: the probes move the LSTM to the device asked for and build their tensors there."""
    lm = probes.get(store, probes.LSTM_NAME, "cpu")
    assert lm.device == "cpu" and next(lm.model.parameters()).device.type == "cpu"
    gates = probes.lstm_gates(store, probes.LSTM_NAME, "the dog ran", device="cpu")
    assert gates.gates["h"].shape[0] == len(gates.tokens) == 4
    traces, fused_logits = run_with_gates(lm.model, [lm.vocab.index[text.START], *lm.vocab.encode(["the", "dog"])])
    mine, logits = probes.gate_pass(lm, [lm.vocab.index[text.START], *lm.vocab.encode(["the", "dog"])])
    assert torch.allclose(mine[-1].h, traces[-1].h) and torch.allclose(logits, fused_logits)
    assert probes.score(store, probes.LSTM_NAME, "the dog ran.", device="cpu").tokens[-1] == text.END
    assert len(probes.next_words(store, probes.LSTM_NAME, "the dog", 3, device="cpu")) == 3
    both = probes.bidirectional_states(store, probes.LSTM_NAME, "the dog ran", device="cpu")
    assert both.forward.shape == both.backward.shape == (3, lm.model.config.dim)
    assert probes.end_counts(store) == probes.end_counts(store)  # counted once, a copy each time
