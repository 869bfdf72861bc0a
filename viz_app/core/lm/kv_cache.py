"""The GPT's key/value cache: what a decoding step computes with it and without it, and how much work it saves.

Without a cache, each generation step runs the whole window (start token + text so far) through every block
and reads the next-token scores off the last position. With a cache, each block keeps the keys and values of
the positions it has seen, and a step runs only the newest token: its query meets the cached keys of every
earlier token, its own key and value are appended (the cache grows by one row per block per step). Both give
the same numbers up to float rounding (the products are summed in another order).

The model's positions are learned (one embedding per place in the window), so once the text is longer than the
window and the window slides, every cached key was computed at a position it no longer has: the cache is then
rebuilt for the new window (a prefill), which is as much work as not caching.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


class CachedWindow:
    """Next-token logits of successive windows of one GPT (``probes.OwnModel``), reusing the keys and values
    of the previous window when the new one is it plus one token, rebuilding them (prefill) otherwise."""

    def __init__(self, lm):
        self.lm = lm
        self.cache: dict = {}
        self.ids: list[int] = []
        self.prefills = 0  # how many times the cache was (re)built from a whole window
        self.steps = 0  # and how many times one new token was added

    def last_logits(self, window: list[int], record: dict | None = None) -> np.ndarray:
        """(V,) scores for the token after ``window``. ``record`` as ``TinyLM.step`` (the new rows only)."""
        import torch

        if self.ids and len(window) == len(self.ids) + 1 and window[:-1] == self.ids:
            new = window[-1:]
            self.steps += 1
        else:
            self.cache, new = {}, list(window)
            self.prefills += 1
        with torch.no_grad():
            hidden = self.lm.model.step(torch.tensor([new], device=self.lm.device), self.cache, record)
            logits = self.lm.model.token_logits(hidden[:, -1])[0]
        self.ids = list(window)
        return logits.float().cpu().numpy()


def uncached_last_logits(lm, window: list[int]) -> np.ndarray:
    """(V,) scores for the token after ``window``, recomputing every position of it (no cache); the output
    layer reads the last position only, as the cached path does, so the two differ only in the blocks."""
    import torch

    with torch.no_grad():
        hidden = lm.model(torch.tensor([window], device=lm.device))
        return lm.model.token_logits(hidden[:, -1])[0].float().cpu().numpy()


def next_logits_fn(lm, cached: bool = True):
    """``window ids -> (V,) scores`` for the token after them: through a :class:`CachedWindow` for our GPTs
    (``cached``), recomputing the window otherwise, and a Hugging Face model's own forward pass."""
    from viz_app.core.lm.probes import OwnModel

    if not isinstance(lm, OwnModel):
        return lambda window: lm.forward(window).logits[-1]
    if cached:
        return CachedWindow(lm).last_logits
    return lambda window: uncached_last_logits(lm, window)


def count_text(n: int) -> str:
    """1234567 -> "1.23 M" (a count of multiply-adds, as the views print it)."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return str(n)


def block_multiply_adds(config, new: int, keys: int) -> int:
    """Multiply-adds of one pass of ``new`` positions through every block, each query meeting ``keys`` keys
    (a cached step: new = 1, keys = the window's length; a whole window: new = keys = its length, since the
    code computes the full T x T score matrix and then masks the future). Per block and new position:
    - the four projections W^Q, W^K, W^V, W^O, each d_model x d_model: 4 d^2;
    - the scores q . k against every key, all heads together: keys x d (each head d_k = d / h of them);
    - the weighted sum of the values: keys x d again;
    - the feed-forward network, d -> d_ff -> d: 2 d d_ff.
    Layer norms, softmax, biases and the embedding lookups are left out (a few operations per number, not
    products of matrices)."""
    d, ff = config.d_model, config.d_ff
    return int(config.layers * new * (4 * d * d + 2 * keys * d + 2 * d * ff))


def head_multiply_adds(config) -> int:
    """The output layer for one position: d_model x vocabulary (the token embeddings, transposed)."""
    return int(config.d_model * config.vocab)


def window_lengths(start_len: int, prompt_len: int, max_new: int, max_len: int) -> list[tuple[int, bool]]:
    """Per step of a generation: (the window's length, whether it is the previous window plus one token). The
    window holds the start tokens and the latest text tokens (``probes.generate``); ``prompt_len`` counts the
    prompt's text tokens."""
    room = max_len - start_len
    out = []
    for i in range(max_new):
        body = prompt_len + i
        out.append((start_len + min(body, room), i > 0 and body <= room))
    return out


def generation_multiply_adds(config, start_len: int, prompt_len: int, max_new: int) -> dict:
    """Multiply-adds of generating ``max_new`` tokens with and without the cache (:func:`block_multiply_adds`
    and one output layer per step). Without: every step runs its whole window. With: the first step runs the
    prompt's window (prefill), each later one only the new token against the cache, except after the window
    has slid (learned positions: the cache is rebuilt, as much work as not caching)."""
    head = head_multiply_adds(config)
    with_cache = without = 0
    per_step = []
    for length, grows in window_lengths(start_len, prompt_len, max_new, config.max_len):
        full = block_multiply_adds(config, length, length) + head
        cached = block_multiply_adds(config, 1, length) + head if grows else full
        without += full
        with_cache += cached
        per_step.append((length, cached, full))
    return {"with_cache": with_cache, "without_cache": without, "per_step": per_step}


@dataclass(frozen=True)
class Speed:
    tokens: int
    seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


def timed_generation(lm, prompt: str, max_new: int, kv_cache: bool, sampling=None, seed: int = 0, stop=True):
    """(the generated tokens, Speed) of ``probes.generate`` one way; ``stop=False`` goes on past the
    end-of-text token so both ways time the same number of steps."""
    from viz_app.core.lm import probes

    t0 = time.perf_counter()
    steps = list(probes.generate(lm, prompt, max_new, sampling, seed, kv_cache=kv_cache, stop_at_end=stop))
    return steps, Speed(len(steps), time.perf_counter() - t0)
