"""Greedy and beam-search decoding, keeping the attention weights of every output word."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class BeamNode:
    """One kept hypothesis of a beam search: its last word, and the log-probabilities so far."""

    id: int
    parent: int  # -1 for the first words (their parent is <start>)
    step: int  # 0-based output position
    word: str  # "<end>" for a finished hypothesis
    logp: float  # log P(word | words before it)
    score: float  # total log-probability of the hypothesis up to here
    finished: bool

    def normalised(self) -> float:
        """Score per word (the length normalisation that picks among finished hypotheses)."""
        return self.score / (self.step + 1)


@dataclass(frozen=True)
class Decoded:
    tokens: list[str]  # output words, without <end>
    attention: np.ndarray | None  # (N, M) one row of weights over the source per output word
    score: float  # total log-probability
    tree: tuple[BeamNode, ...] = ()  # beam search only: every hypothesis kept at some step
    best: int = -1  # beam search only: the id of the chosen node
    pruned: tuple[int, ...] = ()  # beam search only: candidates dropped at each step


def _ban(logits: torch.Tensor, banned: tuple) -> torch.Tensor:
    if not banned:
        return logits
    logits = logits.clone()
    logits[list(banned)] = float("-inf")
    return logits


@torch.no_grad()
def greedy(
    model, src_ids: list[int], tgt_vocab, max_len: int = 40, forced: list[int] | None = None, banned: tuple = ()
) -> Decoded:
    """Pick the most probable word at each step (``forced`` words replace the first picks: what-if;
    ``banned`` word ids are never picked, e.g. the chatbot's <unk>)."""
    model.eval()
    src = torch.tensor([src_ids])  # (1, M)
    states, final, mask = model.encode(src)
    s, prev = final.unsqueeze(0), torch.tensor([tgt_vocab.start])
    out, rows, total = [], [], 0.0
    for t in range(max_len):
        logits, s, alpha = model.step(prev, s, states, mask, final)
        logp = torch.log_softmax(_ban(logits[0], banned), dim=-1)  # (V,)
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
def beam(model, src_ids: list[int], tgt_vocab, width: int = 5, max_len: int = 40, banned: tuple = ()) -> Decoded:
    """Keep the ``width`` best partial outputs at every step; the best finished one wins (length-normalised).

    The hypotheses kept along the way are returned as a tree (``Decoded.tree``) for drawing."""
    model.eval()
    src = torch.tensor([src_ids])
    states, final, mask = model.encode(src)
    nodes: list[BeamNode] = []
    beams = [(-1, [], 0.0, final.unsqueeze(0), [])]  # (node id, word ids, log-prob, state, attention rows)
    finished, pruned = [], []
    for step in range(max_len):
        candidates = []
        for parent, words, score, s, rows in beams:
            prev = torch.tensor([words[-1] if words else tgt_vocab.start])
            logits, s2, alpha = model.step(prev, s, states, mask, final)
            logp = torch.log_softmax(_ban(logits[0], banned), dim=-1)
            top = torch.topk(logp, width)
            for lp, w in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                row = rows + ([alpha[0].numpy()] if alpha is not None else [])
                candidates.append((parent, words + [w], score + lp, s2, row, lp))
        candidates.sort(key=lambda c: c[2], reverse=True)
        beams, kept = [], 0
        for parent, words, score, s2, row, lp in candidates:
            done = words[-1] == tgt_vocab.end
            node = BeamNode(len(nodes), parent, step, tgt_vocab.words[words[-1]], lp, score, done)
            nodes.append(node)
            kept += 1
            if done:
                finished.append((node.id, words, score, s2, row))
            else:
                beams.append((node.id, words, score, s2, row))
            if len(beams) == width:
                break
        pruned.append(len(candidates) - kept)
        if not beams or len(finished) >= width:
            break
    pool = finished or beams
    best = max(pool, key=lambda c: c[2] / max(1, len(c[1])))
    words = [w for w in best[1] if w != tgt_vocab.end]
    attention = np.stack(best[4]) if best[4] else None
    return Decoded([tgt_vocab.words[w] for w in words], attention, best[2], tuple(nodes), best[0], tuple(pruned))
