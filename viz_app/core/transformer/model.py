"""A small Transformer encoder-decoder (Vaswani et al. 2017) written out so every number can be read.

Each attention block keeps, when asked (``record``), its queries, keys and values per head, the raw
scores q.k, the weights softmax(q.k / sqrt(d_k)) and each head's output Z, as well as the block's
output after concatenating the heads and multiplying by W^O. Post-layer-norm ("Add & Normalize"
after each sub-layer, as in the lecture's figure), sinusoidal positional encoding, the target
embedding shared with the output layer.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class TransformerConfig:
    source_vocab: int
    target_vocab: int
    d_model: int = 256
    heads: int = 8
    encoder_layers: int = 3
    decoder_layers: int = 3
    d_ff: int = 1024
    dropout: float = 0.1
    max_len: int = 512

    def to_json(self) -> dict:
        return asdict(self)


def positional_encoding(length: int, d_model: int) -> torch.Tensor:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)) -> (length, d_model)."""
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(pos * rate)
    pe[:, 1::2] = torch.cos(pos * rate)
    return pe


class MultiHeadAttention(nn.Module):
    # Switching heads off (``viz_app.core.ablation.ablate`` sets these on an instance, then removes them):
    # ``ablated`` {head: None (its z set to 0) or a (d_k,) tensor (its z replaced by that mean)}; ``z_probe`` a
    # list that receives each pass's z (B, h, Tq, d_k), to average a head's output over a reference text.
    ablated: dict | None = None
    z_probe: list | None = None

    def _gate(self, z: torch.Tensor) -> torch.Tensor:
        """Each head's output z, with the switched-off heads' replaced; z itself when none is."""
        if self.z_probe is not None:
            self.z_probe.append(z.detach())
        if not self.ablated:
            return z
        z = z.clone()
        for head, value in self.ablated.items():
            z[:, head] = 0.0 if value is None else value.to(z.dtype)
        return z

    def __init__(self, d_model: int, heads: int, dropout: float):
        super().__init__()
        if d_model % heads:
            raise ValueError("d_model must be a multiple of the number of heads")
        self.heads, self.d_k = heads, d_model // heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d_k).transpose(1, 2)  # (B, h, T, d_k)

    def forward(self, x, memory, mask, record: dict | None = None):
        """x (B, Tq, D) attends to memory (B, Tk, D); mask (B or 1, 1, Tq or 1, Tk) True where allowed."""
        q, k, v = self._split(self.w_q(x)), self._split(self.w_k(memory)), self._split(self.w_v(memory))
        raw = q @ k.transpose(-2, -1)  # (B, h, Tq, Tk)  q . k
        scores = (raw / math.sqrt(self.d_k)).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)  # masked positions are exactly 0
        z = self._gate(self.drop(weights) @ v)  # (B, h, Tq, d_k)
        concat = z.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)  # heads side by side: (B, Tq, D)
        out = self.w_o(concat)
        if record is not None:
            record.update(q=q, k=k, v=v, raw_scores=raw, weights=weights, z=z, concat=concat, out=out)
        return out

    def step(self, x, memory, cache: dict, grow: bool, mask=None, record: dict | None = None):
        """One decoding step's attention (eval only). x (B, n, D) is the new positions' input (n = 1 for a
        step, more for a prefill). ``grow``: self-attention, whose keys and values are the positions so far
        (these appended to ``cache``); otherwise cross-attention to ``memory``, whose keys and values are
        computed once and kept in ``cache``. ``mask`` (1, 1, n, all keys), True where allowed: needed only
        when n > 1 (a prefill's causal triangle); a single new position may see every cached key. ``record``
        receives q (B, h, n, d_k), the whole cache k, v (B, h, L, d_k), raw_scores, weights and z. The same
        numbers as ``forward`` on the whole prefix."""
        q = self._split(self.w_q(x))
        if grow:
            k, v = self._split(self.w_k(x)), self._split(self.w_v(x))
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        elif "k" not in cache:
            cache["k"], cache["v"] = self._split(self.w_k(memory)), self._split(self.w_v(memory))
        k, v = cache["k"], cache["v"]
        raw = q @ k.transpose(-2, -1)
        scores = raw / math.sqrt(self.d_k)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        z = self._gate(weights @ v)
        if record is not None:
            record.update(q=q, k=k, v=v, raw_scores=raw, weights=weights, z=z)
        return self.w_o(z.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1))


class FeedForward(nn.Module):
    def __init__(self, d_model: int, d_ff: int, dropout: float):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))

    def forward(self, x):
        return self.net(x)


class EncoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig):
        super().__init__()
        self.self_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.norm1, self.norm2 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x, mask, record: dict | None = None):
        rec = {} if record is not None else None
        x = self.norm1(x + self.drop(self.self_attn(x, x, mask, rec)))
        x = self.norm2(x + self.drop(self.ff(x)))
        if record is not None:
            record["self"] = rec
            record["output"] = x
        return x

    def step(self, x, cache: dict, mask=None, record: dict | None = None):
        """The block on the new positions only (B, n, D), the earlier ones' keys and values from ``cache``
        (eval: no dropout). ``mask`` as in ``MultiHeadAttention.step``."""
        rec = {} if record is not None else None
        x = self.norm1(x + self.self_attn.step(x, None, cache, grow=True, mask=mask, record=rec))
        x = self.norm2(x + self.ff(x))
        if record is not None:
            record["self"] = rec
            record["output"] = x
        return x


class DecoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig):
        super().__init__()
        self.self_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.cross_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(c.d_model) for _ in range(3))
        self.drop = nn.Dropout(c.dropout)

    def forward(self, y, memory, self_mask, cross_mask, record: dict | None = None):
        rec_self = {} if record is not None else None
        rec_cross = {} if record is not None else None
        y = self.norm1(y + self.drop(self.self_attn(y, y, self_mask, rec_self)))
        y = self.norm2(y + self.drop(self.cross_attn(y, memory, cross_mask, rec_cross)))
        y = self.norm3(y + self.drop(self.ff(y)))
        if record is not None:
            record.update(self=rec_self, cross=rec_cross, output=y)
        return y

    def step(self, y, memory, cache: dict):
        """The layer on the newest position only (B, 1, D), the earlier ones' keys and values from ``cache``."""
        y = self.norm1(y + self.self_attn.step(y, memory, cache.setdefault("self", {}), grow=True))
        y = self.norm2(y + self.cross_attn.step(y, memory, cache.setdefault("cross", {}), grow=False))
        return self.norm3(y + self.ff(y))


class Transformer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        c = self.config = config
        self.src_embed = nn.Embedding(c.source_vocab, c.d_model, padding_idx=0)
        self.tgt_embed = nn.Embedding(c.target_vocab, c.d_model, padding_idx=0)
        self.register_buffer("pe", positional_encoding(c.max_len, c.d_model), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(c) for _ in range(c.encoder_layers))
        self.decoder = nn.ModuleList(DecoderLayer(c) for _ in range(c.decoder_layers))
        self.drop = nn.Dropout(c.dropout)
        self.out_bias = nn.Parameter(torch.zeros(c.target_vocab))
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        nn.init.normal_(self.src_embed.weight, std=c.d_model**-0.5)
        nn.init.normal_(self.tgt_embed.weight, std=c.d_model**-0.5)

    def embed(self, table: nn.Embedding, ids: torch.Tensor, record: dict | None = None) -> torch.Tensor:
        """Word embedding x sqrt(d_model) + positional encoding (then dropout while training)."""
        words = table(ids) * math.sqrt(self.config.d_model)
        x = words + self.pe[: ids.shape[1]]
        if record is not None:
            record.update(embedding=words, positional=self.pe[: ids.shape[1]], input=x)
        return self.drop(x)

    def encode(self, src: torch.Tensor, record: dict | None = None):
        """src (B, M) -> memory (B, M, D) and the padding mask (B, 1, 1, M)."""
        if src.shape[1] > self.config.max_len:
            raise ValueError(f"at most {self.config.max_len} tokens")
        mask = (src != 0)[:, None, None, :]
        x = self.embed(self.src_embed, src, record)
        layers = [] if record is not None else None
        for layer in self.encoder:
            rec = {} if record is not None else None
            x = layer(x, mask, rec)
            if layers is not None:
                layers.append(rec)
        if record is not None:
            record["layers"] = layers
        return x, mask

    def decode(
        self, tgt_in: torch.Tensor, memory, src_mask, record: dict | None = None, last_only: bool = False
    ) -> torch.Tensor:
        """tgt_in (B, N) starting with <start> -> logits (B, N, V); each position sees only those before it.
        ``last_only``: the logits of the last position only (B, 1, V), all that a decoding step reads (the
        output layer is the largest product of a step)."""
        n = tgt_in.shape[1]
        causal = torch.tril(torch.ones(n, n, dtype=torch.bool, device=tgt_in.device))
        self_mask = causal[None, None] & (tgt_in != 0)[:, None, None, :]
        y = self.embed(self.tgt_embed, tgt_in, record)
        layers = [] if record is not None else None
        for layer in self.decoder:
            rec = {} if record is not None else None
            y = layer(y, memory, self_mask, src_mask, rec)
            if layers is not None:
                layers.append(rec)
        if record is not None:
            record["layers"] = layers
        if last_only:
            y = y[:, -1:]
        return y @ self.tgt_embed.weight.T + self.out_bias  # output layer shares the target embedding

    def decode_step(self, word: torch.Tensor, position: int, memory, cache: dict) -> torch.Tensor:
        """Incremental decoding (eval, one sentence with no padding in the memory): ``word`` (B, 1) is the
        input at ``position``; -> the logits there (B, V), as ``decode(...)[:, -1]`` of the whole prefix gives
        them, with each layer's earlier keys and values kept in ``cache`` instead of recomputed."""
        y = self.tgt_embed(word) * math.sqrt(self.config.d_model) + self.pe[position : position + 1]
        for i, layer in enumerate(self.decoder):
            y = layer.step(y, memory, cache.setdefault(i, {}))
        return (y @ self.tgt_embed.weight.T + self.out_bias)[:, -1]

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        memory, mask = self.encode(src)
        return self.decode(tgt_in, memory, mask)
