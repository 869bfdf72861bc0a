"""A word-level LSTM language model whose gates can be read out.

Training uses torch's fused ``nn.LSTM`` (fast); the lesson runs the same weights
through :func:`lstm_layer_steps`, written gate by gate, so that every value shown is
the one computed (tests check both give the same outputs):

    i_t = sigmoid(W_ii x_t + b_ii + W_hi h_(t-1) + b_hi)    # input gate
    f_t = sigmoid(W_if x_t + b_if + W_hf h_(t-1) + b_hf)    # forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_(t-1) + b_hg)       # candidate
    o_t = sigmoid(W_io x_t + b_io + W_ho h_(t-1) + b_ho)    # output gate
    c_t = f_t * c_(t-1) + i_t * g_t                          # cell state (the memory)
    h_t = o_t * tanh(c_t)                                    # hidden state
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class LstmConfig:
    vocab_size: int = 10000
    dim: int = 256  # embedding size = hidden size, so input and output embeddings can be tied
    layers: int = 1
    dropout: float = 0.2

    def to_json(self) -> dict:
        return asdict(self)


class LstmLanguageModel(nn.Module):
    def __init__(self, config: LstmConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.dim)
        self.drop = nn.Dropout(config.dropout)
        self.lstm = nn.LSTM(
            config.dim,
            config.dim,
            num_layers=config.layers,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.out_bias = nn.Parameter(torch.zeros(config.vocab_size))  # output weights are the embedding (tied)

    def forward(self, ids: torch.Tensor, state=None):
        x = self.drop(self.embed(ids))  # (B, T, D)
        h, state = self.lstm(x, state)  # (B, T, D)
        logits = self.drop(h) @ self.embed.weight.T + self.out_bias  # (B, T, V)
        return logits, state


@dataclass(frozen=True)
class GateTrace:
    """One layer's values at every step: each (T, units)."""

    i: torch.Tensor
    f: torch.Tensor
    g: torch.Tensor
    o: torch.Tensor
    c: torch.Tensor
    h: torch.Tensor


def lstm_layer_steps(
    x: torch.Tensor,
    w_ih: torch.Tensor,
    w_hh: torch.Tensor,
    b_ih: torch.Tensor,
    b_hh: torch.Tensor,
    h0: torch.Tensor | None = None,
    c0: torch.Tensor | None = None,
) -> GateTrace:
    """Run one LSTM layer over x (T, D_in) step by step, keeping every gate (torch's weight layout: i, f, g, o)."""
    units = w_hh.shape[1]
    h = torch.zeros(units) if h0 is None else h0  # (H,)
    c = torch.zeros(units) if c0 is None else c0  # (H,)
    rows = {k: [] for k in "ifgoch"}
    for t in range(x.shape[0]):
        z = w_ih @ x[t] + b_ih + w_hh @ h + b_hh  # (4H,) all four pre-activations at once
        zi, zf, zg, zo = z.split(units)  # (H,) each
        i, f, g, o = torch.sigmoid(zi), torch.sigmoid(zf), torch.tanh(zg), torch.sigmoid(zo)
        c = f * c + i * g  # keep part of the old memory, write part of the candidate
        h = o * torch.tanh(c)  # show part of the memory
        for k, v in zip("ifgoch", (i, f, g, o, c, h), strict=True):
            rows[k].append(v)
    return GateTrace(**{k: torch.stack(v) if v else torch.zeros(0, units) for k, v in rows.items()})


@torch.no_grad()
def run_with_gates(model: LstmLanguageModel, ids: list[int]) -> tuple[list[GateTrace], torch.Tensor]:
    """All layers' gates for one sequence, and the next-word logits at every step (T, V)."""
    model.eval()
    x = model.embed(torch.tensor(ids, dtype=torch.long))  # (T, D)
    traces = []
    for layer in range(model.config.layers):
        trace = lstm_layer_steps(
            x,
            getattr(model.lstm, f"weight_ih_l{layer}"),
            getattr(model.lstm, f"weight_hh_l{layer}"),
            getattr(model.lstm, f"bias_ih_l{layer}"),
            getattr(model.lstm, f"bias_hh_l{layer}"),
        )
        traces.append(trace)
        x = trace.h  # (T, H) the next layer reads this layer's hidden states
    logits = x @ model.embed.weight.T + model.out_bias  # (T, V)
    return traces, logits
