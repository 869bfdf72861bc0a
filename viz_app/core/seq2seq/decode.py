"""Greedy and beam-search decoding, keeping the attention weights of every output word."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Decoded:
    tokens: list[str]  # output words, without <end>
    attention: np.ndarray | None  # (N, M) one row of weights over the source per output word
    score: float  # total log-probability


@torch.no_grad()
def greedy(model, src_ids: list[int], tgt_vocab, max_len: int = 40, forced: list[int] | None = None) -> Decoded:
    """Pick the most probable word at each step (``forced`` words replace the first picks: what-if)."""
    model.eval()
    src = torch.tensor([src_ids])  # (1, M)
    states, final, mask = model.encode(src)
    s, prev = final.unsqueeze(0), torch.tensor([tgt_vocab.start])
    out, rows, total = [], [], 0.0
    for t in range(max_len):
        logits, s, alpha = model.step(prev, s, states, mask, final)
        logp = torch.log_softmax(logits[0], dim=-1)  # (V,)
        word = forced[t] if forced is not None and t < len(forced) else int(logp.argmax())
        total += float(logp[word])
        if alpha is not None:
            rows.append(alpha[0].numpy())
        if word == tgt_vocab.end:
            break
        out.append(tgt_vocab.words[word])
        prev = torch.tensor([word])
    attention = np.stack(rows[: len(out) + 1]) if rows else None
    return Decoded(out, attention, total)


@torch.no_grad()
def beam(model, src_ids: list[int], tgt_vocab, width: int = 5, max_len: int = 40) -> Decoded:
    """Keep the ``width`` best partial outputs at every step; the best finished one wins (length-normalised)."""
    model.eval()
    src = torch.tensor([src_ids])
    states, final, mask = model.encode(src)
    beams = [([], 0.0, final.unsqueeze(0), [])]  # (word ids, log-prob, state, attention rows)
    finished = []
    for _ in range(max_len):
        candidates = []
        for words, score, s, rows in beams:
            prev = torch.tensor([words[-1] if words else tgt_vocab.start])
            logits, s2, alpha = model.step(prev, s, states, mask, final)
            logp = torch.log_softmax(logits[0], dim=-1)
            top = torch.topk(logp, width)
            for lp, w in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                row = rows + ([alpha[0].numpy()] if alpha is not None else [])
                candidates.append((words + [w], score + lp, s2, row))
        candidates.sort(key=lambda c: c[1], reverse=True)
        beams = []
        for cand in candidates:
            if cand[0][-1] == tgt_vocab.end:
                finished.append(cand)
            else:
                beams.append(cand)
            if len(beams) == width:
                break
        if not beams or len(finished) >= width:
            break
    pool = finished or beams
    best = max(pool, key=lambda c: c[1] / max(1, len(c[0])))
    words = [w for w in best[0] if w != tgt_vocab.end]
    attention = np.stack(best[3]) if best[3] else None
    return Decoded([tgt_vocab.words[w] for w in words], attention, best[1])
