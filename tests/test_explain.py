"""Why this prediction? Attributions that add up (integrated gradients), agree with autograd (gradient x
input), give exactly 0 to a token the model cannot see, and a command line that answers in JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from viz_app.cli import main
from viz_app.core import explain as ex
from viz_app.core.explain import attribution
from viz_app.core.jobs import JobContext, Request
from viz_app.core.registry import ModelStore

CASES = {
    "gpt-tiny": ("once upon a time there was a little", {}),
    "bert-tiny": ("the cat sat on the [MASK].", {}),
    "bert-sentiment": ("a wonderful film, i loved every minute of it", {}),
    "transformer": ("je suis étudiant .", {"position": 1}),
}


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


@pytest.mark.parametrize("name", list(CASES))
def test_integrated_gradients_add_up_to_the_score_change(ctx, name):
    text, kw = CASES[name]
    e = ex.explain_job(ctx, name, text, "integrated-gradients", **kw)
    assert e.baseline == "pad" and e.steps is not None and e.device == "cpu"
    gap = e.target_score - e.baseline_score
    assert abs(gap) > 1e-3  # something to explain
    assert abs(e.attributions.sum() - gap) <= 0.02 * abs(gap)
    assert e.completeness_error == pytest.approx(abs(e.attributions.sum() - gap) / abs(gap))
    assert e.completeness_error <= 0.02 and len(e.attributions) == len(e.tokens)
    # the target is the top prediction, and its score is what the model itself gives it
    top = ex.explain_job(ctx, name, text, "attention", **kw)
    assert top.target == e.target and top.target_score == pytest.approx(e.target_score, abs=1e-5)
    data = e.to_json()
    json.dumps(data, allow_nan=False)
    assert set(data) >= {"tokens", "attributions", "target", "method", "model", "completeness_error", "steps"}


def test_fixed_steps_are_used_and_more_steps_are_closer(ctx):
    text, _ = CASES["gpt-tiny"]
    few = ex.explain_job(ctx, "gpt-tiny", text, "integrated-gradients", steps=4)
    many = ex.explain_job(ctx, "gpt-tiny", text, "integrated-gradients", steps=128)
    assert few.steps == 4 and many.steps == 128
    assert many.completeness_error < 0.02 and many.completeness_error <= few.completeness_error


def test_grad_x_input_and_integrated_gradients_on_a_linear_toy():
    g = torch.Generator().manual_seed(0)
    w, x = torch.randn(5, 3, generator=g), torch.randn(5, 3, generator=g)
    score = lambda e: (e * w).sum((1, 2))  # noqa: E731 - f(e) = <w, e>: gradient w everywhere
    attr, f_x = attribution.grad_x_input(score, x)
    np.testing.assert_allclose(attr, (w * x).sum(-1).double().numpy(), rtol=1e-6)
    assert f_x == pytest.approx(float((w * x).sum()), rel=1e-6)
    base = torch.zeros_like(x)
    ig, fx, fb, steps, err = attribution.integrated_gradients(score, x, base, steps=3)
    np.testing.assert_allclose(ig, attr, rtol=1e-6)  # linear: IG from zero is gradient x input, exactly complete
    assert steps == 3 and err < 1e-6 and fb == 0.0


def test_grad_x_input_matches_autograd_through_the_model_by_hand(ctx):
    """The hook on the embedding lookup gives the same numbers as autograd on the GPT written out by hand."""
    text, _ = CASES["gpt-tiny"]
    e = ex.explain_job(ctx, "gpt-tiny", text, "grad-x-input")
    from viz_app.core.lessons.lm import model as loaded
    from viz_app.core.lm import probes

    lm = loaded(ctx, "gpt-tiny")
    net = lm.model
    ids = torch.tensor([probes.prepare(lm, text, keep="end").ids])
    words = net.tokens(ids).detach().requires_grad_(True)
    h = net.embed_norm(words + net.positions(torch.arange(ids.shape[1]))[None])
    mask = net.mask(ids)
    for block in net.blocks:
        h = block(h, mask)
    logp = torch.log_softmax(net.token_logits(h[:, -1]).double(), -1)[0]
    tid = int(logp.argmax())
    (grad,) = torch.autograd.grad(logp[tid], words)
    expected = (grad[0].double() * words[0].double()).sum(-1).detach().numpy()
    assert lm.token_text(tid) == e.target and float(logp[tid].detach()) == pytest.approx(e.target_score, abs=1e-6)
    np.testing.assert_allclose(e.attributions, expected, rtol=1e-4, atol=1e-7)
    assert e.attributions[0] != 0.0  # the start token is seen by the last position: it can matter, and does


@pytest.mark.parametrize("method", ex.METHODS)
def test_a_masked_out_padding_token_gets_exactly_zero(ctx, method):
    from viz_app.core.lessons.lm import model as loaded
    from viz_app.core.lm import probes

    lm = loaded(ctx, "bert-tiny")
    p = probes.prepare(lm, CASES["bert-tiny"][0])
    position = p.ids.index(lm.mask_id)
    padded = p.ids + [lm.tok.pad, lm.tok.pad]  # [PAD]s after [SEP]: masked out of every token's attention
    plain = ex.explain(ex.lm_subject(lm, p.ids, position), method, steps=64)
    with_pad = ex.explain(ex.lm_subject(lm, padded, position), method, steps=64)
    assert with_pad.tokens[-2:] == ("[PAD]", "[PAD]")
    assert with_pad.attributions[-2:].tolist() == [0.0, 0.0]
    assert with_pad.target == plain.target
    np.testing.assert_allclose(with_pad.attributions[:-2], plain.attributions, rtol=1e-4, atol=1e-6)
    # The GPT: a [PAD] inside the window, before the predicted position, is masked out too.
    gpt = loaded(ctx, "gpt-tiny")
    ids = probes.prepare(gpt, CASES["gpt-tiny"][0], keep="end").ids
    ids = ids[:3] + [gpt.tok.pad] + ids[3:]
    e = ex.explain(ex.lm_subject(gpt, ids, len(ids) - 1), method, steps=32)
    assert e.attributions[3] == 0.0 and np.count_nonzero(e.attributions) == len(ids) - 1


def test_attention_and_rollout_rows(ctx):
    for name in ("gpt-tiny", "bert-tiny", "transformer"):
        text, kw = CASES[name]
        att = ex.explain_job(ctx, name, text, "attention", **kw).attributions
        roll = ex.explain_job(ctx, name, text, "rollout", **kw).attributions
        assert (att >= 0).all() and (roll >= 0).all()
        assert att.sum() == pytest.approx(1.0, abs=1e-5) and roll.sum() == pytest.approx(1.0, abs=1e-6)
    layers = [np.full((2, 3, 3), 1 / 3)]  # uniform attention: rollout (A + I) / 2 row-normalised
    np.testing.assert_allclose(attribution.rollout_row(layers, 0), [2 / 3, 1 / 6, 1 / 6])


def test_targets_and_bad_input(ctx):
    text, _ = CASES["gpt-tiny"]
    boy = ex.explain_job(ctx, "gpt-tiny", text, "grad-x-input", target="boy")
    assert boy.target == "boy"
    two = ex.explain_job(ctx, "bert-tiny", "the [MASK] sat on the [MASK].", "attention", mask_index=1)
    assert two.tokens[two.position] == "[MASK]" and two.position == 6
    neg = ex.explain_job(ctx, "bert-sentiment", CASES["bert-sentiment"][0], "attention", label="negative")
    assert neg.target == "negative" and neg.position == 0
    end = ex.explain_job(ctx, "transformer", "je suis étudiant .", "grad-x-input", position=4)
    assert end.context[0] == "<start>" and len(end.context) == 5
    bad = [
        ("gpt-tiny", "", {}),
        ("gpt-tiny", "   ", {}),
        ("bert-tiny", "no mask here", {}),
        ("bert-tiny", "one [MASK]", {"mask_index": 1}),
        ("gpt-tiny", text, {"target": "notawordatallxyz"}),
        ("bert-sentiment", "fine", {"label": "neutral"}),
        ("transformer", "je suis étudiant .", {"position": 99}),
        ("transformer", "je suis étudiant .", {"target": "notawordatallxyz"}),
    ]
    for name, t, kw in bad:
        with pytest.raises(ValueError):
            ex.explain_job(ctx, name, t, "grad-x-input", **kw)
    with pytest.raises(ValueError):
        ex.explain_job(ctx, "gpt-tiny", text, "saliency")
    with pytest.raises(ValueError):
        ex.explain_job(ctx, "gpt-tiny", text, "integrated-gradients", steps=0)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_and_usage_errors(capsys):
    from viz_app.cli import explain as cli_explain

    assert cli_explain.METHODS == ex.METHODS
    code, out, _ = run_cli(capsys, "explain", "the cat sat on the [MASK].", "--model", "bert-tiny", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["tokens"]) == len(data["attributions"]) and data["method"] == "integrated-gradients"
    assert data["model"] == "bert-tiny" and data["completeness_error"] <= 0.02 and data["target"]
    code, out, _ = run_cli(capsys, "explain", "je suis étudiant .", "--model", "transformer", "--method", "rollout")
    assert code == 0 and "after: <start>" in out and out.splitlines()[2].startswith("je")
    for argv in (
        ("explain", "a dog", "--method", "saliency"),
        ("explain", "no mask here", "--model", "bert-tiny"),
        ("explain", "a dog", "--model", "bow-sentiment"),
        ("explain", "a dog", "--label", "positive"),
        ("explain", "a dog", "--method", "attention", "--steps", "8"),
        ("explain", "a dog", "--target", "notawordatallxyz"),
    ):
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, (argv, err)
