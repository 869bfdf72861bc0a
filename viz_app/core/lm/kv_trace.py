"""The GPT lesson's KV-cache job: generation step by step with the cache read out, and the work saved.

Each step records the new token's query against every cached key (per layer and head: the attention weights
over the keys so far), the cache's length, and the multiply-adds of the step with and without the cache; at
the end, the cache itself (every layer's keys) and the measured tokens per second both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import kv_cache, probes
from viz_app.core.messages import msg


@dataclass(frozen=True)
class KVStep:
    token: str
    token_id: int
    prob: float  # under the sampling distribution it was drawn from
    length: int  # keys in the cache when the token was chosen (the window read)
    grew: bool  # True: one row added to the cache; False: the cache was (re)built from the whole window
    weights: np.ndarray  # (layers, heads, length): the newest position's q against every cached k, softmaxed
    scores: np.ndarray  # (layers, heads, length): q . k / sqrt(d_k) before the softmax
    multiply_adds: int  # this step's, with the cache
    multiply_adds_without: int  # and recomputing the window
    window: tuple[str, ...] = ()  # the tokens read at this step, one per cached position


@dataclass(frozen=True)
class KVTrace:
    model: str
    prompt: str
    text: str
    tokens: tuple[str, ...]  # the last window, one per cached position
    steps: tuple[KVStep, ...]
    keys: np.ndarray  # (layers, heads, len(tokens), d_k): the cache's keys after the last step
    multiply_adds: int
    multiply_adds_without: int
    tokens_per_second: float  # measured, generating the same tokens with the cache
    tokens_per_second_without: float  # and recomputing every window
    device: str

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "text": self.text,
            "steps": [
                {"token": s.token, "prob": s.prob, "cache_length": s.length, "grew": s.grew,
                 "multiply_adds": s.multiply_adds, "multiply_adds_without_cache": s.multiply_adds_without}
                for s in self.steps
            ],
            "multiply_adds": self.multiply_adds,
            "multiply_adds_without_cache": self.multiply_adds_without,
            "tokens_per_second": self.tokens_per_second,
            "tokens_per_second_without_cache": self.tokens_per_second_without,
            "device": self.device,
        }  # fmt: skip


def _row(records: dict, key: str) -> np.ndarray:
    """(layers, heads, keys) of the newest position from ``TinyLM.step``'s record."""
    return np.stack([layer["self"][key][0, :, -1].float().cpu().numpy() for layer in records["layers"]])


def kv_cache_job(ctx, name: str, prompt: str, max_new: int, sampling: probes.Sampling, seed: int, timing: bool = True):
    """Generator job: yields Progress whose data is the KVTrace so far (no timing yet) after each token, then
    times the same generation with and without the cache (``timing``) and returns the KVTrace."""
    from viz_app.core.lessons.lm import model as loaded

    lm = loaded(ctx, name)
    if not isinstance(lm, probes.OwnModel) or lm.kind != "gpt":
        raise ValueError(msg("the key/value cache is shown for the bundled GPTs (gpt-tiny, gpt-tang)"))
    c = lm.model.config
    window = kv_cache.CachedWindow(lm)
    last: dict = {}

    def recorded(ids):
        record: dict = {}
        out = window.last_logits(ids, record)
        last.update(record=record, ids=list(ids))
        return out

    steps_done: list[KVStep] = []
    generated: list[probes.GeneratedToken] = []
    prefills = 0
    for token in probes.generate(lm, prompt, max_new, sampling, seed, logits_fn=recorded):
        grew = window.prefills == prefills
        prefills = window.prefills
        record, length = last["record"], len(last["ids"])
        full = kv_cache.block_multiply_adds(c, length, length) + kv_cache.head_multiply_adds(c)
        cached = kv_cache.block_multiply_adds(c, 1, length) + kv_cache.head_multiply_adds(c) if grew else full
        scores = _row(record, "raw_scores") / np.sqrt(c.d_model // c.heads)
        steps_done.append(
            KVStep(token.text, token.token_id, token.prob, length, grew, _row(record, "weights"), scores, cached, full,
                   tuple(lm.token_text(i) for i in last["ids"]))
        )  # fmt: skip
        generated.append(token)
        yield Progress(len(steps_done) / max_new, msg("{n} of at most {total} tokens", n=len(steps_done), total=max_new),
                       _trace(name, prompt, lm, generated, steps_done, window, 0.0, 0.0))  # fmt: skip
    fast = slow = 0.0
    if timing and generated:
        yield Progress(None, msg("timing the generation with the cache"))
        _, with_cache = kv_cache.timed_generation(lm, prompt, len(generated), True, sampling, seed)
        yield Progress(None, msg("timing the generation without the cache"))
        _, without = kv_cache.timed_generation(lm, prompt, len(generated), False, sampling, seed)
        fast, slow = with_cache.tokens_per_second, without.tokens_per_second
    return _trace(name, prompt, lm, generated, steps_done, window, fast, slow)


def _trace(name, prompt, lm, generated, steps, window, fast, slow) -> KVTrace:
    c = lm.model.config
    keys = np.stack([window.cache[i]["k"][0].float().cpu().numpy() for i in range(c.layers)]) if window.cache else None
    if keys is None:
        keys = np.zeros((c.layers, c.heads, 0, c.d_model // c.heads), np.float32)
    return KVTrace(
        name, prompt, probes.join_generated(lm, prompt, generated), tuple(lm.token_text(i) for i in window.ids),
        tuple(steps), keys, sum(s.multiply_adds for s in steps), sum(s.multiply_adds_without for s in steps),
        fast, slow, lm.device,
    )  # fmt: skip
