"""A GRU encoder-decoder, with (multiplicative) attention or with only the final context vector.

Encoder: h^1..h^M = GRU(embed(x)); the context vector is the final state h^M. With a bi-directional
encoder (the bundled models), h^i = W_h [forward state i; backward state i] sees the whole sentence
around word i, and the context vector is tanh(W_f [last forward state; last backward state]).
Decoder state s_t = GRU([embed(y_(t-1)); h^M], s_(t-1)), starting from s_0 = h^M (the bundled
attention model reads only embed(y_(t-1)) there: ``context_input=False``, so that what it knows of
the sentence beyond s_0 comes through attention). Then
  with attention:    e_t^i = s_t . (W_a h^i) (/ sqrt(dim) in the bundled model),  alpha_t = softmax(e_t),
                     c^t = sum_i alpha_t^i h^i
                     P(y_t) = softmax(W_o tanh(W_c [s_t; c^t]))
  without attention: P(y_t) = softmax(W_o tanh(W_c [s_t; h^M]))  (the one fixed context vector)
Attention is computed on the decoder states (as in Luong et al. 2015), so training runs every
step at once; decoding for the lesson goes one step at a time through :meth:`Seq2Seq.step`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class Seq2SeqConfig:
    source_vocab: int
    target_vocab: int
    dim: int = 256
    attention: bool = True
    dropout: float = 0.2
    bidirectional: bool = False
    context_input: bool = True  # feed h^M to the decoder at every step
    scaled: bool = False  # divide the attention scores by sqrt(dim), so that early softmaxes are not saturated

    def to_json(self) -> dict:
        return asdict(self)


class Seq2Seq(nn.Module):
    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        d = config.dim
        self.config = config
        self.src_embed = nn.Embedding(config.source_vocab, d, padding_idx=0)
        self.tgt_embed = nn.Embedding(config.target_vocab, d, padding_idx=0)
        self.encoder = nn.GRU(d, d, batch_first=True, bidirectional=config.bidirectional)
        if config.bidirectional:
            self.enc_states = nn.Linear(2 * d, d, bias=False)  # [forward; backward] state of word i -> h^i
            self.enc_final = nn.Linear(2 * d, d)  # [last forward; last backward] -> the context vector
        self.decoder = nn.GRU(2 * d if config.context_input else d, d, batch_first=True)
        self.w_a = nn.Linear(d, d, bias=False)
        self.w_c = nn.Linear(2 * d, d)
        self.out = nn.Linear(d, config.target_vocab)
        self.drop = nn.Dropout(config.dropout)

    def encode(self, src: torch.Tensor):
        """src (B, M) -> encoder states (B, M, D), context vector h^M (B, D), mask (B, M) True at real tokens."""
        mask = src != 0
        lengths = mask.sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            self.drop(self.src_embed(src)), lengths, batch_first=True, enforce_sorted=False
        )
        out, last = self.encoder(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        if not self.config.bidirectional:
            return states, last[0], mask
        final = torch.tanh(self.enc_final(torch.cat([last[0], last[1]], dim=-1)))  # (B, D)
        return self.enc_states(states), final, mask

    def attend(self, s: torch.Tensor, states: torch.Tensor, mask: torch.Tensor):
        """s (B, N, D) decoder states -> alpha (B, N, M) and contexts c (B, N, D)."""
        scores = torch.bmm(s, self.w_a(states).transpose(1, 2))  # (B, N, M)  e = s . W_a h
        if self.config.scaled:
            scores = scores / self.config.dim**0.5
        scores = scores.masked_fill(~mask.unsqueeze(1), float("-inf"))
        alpha = torch.softmax(scores, dim=-1)  # (B, N, M) each row sums to 1 over the source words
        return alpha, torch.bmm(alpha, states)  # c^t = sum_i alpha_t^i h^i

    def decode(self, tgt_in: torch.Tensor, states, final, mask, s0: torch.Tensor | None = None):
        """tgt_in (B, N) -> logits (B, N, V), alpha (B, N, M) or None, last state (1, B, D)."""
        emb = self.drop(self.tgt_embed(tgt_in))  # (B, N, D)
        fixed = final.unsqueeze(1).expand(-1, tgt_in.shape[1], -1)  # (B, N, D) h^M at every step
        inputs = torch.cat([emb, fixed], dim=-1) if self.config.context_input else emb
        s, last = self.decoder(inputs, final.unsqueeze(0) if s0 is None else s0)
        if self.config.attention:
            alpha, context = self.attend(s, states, mask)
        else:
            alpha, context = None, fixed
        logits = self.out(self.drop(torch.tanh(self.w_c(torch.cat([s, context], dim=-1)))))  # (B, N, V)
        return logits, alpha, last

    def read(self, tgt_in: torch.Tensor, states, final, mask):
        """Teacher forcing over ``tgt_in`` (B, N) in one pass (eval) -> logits (B, N, V), alpha (B, N, M) or None,
        contexts (B, N, D) and the decoder states s_1..s_N (B, N, D): what ``step`` gives at each position, fed
        those words one after another."""
        emb = self.tgt_embed(tgt_in)
        fixed = final.unsqueeze(1).expand(-1, tgt_in.shape[1], -1)
        inputs = torch.cat([emb, fixed], dim=-1) if self.config.context_input else emb
        s, _last = self.decoder(inputs, final.unsqueeze(0))
        if self.config.attention:
            alpha, context = self.attend(s, states, mask)
        else:
            alpha, context = None, fixed
        return self.out(torch.tanh(self.w_c(torch.cat([s, context], dim=-1)))), alpha, context, s

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: src (B, M), tgt_in (B, N) starting with <start> -> logits (B, N, V)."""
        states, final, mask = self.encode(src)
        logits, _, _ = self.decode(tgt_in, states, final, mask)
        return logits

    def step(self, prev: torch.Tensor, s, states, mask, final):
        """One decoding step: prev (B,) -> logits (B, V), state (1, B, D), alpha (B, M) or None."""
        logits, alpha, last = self.decode(prev.unsqueeze(1), states, final, mask, s)
        return logits[:, 0], last, None if alpha is None else alpha[:, 0]
