"""The GPT's key/value cache: the same tokens and probabilities as recomputing every window, less work."""

from __future__ import annotations

import json

import pytest
import torch

from viz_app.cli import main
from viz_app.core.lm import kv_cache, probes
from viz_app.core.lm.model import LMConfig, TinyLM
from viz_app.core.registry import Registry

PROMPTS = {"gpt-tiny": "once upon a time there was", "gpt-tang": "床前明月光，"}
GREEDY = probes.Sampling(1.0, 1, 1.0)
SAMPLED = probes.Sampling(0.9, 0, 0.95)


@pytest.fixture(scope="module")
def models():
    return {name: probes.load(Registry(), name) for name in PROMPTS}


def _both(lm, prompt, n, sampling, seed):
    a = list(probes.generate(lm, prompt, n, sampling, seed, kv_cache=True, stop_at_end=False))
    b = list(probes.generate(lm, prompt, n, sampling, seed, kv_cache=False, stop_at_end=False))
    return a, b


def _same(a, b):
    assert [s.token_id for s in a] == [s.token_id for s in b]
    for x, y in zip(a, b, strict=True):
        assert x.prob == pytest.approx(y.prob, rel=1e-4, abs=1e-9)
        assert x.model_prob == pytest.approx(y.model_prob, rel=1e-4, abs=1e-9)


@pytest.mark.parametrize("name", list(PROMPTS))
@pytest.mark.parametrize("sampling", [GREEDY, SAMPLED], ids=["greedy", "sampled"])
def test_cache_gives_the_same_generation(models, name, sampling):
    a, b = _both(models[name], PROMPTS[name], 30, sampling, seed=5)
    assert len(a) == 30
    _same(a, b)


def test_step_matches_forward_and_grows_the_cache(models):
    lm = models["gpt-tiny"]
    ids = lm.start_ids + lm.encode("the little dog ran to the park and")
    with torch.no_grad():
        full = lm.model(torch.tensor([ids]))
        cache: dict = {}
        rows = [lm.model.step(torch.tensor([ids[:4]]), cache)]  # a prefill of 4, then one token at a time
        for t in ids[4:]:
            rec: dict = {}
            rows.append(lm.model.step(torch.tensor([[t]]), cache, record=rec))
            length = cache["length"]
            assert rec["layers"][0]["self"]["k"].shape[2] == length  # the new q meets every cached k
            assert rec["layers"][0]["self"]["q"].shape[2] == 1
    assert cache["length"] == len(ids) and cache[0]["k"].shape == (1, lm.heads, len(ids), 256 // lm.heads)
    torch.testing.assert_close(torch.cat(rows, 1), full, rtol=0, atol=1e-4)


def test_a_sliding_window_rebuilds_the_cache(models):
    """A model with a 16-token window (gpt-tiny's first 16 positions): 30 new tokens slide it; the cache is
    rebuilt for each new window and the numbers stay those of recomputing."""
    big = models["gpt-tiny"]
    c = big.model.config
    small_config = LMConfig(**{**c.to_json(), "max_len": 16})
    small = TinyLM(small_config)
    state = dict(big.model.state_dict())
    state["positions.weight"] = state["positions.weight"][:16]
    small.load_state_dict(state)
    small.eval()
    lm = probes.OwnModel("gpt-short", small, big.tok)
    window = kv_cache.CachedWindow(lm)
    a = list(probes.generate(lm, "once upon a time", 30, SAMPLED, 2, stop_at_end=False, logits_fn=window.last_logits))
    b = list(probes.generate(lm, "once upon a time", 30, SAMPLED, 2, kv_cache=False, stop_at_end=False))
    _same(a, b)
    assert window.prefills > 1 and window.steps > 0
    assert window.prefills + window.steps == 30


def test_multiply_adds():
    c = LMConfig(vocab=100, causal=True, d_model=8, heads=2, layers=2, d_ff=32, max_len=6)
    # one new token against 3 keys: 2 layers x (4*64 + 2*3*8 + 2*8*32) = 2 x 816
    assert kv_cache.block_multiply_adds(c, 1, 3) == 1632
    counts = kv_cache.generation_multiply_adds(c, start_len=1, prompt_len=2, max_new=5)
    lengths = [length for length, _, _ in counts["per_step"]]
    assert lengths == [3, 4, 5, 6, 6]  # the window is full (6) at step 4, then slides
    head = 800
    assert counts["per_step"][0][1] == counts["per_step"][0][2] == kv_cache.block_multiply_adds(c, 3, 3) + head
    assert counts["per_step"][1][1] == kv_cache.block_multiply_adds(c, 1, 4) + head
    assert counts["per_step"][4][1] == counts["per_step"][4][2]  # slid: rebuilt, no saving
    assert counts["with_cache"] < counts["without_cache"]


def _cli(capsys, *argv):
    code = main(list(argv))
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def test_cli_no_kv_cache(capsys):
    greedy = ["generate", "once upon a time", "--max-new-tokens", "25", "--top-k", "1", "--json"]
    assert _cli(capsys, *greedy) == _cli(capsys, *greedy, "--no-kv-cache")  # byte for byte
    sampled = ["generate", "床前明月光，", "--model", "gpt-tang", "--max-new-tokens", "25", "--seed", "3", "--json"]
    a, b = json.loads(_cli(capsys, *sampled)), json.loads(_cli(capsys, *sampled, "--no-kv-cache"))
    assert a["text"] == b["text"] and [t for t, _ in a["steps"]] == [t for t, _ in b["steps"]]
    assert [p for _, p in a["steps"]] == pytest.approx([p for _, p in b["steps"]], rel=1e-4)
