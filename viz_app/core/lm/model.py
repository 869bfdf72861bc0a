"""The tiny BERT and the tiny GPT: the same stack of Transformer blocks, two masks, two objectives.

Both reuse the Transformer lesson's readable block (``transformer.model.EncoderLayer``: multi-head
attention that records q, k, v, scores, weights and each head's Z, then Add & Normalize, feed-forward,
Add & Normalize), with learned position embeddings as in BERT and GPT.
- BERT (``causal=False``) lets every token see every other one; it adds segment embeddings (sentence
  A / B), a masked-language-model head (dense, GELU, LayerNorm, then the token embeddings transposed),
  a next-sentence head on [CLS], and a sentiment head fine-tuned later.
- GPT (``causal=True``) lets a token see only those before it (the empty upper triangle of its
  attention maps) and predicts the next token through the token embeddings transposed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from viz_app.core.transformer.model import EncoderLayer


@dataclass(frozen=True)
class LMConfig:
    vocab: int
    causal: bool
    d_model: int = 256
    heads: int = 8
    layers: int = 4
    d_ff: int = 1024
    dropout: float = 0.1
    max_len: int = 256

    def to_json(self) -> dict:
        return asdict(self)


class TinyLM(nn.Module):
    def __init__(self, config: LMConfig):
        super().__init__()
        c = self.config = config
        self.tokens = nn.Embedding(c.vocab, c.d_model, padding_idx=0)
        self.positions = nn.Embedding(c.max_len, c.d_model)
        self.segments = None if c.causal else nn.Embedding(2, c.d_model)
        self.embed_norm = nn.LayerNorm(c.d_model)
        self.drop = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(EncoderLayer(c) for _ in range(c.layers))
        if c.causal:
            self.mlm_transform = None
        else:
            self.mlm_transform = nn.Sequential(nn.Linear(c.d_model, c.d_model), nn.GELU(), nn.LayerNorm(c.d_model))
            self.pooler = nn.Sequential(nn.Linear(c.d_model, c.d_model), nn.Tanh())
            self.nsp = nn.Linear(c.d_model, 2)
            self.sentiment = nn.Linear(c.d_model, 2)
        self.out_bias = nn.Parameter(torch.zeros(c.vocab))
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def mask(self, ids: torch.Tensor) -> torch.Tensor:
        """(B, 1, T, T) True where a query token may look at a key token."""
        t = ids.shape[1]
        allowed = (ids != 0)[:, None, None, :].expand(-1, 1, t, t)
        if self.config.causal:
            allowed = allowed & torch.tril(torch.ones(t, t, dtype=torch.bool, device=ids.device))
        # Every token may look at itself: a row with nothing to attend to would be NaN and spread to every layer.
        return allowed | torch.eye(t, dtype=torch.bool, device=ids.device)

    def forward(self, ids: torch.Tensor, segments: torch.Tensor | None = None, record: dict | None = None):
        """ids (B, T) -> hidden states (B, T, D) of the last block. ``record`` receives "embedding"
        (B, T, D) and "layers": per block {"self": attention record, "output": (B, T, D)}."""
        if ids.shape[1] > self.config.max_len:
            raise ValueError(f"at most {self.config.max_len} tokens")
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.tokens(ids) + self.positions(pos)[None]
        if self.segments is not None:
            x = x + self.segments(segments if segments is not None else torch.zeros_like(ids))
        x = self.drop(self.embed_norm(x))
        if record is not None:
            record["embedding"] = x
            record["layers"] = []
        mask = self.mask(ids)
        for block in self.blocks:
            rec = {} if record is not None else None
            x = block(x, mask, rec)
            if record is not None:
                record["layers"].append(rec)
        return x

    def step(self, ids: torch.Tensor, cache: dict, record: dict | None = None) -> torch.Tensor:
        """Incremental forward for generation (GPT, eval): ``ids`` (B, n) are the tokens after the ``cache``'s
        (n = 1 for one decoding step, the whole window for a prefill); -> their hidden states (B, n, D), the
        same numbers as ``forward`` on the whole sequence gives at those positions. ``cache`` (a dict, empty
        at first) keeps each block's keys and values ({block index: {"k", "v"}}) and "length", the positions
        cached so far. No padding inside the sequence (a generated text has none). ``record`` as ``forward``
        (attention records hold the new rows' q against the whole cache's k)."""
        if not self.config.causal:
            raise ValueError("a key/value cache serves a left-to-right model (GPT)")
        start, n = cache.get("length", 0), ids.shape[1]
        if start + n > self.config.max_len:
            raise ValueError(f"at most {self.config.max_len} tokens")
        pos = torch.arange(start, start + n, device=ids.device)
        x = self.drop(self.embed_norm(self.tokens(ids) + self.positions(pos)[None]))
        mask = None
        if n > 1:  # a prefill: each new position sees the cached ones and the new ones up to itself
            keys = torch.arange(start + n, device=ids.device)
            mask = (keys[None, :] <= pos[:, None])[None, None]
        if record is not None:
            record["embedding"] = x
            record["layers"] = []
        for i, block in enumerate(self.blocks):
            rec = {} if record is not None else None
            x = block.step(x, cache.setdefault(i, {}), mask, rec)
            if record is not None:
                record["layers"].append(rec)
        cache["length"] = start + n
        return x

    def token_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Hidden states (..., D) -> scores over the vocabulary (..., V): the masked-word head for BERT,
        the next-word head for GPT (both read through the token embeddings, transposed)."""
        if self.mlm_transform is not None:
            hidden = self.mlm_transform(hidden)
        return hidden @ self.tokens.weight.T + self.out_bias

    def pooled(self, hidden: torch.Tensor) -> torch.Tensor:
        """BERT's summary of a sequence: the [CLS] position through a dense layer and tanh."""
        return self.pooler(hidden[:, 0])


def parameter_count(model: nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters()))


def load_weights(path, config: LMConfig, extra_paths=()) -> TinyLM:
    """A model from a safetensors file (float16 as trained, or int8 as bundled), plus optional files
    whose tensors replace some of it (the fine-tuned sentiment block)."""
    from safetensors.torch import load_file

    from viz_app.core.quantize import dequantize

    model = TinyLM(config)
    state = dequantize(load_file(str(path)))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or any(not m.startswith("sentiment.") for m in missing):  # the head may come separately
        raise ValueError(f"{path}: weights do not fit the model (missing {missing[:3]}, unexpected {unexpected[:3]})")
    for extra in extra_paths:
        model.load_state_dict(dequantize(load_file(str(extra))), strict=False)
    model.eval()
    return model


def load_trained(folder, name: str) -> TinyLM:
    """The best weights of a training run folder (NAME.card.json + NAME.safetensors)."""
    import json
    from pathlib import Path

    folder = Path(folder)
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    return load_weights(folder / f"{name}.safetensors", LMConfig(**card["model_config"]))
