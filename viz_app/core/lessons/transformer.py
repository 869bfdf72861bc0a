"""What the self-attention and Transformer lessons compute besides the model's own numbers (Qt-free).

* the Transformer lesson's job: a translation (or a couplet's second line) with every attention weight;
* positional encoding: the sinusoid table and the dot products between positions;
* parallel vs sequential: which earlier results each output waits for, in an RNN and in self-attention;
* a stacked 1-D CNN: the span of input words a unit in each layer can see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODEL = "transformer"
COUPLET_MODEL = "couplet-transformer"  # the same architecture trained on the Tang poems' couplets
DEFAULT_TEXT = "Thinking Machines"


def task(registry, model: str) -> str:
    """ "translate" (French -> English) or "couplet" (a couplet's first line -> its second), from the model's card."""
    return registry.card(model).extra.get("task", "translate")


def transformer_job(ctx, model: str, text: str):
    """The Transformer lesson's job -> ``probes.Translation``. The couplet writer takes one line of Chinese
    (``couplet.check_first_line``: a ValueError with a message for anything else)."""
    from viz_app.core.transformer import probes

    if task(ctx.models.registry, model) == "couplet":
        from viz_app.core.seq2seq.couplet import check_first_line

        check_first_line(text)
    return probes.translate(ctx.models, model, text, device=ctx.device)


@dataclass(frozen=True)
class PositionalTable:
    encoding: np.ndarray  # (positions, d_model)
    dot: np.ndarray  # (positions, positions): PE[i] . PE[j]

    def to_json(self) -> dict:
        return {"encoding": np.round(self.encoding, 6).tolist(), "dot": np.round(self.dot, 6).tolist()}


def positional_table(positions: int, d_model: int) -> PositionalTable:
    from viz_app.core.transformer.model import positional_encoding

    pe = positional_encoding(max(1, positions), d_model).numpy()
    return PositionalTable(pe, pe @ pe.T)


def rnn_dependencies(n: int) -> list[list[int]]:
    """An RNN's hidden state t needs state t-1 (and word t): a chain, n steps one after another."""
    return [[t - 1] if t else [] for t in range(n)]


def self_attention_dependencies(n: int) -> list[list[int]]:
    """Self-attention's output t reads every input at once: nothing waits, one step for all."""
    return [list(range(n)) for _ in range(n)]


def sequential_steps(n: int, kind: str) -> int:
    """How many steps must run one after another to produce all n outputs."""
    return n if kind == "rnn" else (1 if n else 0)


def cnn_span(layer: int, position: int, n: int, kernel: int = 3) -> tuple[int, int]:
    """Input words (first, last) that unit ``position`` of conv layer ``layer`` (1 = the first) can see,
    with same-padding and stride 1: each layer widens the view by kernel - 1 words."""
    reach = layer * (kernel - 1) // 2
    return max(0, position - reach), min(n - 1, position + reach)
