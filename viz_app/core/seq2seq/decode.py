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


def _device(model) -> torch.device:
    """Where the model's weights are: every input tensor is made there."""
    return next(model.parameters()).device


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
    if model.training:  # eval() walks every submodule: a few ms a keystroke
        model.eval()
    device = _device(model)
    src = torch.tensor([src_ids], device=device)  # (1, M)
    states, final, mask = model.encode(src)
    s, prev = final.unsqueeze(0), torch.tensor([tgt_vocab.start], device=device)
    out, rows, total = [], [], 0.0
    for t in range(max_len):
        logits, s, alpha = model.step(prev, s, states, mask, final)
        logp = torch.log_softmax(_ban(logits[0], banned), dim=-1)  # (V,)
        word = forced[t] if forced is not None and t < len(forced) else int(logp.argmax())
        total += float(logp[word])
        if alpha is not None:
            rows.append(alpha[0].cpu().numpy())
        if word == tgt_vocab.end:
            break
        out.append(tgt_vocab.words[word])
        prev = torch.tensor([word], device=device)
    attention = np.stack(rows[: len(out) + 1]) if rows else None
    return Decoded(out, attention, total)


def length_penalty(n: int, alpha: float | None) -> float:
    """What a hypothesis's total log-probability is divided by to rank it: its number of words, <end>
    included (``alpha`` None, the lesson's per-word score) or Wu et al. (2016)'s ((5 + n) / 6) ** alpha (0: no normalisation;
    larger alpha: longer replies favoured more)."""
    if alpha is None:
        return float(max(1, n))
    return ((5.0 + n) / 6.0) ** alpha


def repeated_ngram_words(words: list[int], n: int) -> set[int]:
    """Word ids that would repeat an n-gram already in ``words`` if appended (no repeated n-grams)."""
    if n <= 0 or len(words) < n - 1:
        return set()
    prefix = tuple(words[len(words) - n + 1 :]) if n > 1 else ()
    return {words[i + n - 1] for i in range(len(words) - n + 1) if tuple(words[i : i + n - 1]) == prefix}


@dataclass(frozen=True)
class Hypothesis:
    """One finished (or, if none finished, unfinished) beam hypothesis: word ids without <end>."""

    words: tuple[int, ...]
    score: float  # total log-probability, <end> included when finished
    ranked: float  # score / length_penalty: what the beam ranks by
    finished: bool


@torch.no_grad()
def beam(
    model,
    src_ids: list[int],
    tgt_vocab,
    width: int = 5,
    max_len: int = 40,
    banned: tuple = (),
    alpha: float | None = None,
    no_repeat_ngram: int = 0,
    nbest: list | None = None,
    encoded: tuple | None = None,
) -> Decoded:
    """Keep the ``width`` best partial outputs at every step; the best finished one wins, ranked by its
    log-probability divided by :func:`length_penalty` (``alpha`` None: per word, as the lesson draws it).
    ``no_repeat_ngram`` n > 0: a word that would repeat an n-gram of the hypothesis is never chosen.
    ``nbest``: if a list is given, every finished hypothesis is appended to it as a :class:`Hypothesis`,
    best first (for re-ranking). ``encoded``: ``model.encode`` of ``src_ids`` if already computed (not run again).

    The hypotheses kept along the way are returned as a tree (``Decoded.tree``) for drawing."""
    if model.training:  # eval() walks every submodule: a few ms a keystroke
        model.eval()
    device = _device(model)
    states, final, mask = encoded if encoded is not None else model.encode(torch.tensor([src_ids], device=device))
    nodes: list[BeamNode] = []
    beams = [(-1, [], 0.0, final.unsqueeze(0), [])]  # (node id, word ids, log-prob, state, attention rows)
    finished, pruned = [], []
    for step in range(max_len):
        candidates = []
        b = len(beams)  # every kept hypothesis advances in one batched step
        prev = torch.tensor([words[-1] if words else tgt_vocab.start for _, words, _, _, _ in beams], device=device)
        s_all = torch.cat([s for _, _, _, s, _ in beams], dim=1)  # (1, B, D)
        logits, s2_all, alpha_all = model.step(
            prev, s_all, states.expand(b, -1, -1), mask.expand(b, -1), final.expand(b, -1)
        )
        alphas = alpha_all.cpu().numpy() if alpha_all is not None else None  # (B, M), read once a step
        for k, (parent, words, score, _, rows) in enumerate(beams):
            no = tuple(banned) + tuple(repeated_ngram_words(words, no_repeat_ngram))
            logp = torch.log_softmax(_ban(logits[k], no), dim=-1)
            top = torch.topk(logp, width)
            s2 = s2_all[:, k : k + 1]
            for lp, w in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                if lp == float("-inf"):
                    continue
                row = rows + ([alphas[k]] if alphas is not None else [])
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

    def ranked(c) -> float:  # per word: <end> counts as a word, as in BeamNode.normalised
        return c[2] / length_penalty(len(c[1]), alpha)

    pool = finished or beams
    if nbest is not None:
        for c in sorted(pool, key=ranked, reverse=True):
            words = tuple(w for w in c[1] if w != tgt_vocab.end)
            nbest.append(Hypothesis(words, c[2], ranked(c), bool(finished)))
    best = max(pool, key=ranked)
    words = [w for w in best[1] if w != tgt_vocab.end]
    attention = np.stack(best[4]) if best[4] else None
    return Decoded([tgt_vocab.words[w] for w in words], attention, best[2], tuple(nodes), best[0], tuple(pruned))
