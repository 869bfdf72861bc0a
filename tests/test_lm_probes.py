"""The BERT and GPT lessons' questions, answered by small models built here (ours, and Hugging Face ones)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from viz_app.core.lm import probes
from viz_app.core.lm.model import LMConfig, TinyLM
from viz_app.core.lm.tokenizer import train_tokenizer

TEXT = [
    "the dog ran to the park. the cat sat on the mat.",
    "lily and tom played with a red ball. they were happy!",
    "the bank of the river was green. she went to the bank to get money.",
] * 20


@pytest.fixture(scope="module")
def models():
    tok = train_tokenizer(TEXT, vocab_size=120)
    torch.manual_seed(0)
    out = {}
    for kind in ("bert", "gpt"):
        model = TinyLM(LMConfig(len(tok), kind == "gpt", d_model=32, heads=4, layers=2, d_ff=64, max_len=24)).eval()
        out[kind] = probes.OwnModel(kind, model, tok, has_sentiment=kind == "bert")
    return out


def test_fill_mask_probabilities_are_the_models(models):
    bert = models["bert"]
    result = probes.fill_mask(bert, "the [mask] ran to the <mask> .", top_k=5)
    assert [m.position for m in result.masks] == [2, 6] and result.tokens[2] == "[MASK]"
    forward = bert.forward(probes.prepare(bert, "the [MASK] ran to the [MASK] .").ids)
    expected = probes.softmax(forward.logits[2])
    first = result.masks[0]
    assert np.isclose(first.predictions[0][1], expected.max()) and first.ids[0] == int(expected.argmax())
    assert all(a[1] >= b[1] for a, b in zip(first.predictions, first.predictions[1:], strict=False))
    assert not any(t.startswith("##") for m in result.masks for t, _ in m.predictions)
    assert probes.fill_mask(bert, "no mask here").masks == []
    with pytest.raises(ValueError):
        probes.fill_mask(models["gpt"], "the [MASK]")
    assert probes.replace_mask("a [MASK] b [mask]", 1, "dog") == "a [MASK] b dog"
    ids = probes.prepare(bert, "the [MASK] ran to the [MASK] .").ids
    assert np.allclose(bert.logits_at(ids, [2, 6]), forward.logits[[2, 6]], atol=1e-5)  # the rows fill-mask reads


def test_sampling_filters_reshape_the_distribution():
    logits = np.log(np.array([0.5, 0.2, 0.15, 0.1, 0.05]))
    tempered, allowed, final = probes.sampling_distribution(logits, probes.Sampling(1.0, 0, 1.0))
    assert np.allclose(tempered, [0.5, 0.2, 0.15, 0.1, 0.05]) and allowed.all()
    _, allowed, final = probes.sampling_distribution(logits, probes.Sampling(1.0, 2, 1.0))
    assert allowed.tolist() == [True, True, False, False, False] and np.allclose(final[:2], [5 / 7, 2 / 7])
    _, allowed, _ = probes.sampling_distribution(logits, probes.Sampling(1.0, 0, 0.8))
    assert allowed.tolist() == [True, True, True, False, False]  # 0.5 + 0.2 < 0.8 <= 0.85
    hot, _, _ = probes.sampling_distribution(logits, probes.Sampling(2.0))
    cold, _, _ = probes.sampling_distribution(logits, probes.Sampling(0.5))
    assert hot.max() < 0.5 < cold.max()  # higher temperature flattens, lower sharpens
    with pytest.raises(ValueError):
        probes.sampling_distribution(logits, probes.Sampling(0.0))


def test_generation_is_reproducible_and_next_token_matches(models):
    gpt = models["gpt"]
    s = probes.Sampling(0.9, 10, 0.95)
    a = list(probes.generate(gpt, "the dog", 6, s, seed=7))
    b = list(probes.generate(gpt, "the dog", 6, s, seed=7))
    assert [t.token_id for t in a] == [t.token_id for t in b] and 1 <= len(a) <= 6
    nt = probes.next_token(gpt, "the dog", s, top=10)
    first = a[0]
    allowed = {i for i, row in zip(nt.ids, nt.top, strict=True) if row[3]}
    assert first.token_id in allowed or nt.candidates > 10  # the first sampled token is one sampling could pick
    assert sum(1 for row in nt.top if row[3]) == min(10, nt.candidates)
    text = probes.join_generated(gpt, "the dog", a)
    assert text.startswith("the dog")


def test_attention_masks_and_logit_lens(models):
    gpt, bert = models["gpt"], models["bert"]
    g = probes.attention(gpt, "lily and tom played")
    assert len(g.attention) == 2 and g.attention[0].shape[0] == 4
    for layer in g.attention:
        assert np.allclose(layer.sum(-1), 1.0, atol=1e-5) and np.triu(layer, 1).max() == 0.0
    assert min(layer.min() for layer in probes.attention(bert, "lily and tom").attention) > 0.0
    lens = probes.logit_lens(gpt, "the dog ran")
    assert len(lens.guesses) == 3 and len(lens.guesses[0]) == len(lens.tokens)
    real = probes.next_token(gpt, "the dog ran", top=1).top[0]
    assert lens.guesses[-1][-1][0] == real[0] and np.isclose(lens.guesses[-1][-1][1], real[1], atol=1e-6)


def test_long_input_is_cut_with_notice_and_odd_text_works(models):
    bert, gpt = models["bert"], models["gpt"]
    long = "the dog ran. " * 40
    assert probes.attention(bert, long).cut > 0 and len(probes.attention(bert, long).tokens) == 24
    nt = probes.next_token(gpt, long)
    assert nt.cut > 0 and len(nt.tokens) == 24
    for text in ["", "🐶🐶", "中文字", "[MASK]"]:
        probes.attention(bert, text)
        probes.next_token(gpt, text)
    assert probes.fill_mask(bert, "🐶 [MASK] 中").masks


def test_contextual_vectors_and_classify(models):
    bert = models["bert"]
    vectors, used = probes.contextual_vectors(
        bert, ["the bank of the river", "money at the bank", "no such word"], "bank", 2
    )
    assert vectors.shape == (2, 32) and len(used) == 2
    assert not np.allclose(vectors[0], vectors[1])  # the same word, two contexts, two vectors
    static, _ = probes.contextual_vectors(bert, ["bank", "bank"], "bank", 0)
    assert np.allclose(static[0], static[1])
    result = probes.classify(bert, "a happy film")
    assert result["label"] in ("negative", "positive") and np.isclose(sum(result["probs"].values()), 1.0)
    with pytest.raises(ValueError):
        probes.classify(models["gpt"], "x")


def test_score_is_the_generation_probability(models):
    gpt = models["gpt"]
    result = probes.score(gpt, "the dog ran.")
    assert result["tokens"][-1] == "[SEP]" and all(0 < p <= 1 for p in result["probs"])
    nt = probes.next_token(gpt, "", top=len(gpt.tok))
    first = dict((t, p) for t, p, _, _ in nt.top)[result["tokens"][0]]
    assert np.isclose(result["probs"][0], first, atol=1e-6)


def test_encoder_numbers_are_the_models_own(models):
    bert = models["bert"]
    enc, h = probes.encoder_numbers(bert, "the dog ran to the park", 1, 2)
    assert enc.attention.shape[:2] == (2, 4) and h.layer == 1 and h.head == 2
    e = np.exp(h.scaled - h.scaled.max(1, keepdims=True))
    assert np.allclose(e / e.sum(1, keepdims=True), h.weights, atol=1e-5)
    assert np.allclose(h.weights @ h.v, h.z, atol=1e-5)
    block = bert.model.blocks[1].self_attn
    assert np.allclose(h.concat @ h.w_o + block.w_o.bias.detach().numpy(), h.output, atol=1e-4)
    assert np.allclose(h.x @ h.w_q + block.w_q.bias.detach().numpy()[2 * 8 : 3 * 8], h.q, atol=1e-4)
