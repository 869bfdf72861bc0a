"""Switching heads off: no head off is the model itself; a whole layer off leaves only the residual path."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from viz_app.core.ablation import ablate, attention_modules, head_means, scan
from viz_app.core.jobs import JobContext, Progress, Request
from viz_app.core.registry import ModelStore

CASES = {
    "gpt-tiny": ("once upon a time there was a little", 0),
    "bert-tiny": ("the cat sat on the [MASK].", 0),
    "transformer": ("je suis étudiant .", 1),
}


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


@pytest.mark.parametrize("name", list(CASES))
def test_no_head_off_is_exactly_the_model(ctx, name):
    text, position = CASES[name]
    probe = scan.build_probe(ctx, name, text, position)
    base = probe.run()
    with ablate(probe.model, [], "zero"):
        assert torch.equal(probe.run(), base)
    result = scan.ablated_prediction_job(ctx, name, text, (), "mean", None, position)
    assert result.logprob == result.base_logprob and result.delta_logprob == 0.0
    assert result.target == result.base_top[0][0]


def _replace_output(module, value):
    """A forward hook setting the attention block's output (before the residual) to ``value(output)``."""
    return module.register_forward_hook(lambda mod, args, out: value(out))


@pytest.mark.parametrize("name,row", [("gpt-tiny", 1), ("bert-tiny", 2), ("transformer", 7)])  # 7: cross 2
def test_a_whole_layer_off_leaves_the_residual_path(ctx, name, row):
    text, position = CASES[name]
    probe = scan.build_probe(ctx, name, text, position)
    attn = attention_modules(probe.model)[row][1]
    every = [(row, h) for h in range(attn.heads)]
    with ablate(probe.model, every, "zero"):
        ablated = probe.run()
    # "zero" zeros each head's z: the block then outputs W^O's bias (it belongs to no head) at every position.
    hook = _replace_output(attn, lambda out: torch.zeros_like(out) + attn.w_o.bias)
    try:
        by_hand = probe.run()
    finally:
        hook.remove()
    torch.testing.assert_close(ablated, by_hand, rtol=0, atol=1e-9)
    assert not torch.allclose(ablated, probe.run())  # the layer did matter
    # With W^O's bias removed too (then put back), the block adds exactly nothing: x + 0, then the norm.
    saved = attn.w_o.bias.detach().clone()
    try:
        with torch.no_grad():
            attn.w_o.bias.zero_()
        with ablate(probe.model, every, "zero"):
            zeroed = probe.run()
        hook = _replace_output(attn, torch.zeros_like)
        try:
            torch.testing.assert_close(zeroed, probe.run(), rtol=0, atol=1e-9)
        finally:
            hook.remove()
    finally:
        with torch.no_grad():
            attn.w_o.bias.copy_(saved)


def test_mean_mode_is_the_heads_average_output(ctx):
    text, _ = CASES["gpt-tiny"]
    probe = scan.build_probe(ctx, "gpt-tiny", text)
    means = head_means(probe.model, lambda: probe.reference(scan.REFERENCES["en"]))
    assert len(means) == 4 and means[0].shape == (8, 32)
    row = 2
    attn = attention_modules(probe.model)[row][1]
    with ablate(probe.model, [(row, h) for h in range(8)], "mean", means):
        ablated = probe.run()
    constant = attn.w_o(means[row].reshape(-1))  # every head's mean z, side by side, through W^O
    hook = _replace_output(attn, lambda out: torch.zeros_like(out) + constant)
    try:  # W^O applied to one vector rather than a batch: the same up to float32 rounding
        torch.testing.assert_close(ablated, probe.run(), rtol=0, atol=2e-5)
    finally:
        hook.remove()
    assert "ablated" not in attn.__dict__  # switched on again after the block


def test_scan_matches_one_head_at_a_time_and_reports_progress(ctx):
    text, _ = CASES["gpt-tiny"]
    gen = scan.head_scan_job(ctx, "gpt-tiny", text, "zero")
    progress = []
    while True:
        try:
            progress.append(next(gen))
        except StopIteration as stop:
            result = stop.value
            break
    assert len(progress) == 32 and all(isinstance(p, Progress) for p in progress)
    assert np.isnan(progress[0].data).sum() == 31 and progress[-1].fraction == 1.0
    assert result.delta.shape == (4, 8) and result.target == "girl" and result.kind == "gpt"
    one = scan.ablated_prediction_job(ctx, "gpt-tiny", text, ((2, 5),), "zero")
    assert result.delta[2, 5] == pytest.approx(one.delta_logprob, abs=1e-12)
    assert np.abs(result.delta).max() > 1e-3  # some head changes the guess
    data = result.to_json()
    assert len(data["delta_logprob"]) == 4 and data["device"] == "cpu"


def test_transformer_rows_and_bad_input(ctx):
    probe = scan.build_probe(ctx, "transformer", "je suis étudiant .", 1)
    labels = [label for label, _ in attention_modules(probe.model)]
    assert labels[0] == "encoder 1" and "decoder 1" in labels and labels[-1].startswith("cross")
    with pytest.raises(ValueError):
        scan.build_probe(ctx, "bert-tiny", "no mask here")
    with pytest.raises(ValueError):
        scan.ablated_prediction_job(ctx, "gpt-tiny", "a dog", ((0, 99),))
    with pytest.raises(ValueError):
        scan.ablated_prediction_job(ctx, "gpt-tiny", "a dog", (), "halve")
