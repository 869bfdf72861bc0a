"""The four attribution methods, written out with plain torch (no Captum), and their result.

Every method answers "how much did each input token count for this prediction?" with one number per token:
- ``grad-x-input``: the gradient of the target score with respect to each token's embedding (the output of
  the token-embedding lookup, before positions are added), times that embedding, summed over its dimensions;
- ``integrated-gradients`` (Sundararajan et al. 2017): the same product, with the gradient averaged along the
  straight line from a baseline (every token the [PAD] embedding) to the input (midpoint rule), so that the
  numbers add up to f(input) - f(baseline) ("completeness"; the result reports how close they come);
- ``attention``: the last layer's attention weights from the predicted position, the mean over the heads;
- ``rollout`` (Abnar & Zuidema 2020): per layer the heads' mean plus the identity (the residual path), each
  row renormalised, multiplied through the layers; the predicted position's row (it sums to 1).
The target score f is the log-probability (log-softmax) of the target token or label.

A score function maps token embeddings (B, T, D) to the target score of each of the B inputs (B,); the model
reads them through :func:`replaced_output` (a forward hook on its embedding module), the token ids (and so the
attention mask) held fixed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from viz_app.core.messages import msg

METHODS = ("grad-x-input", "integrated-gradients", "attention", "rollout")
AUTO_STEPS = (32, 64, 128, 256, 512)  # integrated gradients without ``steps``: doubled until complete enough
AUTO_TOLERANCE = 0.01  # relative completeness error at which the doubling stops
MAX_STEPS = 4096
CHUNK = 64  # path points per forward pass


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(
            msg("unknown method {method}: use one of {methods}", method=method, methods=", ".join(METHODS))
        )


def check_steps(steps: int | None) -> None:
    if steps is not None and not 1 <= int(steps) <= MAX_STEPS:
        raise ValueError(msg("the number of steps must be between 1 and {most}", most=MAX_STEPS))


@contextmanager
def replaced_output(module, value):
    """``module`` (an ``nn.Embedding``) returns ``value`` instead of its lookup while inside."""
    handle = module.register_forward_hook(lambda mod, args, out: value)
    try:
        yield
    finally:
        handle.remove()


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def grad_x_input(score: Callable, x) -> tuple[np.ndarray, float]:
    """x (T, D) the input's token embeddings -> (per-token gradient x input (T,), f(x))."""
    import torch

    with torch.enable_grad():
        e = x.detach().clone()[None].requires_grad_(True)
        f = score(e)
        (g,) = torch.autograd.grad(f.sum(), e)
    attr = (g[0].cpu().double() * x.detach().cpu().double()).sum(-1)
    return attr.numpy(), float(f[0].detach())


def _ig_once(score: Callable, x, baseline, steps: int):
    import torch

    diff = (x - baseline).detach()
    total = torch.zeros(x.shape, dtype=torch.float64)  # on the CPU: MPS has no float64
    alphas = (torch.arange(steps, dtype=torch.float64) + 0.5) / steps  # the midpoint of each of ``steps`` slices
    with torch.enable_grad():
        for a in alphas.split(CHUNK):
            a = a.to(device=x.device, dtype=x.dtype)[:, None, None]
            e = (baseline.detach()[None] + a * diff[None]).requires_grad_(True)
            (g,) = torch.autograd.grad(score(e).sum(), e)
            total += g.sum(0).cpu().double()
    return (diff.cpu().double() * total / steps).sum(-1).numpy()


def wide(t):
    """``t`` in float64 for the log-softmax, float32 on Apple's MPS (which has no float64)."""
    return t.float() if t.device.type == "mps" else t.double()


def completeness_error(attr: np.ndarray, f_x: float, f_base: float) -> float:
    """|sum of attributions - (f(x) - f(baseline))| relative to |f(x) - f(baseline)| (absolute when that is
    below 1e-6)."""
    gap = f_x - f_base
    return float(abs(float(np.sum(attr)) - gap) / max(abs(gap), 1e-6))


def integrated_gradients(score: Callable, x, baseline, steps: int | None = None):
    """x, baseline (T, D) -> (attributions (T,), f(x), f(baseline), steps used, completeness error).
    ``steps`` None: 32, then doubled (up to 512) until the completeness error is at most 1%."""
    import torch

    with torch.no_grad():
        f_x = float(score(x.detach()[None])[0])
        f_base = float(score(baseline.detach()[None])[0])
    for n in (int(steps),) if steps is not None else AUTO_STEPS:
        attr = _ig_once(score, x, baseline, n)
        err = completeness_error(attr, f_x, f_base)
        if err <= AUTO_TOLERANCE:
            break
    return attr, f_x, f_base, n, err


def _mean_heads(weights) -> np.ndarray:
    """(H, Tq, Tk) or (Tq, Tk) attention weights (torch or numpy) -> (Tq, Tk) float64."""
    a = weights.detach().cpu().double().numpy() if hasattr(weights, "detach") else np.asarray(weights, np.float64)
    return a.mean(0) if a.ndim == 3 else a


def attention_row(layers: Sequence, position: int) -> np.ndarray:
    """The last layer's attention from ``position`` (mean over heads); ``layers``: per layer (H, T, T)."""
    return _mean_heads(layers[-1])[position].copy()


def rollout_matrix(layers: Sequence) -> np.ndarray:
    """Attention rollout over ``layers`` (per layer (H, T, T), first layer first) -> (T, T), rows summing to 1."""
    joint = None
    for w in layers:
        a = _mean_heads(w)
        a = a + np.eye(a.shape[-1])
        a = a / a.sum(-1, keepdims=True)
        joint = a if joint is None else a @ joint
    return joint


def rollout_row(layers: Sequence, position: int) -> np.ndarray:
    return rollout_matrix(layers)[position].copy()


@dataclass(frozen=True)
class Explanation:
    model: str
    kind: str  # "gpt", "bert", "bert-sentiment", "transformer"
    method: str
    tokens: tuple[str, ...]  # the input tokens attributed (the source sentence for the Transformer)
    attributions: np.ndarray  # (len(tokens),) float64
    target: str  # the token / label whose score is explained
    target_score: float  # its log-probability
    baseline_score: float | None  # its log-probability at the baseline (integrated gradients)
    completeness_error: float | None  # |sum(attributions) - (target - baseline score)| / |target - baseline score|
    steps: int | None  # integrated gradients' path points
    device: str
    position: int = 0  # the predicted position: in ``tokens`` (GPT, BERT, [CLS] for sentiment), in ``context``
    baseline: str | None = None  # "pad" (every token the [PAD] embedding) or "zeros" (integrated gradients)
    context: tuple[str, ...] = ()  # the Transformer's decoder input (held fixed): <start> and the words before
    seconds: float = 0.0

    def to_json(self) -> dict:
        attributions = [_finite(v) for v in np.asarray(self.attributions, np.float64).tolist()]
        return {
            "model": self.model, "kind": self.kind, "method": self.method, "tokens": list(self.tokens),
            "attributions": attributions, "target": self.target, "target_score": _finite(self.target_score),
            "target_prob": _finite(math.exp(self.target_score)), "baseline_score": _finite(self.baseline_score),
            "baseline": self.baseline, "completeness_error": _finite(self.completeness_error), "steps": self.steps,
            "position": self.position, "context": list(self.context), "seconds": _finite(self.seconds),
            "device": self.device,
        }  # fmt: skip
