"""Switching attention heads off: the mechanics, for the tiny GPT and BERT and the Transformer.

A head's output is its z = softmax(q.k / sqrt(d_k)) v (one d_k-wide slice of the concatenation that W^O reads).
Switching a head off replaces that z, at every position, either
- by zeros ("zero"): the head adds nothing through W^O. W^O's bias belongs to no head and stays: with every
  head of a layer off, that attention block outputs exactly W^O's bias at each position, and the layer's
  residual path (x + that bias, then Add & Normalize) is all that remains; or
- by the head's mean z over a reference text ("mean"): the head still adds its average contribution, but no
  longer anything that depends on the text in front of it (a gentler test than zeroing, which also removes
  the average).
Which heads are off is a setting on the attention modules (``MultiHeadAttention.ablated``) made by
:func:`ablate` and undone when it ends, so every forward pass in between (the model's own code) sees it.
The heads are numbered by (row, head), rows as :func:`attention_modules` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

MODES = ("zero", "mean")


def attention_modules(model) -> list[tuple[str, object]]:
    """(a short label, the ``MultiHeadAttention``) for each attention block of ``model``, in order: a TinyLM's
    blocks ("layer 1" ..), a Transformer's encoder self-attention ("encoder 1" ..), then its decoder's masked
    self-attention ("decoder 1" ..) and its cross-attention ("cross 1" ..)."""
    if hasattr(model, "blocks"):
        return [(f"layer {i + 1}", b.self_attn) for i, b in enumerate(model.blocks)]
    rows = [(f"encoder {i + 1}", layer.self_attn) for i, layer in enumerate(model.encoder)]
    rows += [(f"decoder {i + 1}", layer.self_attn) for i, layer in enumerate(model.decoder)]
    rows += [(f"cross {i + 1}", layer.cross_attn) for i, layer in enumerate(model.decoder)]
    return rows


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


@contextmanager
def ablate(model, heads: Iterable[tuple[int, int]], mode: str = "zero", means=None):
    """Within the block, the given (row, head) pairs of ``model`` are switched off: their z zeroed ("zero") or
    replaced by ``means[row][head]`` ("mean", ``means`` from :func:`head_means`). No heads: the model as it is
    (the same numbers, bit for bit)."""
    check_mode(mode)
    rows = attention_modules(model)
    chosen: dict[int, dict] = {}
    for row, head in heads:
        if not (0 <= row < len(rows) and 0 <= head < rows[row][1].heads):
            raise ValueError(f"no head {head} in row {row}")
        if mode == "mean" and means is None:
            raise ValueError("the mean mode needs the heads' means over a reference text")
        chosen.setdefault(row, {})[head] = None if mode == "zero" else means[row][head]
    try:
        for row, gates in chosen.items():
            rows[row][1].ablated = gates
        yield
    finally:
        for row in chosen:
            rows[row][1].__dict__.pop("ablated", None)


def head_means(model, run: Callable[[], object]) -> list:
    """Each head's mean output z over the positions of one pass, ``run()`` (the model on a reference text):
    a list per row of ``attention_modules`` of (heads, d_k) tensors."""
    rows = attention_modules(model)
    sinks: list[list] = [[] for _ in rows]
    try:
        for (_, module), sink in zip(rows, sinks, strict=True):
            module.z_probe = sink
        run()
    finally:
        for _, module in rows:
            module.__dict__.pop("z_probe", None)
    import torch

    means = []
    for sink in sinks:
        z = torch.cat([part[0] for part in sink], dim=1)  # (h, all positions, d_k) of the first sentence
        means.append(z.mean(dim=1))
    return means
