"""Text that branches: every token of a generated (or typed) text with its probability, its entropy and the
alternatives the model had at that step; a branch can fork at any step with another token and go on from there.

A branch is the prompt, then tokens. Each step records the model's own distribution (temperature 1) over the
next token: the chosen token's probability, the entropy (in bits: 0 when the model is sure, log2 of the
vocabulary when every token is as likely) and the top alternatives. How the tokens were chosen is the branch's
method: greedy (always the likeliest), sample (drawn with the sampling settings and a seed), beam (the beam
search's best sequence, each step scored afterwards), or typed (the user's own text, scored token by token).
A fork keeps the first steps of its parent, forces one other token, and continues by its own method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import kv_cache, probes
from viz_app.core.messages import msg

METHODS = ("greedy", "sample", "beam", "typed")
TOP = 5  # alternatives kept per step


@dataclass(frozen=True)
class Step:
    token_id: int
    text: str
    prob: float  # the model's probability of this token, given the prompt and the steps before
    entropy: float  # bits, of the model's distribution at this step
    top: tuple[tuple[int, str, float], ...]  # the likeliest tokens at this step: (id, text, probability)
    forced: bool  # chosen by the user (the typed text, or a fork's first token), not by the method
    space: bool = True  # written with a space before it (not a word piece, punctuation or a Chinese character)


@dataclass(frozen=True)
class Branch:
    model: str
    method: str
    prompt: str
    steps: tuple[Step, ...]
    text: str  # the prompt and the tokens, joined as the model writes them
    seed: int
    device: str
    ended: bool  # stopped at the end-of-text token

    @property
    def mean_logprob(self) -> float:
        """Mean natural log-probability per token (closer to 0: the model found the text likelier)."""
        if not self.steps:
            return 0.0
        return float(np.mean([math.log(max(s.prob, 1e-300)) for s in self.steps]))

    def to_json(self) -> dict:
        return {
            "model": self.model, "method": self.method, "prompt": self.prompt, "text": self.text,
            "seed": self.seed, "device": self.device, "ended": self.ended, "mean_logprob": self.mean_logprob,
            "steps": [
                {"token": s.text, "id": s.token_id, "prob": s.prob, "entropy_bits": s.entropy, "forced": s.forced,
                 "top": [[t, p] for _, t, p in s.top]}
                for s in self.steps
            ],
        }  # fmt: skip


def entropy_bits(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


class _Reader:
    """Next-token distributions of one prompt and the tokens after it: the window holds the model's start
    tokens and the latest tokens (as ``probes.generate``), read through the key/value cache for our GPTs."""

    def __init__(self, lm, prompt: str):
        self.lm = lm
        p = probes.prepare(lm, prompt, keep="end")
        self.start = list(lm.start_ids)
        self.prompt_ids = list(p.ids[len(lm.start_ids) :])
        self.room = lm.max_len - len(self.start)
        self._logits = kv_cache.next_logits_fn(lm)

    def logits(self, after: list[int]) -> np.ndarray:
        body = self.prompt_ids + after
        return np.asarray(self._logits(self.start + body[-self.room :]), dtype=np.float64)

    def step(self, after: list[int], token: int, probs: np.ndarray, forced: bool) -> Step:
        order = np.argsort(-probs, kind="stable")[:TOP]
        top = tuple((int(i), self.lm.token_text(int(i)), float(probs[i])) for i in order)
        text = self.lm.token_text(int(token))
        return Step(
            int(token), text, float(probs[token]), entropy_bits(probs), top, forced, self.spaced(int(token), text)
        )

    def spaced(self, token: int, text: str) -> bool:
        if getattr(getattr(self.lm, "tok", None), "kind", "") == "char":
            return False
        return not (self.lm.joins_previous(token) or text in {".", ",", "!", "?", ";", ":", "'", ")"})


def check(method: str, max_new: int) -> None:
    if method not in METHODS:
        raise ValueError(
            msg("unknown method {method}: use one of {methods}", method=method, methods=", ".join(METHODS))
        )
    if not 0 <= max_new <= 500:
        raise ValueError(msg("at most {n} new tokens", n=500))


def grow(lm, prompt: str, forced: list[int], max_new: int, method: str, sampling: probes.Sampling | None, seed: int,
         beam_width: int = 4):  # fmt: skip
    """Generator of Steps: first the ``forced`` tokens (scored), then up to ``max_new`` chosen by ``method``
    (greedy, sample or beam); stops after the end-of-text token."""
    check(method, max_new)
    s = sampling or probes.Sampling()
    s.check()
    if lm.kind != "gpt":
        raise ValueError(msg("{model} fills in masked words; use a GPT model to generate", model=lm.name))
    reader = _Reader(lm, prompt)
    ends = set(lm.end_of_text_ids())
    after: list[int] = []
    for token in forced:
        probs = probes.softmax(reader.logits(after))
        yield reader.step(after, token, probs, True)
        after.append(int(token))
        if token in ends:
            return
    if method == "beam":
        chosen = _beam(lm, reader, after, max_new, beam_width, ends)
        for token in chosen:
            probs = probes.softmax(reader.logits(after))
            yield reader.step(after, token, probs, False)
            after.append(token)
        return
    rng = np.random.default_rng(seed)
    for _ in range(max_new if method != "typed" else 0):
        logits = reader.logits(after)
        probs = probes.softmax(logits)
        if method == "greedy":
            token = int(np.argmax(probs))
        else:
            _, _, final = probes.sampling_distribution(logits, s)
            token = int(rng.choice(len(final), p=final))
        yield reader.step(after, token, probs, False)
        after.append(token)
        if token in ends:
            return


def _beam(lm, reader: _Reader, after: list[int], max_new: int, width: int, ends: set[int]) -> list[int]:
    """The beam search's best continuation (by total log-probability; a finished beam keeps its score)."""
    beams: list[tuple[float, list[int], bool]] = [(0.0, [], False)]
    for _ in range(max_new):
        if all(done for _, _, done in beams):
            break
        grown = []
        for score, seq, done in beams:
            if done:
                grown.append((score, seq, True))
                continue
            logits = reader.logits(after + seq)
            logp = logits - logits.max()
            logp = logp - np.log(np.exp(logp).sum())
            for token in np.argsort(-logp, kind="stable")[:width]:
                t = int(token)
                grown.append((score + float(logp[t]), seq + [t], t in ends))
        grown.sort(key=lambda b: -b[0])
        beams = grown[:width]
    return beams[0][1]


def make_branch(lm, name: str, prompt: str, steps: list[Step], method: str, seed: int) -> Branch:
    ids = [s.token_id for s in steps]
    ended = bool(ids) and ids[-1] in lm.end_of_text_ids()
    text = probes.join_generated(lm, prompt, [probes.GeneratedToken(i, "", 0.0, 0.0) for i in ids])
    return Branch(name, method, prompt, tuple(steps), text, seed, getattr(lm, "device", "cpu"), ended)


def branch_job(ctx, name: str, prompt: str, forced: tuple = (), max_new: int = 30, method: str = "greedy",
               sampling: probes.Sampling | None = None, seed: int = 0):  # fmt: skip
    """Generator job: a branch from ``prompt``, its first tokens ``forced`` (a fork's), then ``method``;
    yields Progress (data: the Branch so far) after each token, returns the Branch."""
    from viz_app.core.lessons.lm import model as loaded

    check(method, max_new)
    lm = loaded(ctx, name)
    steps: list[Step] = []
    total = len(forced) + max_new
    for step in grow(lm, prompt, [int(t) for t in forced], max_new, method, sampling, seed):
        steps.append(step)
        if method != "beam":
            yield Progress(len(steps) / max(1, total), msg("{n} of at most {total} tokens", n=len(steps), total=total),
                           make_branch(lm, name, prompt, steps, method, seed))  # fmt: skip
    return make_branch(lm, name, prompt, steps, method, seed)


def typed_job(ctx, name: str, text: str) -> Branch:
    """The typed text scored by the GPT: every token with its probability given those before it."""
    from viz_app.core.lessons.lm import model as loaded

    lm = loaded(ctx, name)
    if not text.strip():
        raise ValueError(msg("type a text for the GPT to read"))
    ids = lm.encode(text)[: 4 * lm.max_len]
    steps = list(grow(lm, "", ids, 0, "typed", None, 0))
    branch = make_branch(lm, name, "", steps, "typed", 0)
    return Branch(name, "typed", "", branch.steps, text, 0, branch.device, False)
