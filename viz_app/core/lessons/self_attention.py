"""The self-attention lesson's jobs (Qt-free): one layer's and head's numbers of the bundled Transformer (or,
for English text, of the tiny BERT), and the SAGAN's digits with their pixel attention.

Both run their torch model on ``ctx.device`` and bring the numbers back to the CPU; the results say where.
Torch-free at import, like the rest of the core: the SAGAN's module (which imports torch) loads in its job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from viz_app.core.lessons import transformer as lesson
from viz_app.core.seq2seq import data
from viz_app.core.transformer import probes

ENGLISH_MODEL = "bert-tiny"  # reads English: used when the French Transformer knows too few of the words
SAGAN_MODEL = "sagan-digits"


@dataclass(frozen=True)
class SelfAttentionResult:
    encoded: probes.Encoded
    head: probes.HeadNumbers | None
    model: str = lesson.MODEL
    device: str = "cpu"  # where it was computed

    def to_json(self) -> dict:
        head = None if self.head is None else self.head.to_json()
        return {"model": self.model, "encoder": self.encoded.to_json(), "head": head}


@dataclass(frozen=True)
class SaganDigits:
    """The fields of ``sagan.Generated`` and the device the generator ran on."""

    images: np.ndarray  # (B, 8, 8) in 0..1
    labels: np.ndarray  # (B,)
    attention: np.ndarray  # (B, 64, 64): row j = pixel j's attention over the 64 positions
    sigma: float
    device: str = "cpu"

    def to_json(self) -> dict:
        return {
            "images": np.round(self.images, 4).tolist(),
            "labels": self.labels.tolist(),
            "sigma": self.sigma,
        }


def self_attention_job(ctx, text: str, layer: int, head: int) -> SelfAttentionResult:
    """Every layer's attention of ``text`` and one head's Q, K, V, scores, softmax and Z (``layer`` and ``head``
    from 0). Mostly English text is read by the tiny BERT instead, where it is bundled."""
    store = ctx.models
    encoded = probes.encode(store, lesson.MODEL, text, device=ctx.device)
    unknown = sum(t == data.UNK for t in encoded.tokens)
    if encoded.tokens and 2 * unknown > len(encoded.tokens) and ENGLISH_MODEL in store.registry.cards():
        # Mostly unknown to the French model (English, like the lecture's "Thinking Machines"): the same
        # computation in the tiny BERT trained here, which reads English.
        from viz_app.core.lessons import lm as lm_lesson
        from viz_app.core.lm import probes as lm_probes

        bert = lm_lesson.model(ctx, ENGLISH_MODEL)  # on ctx.device
        ids = bert.encode(text)
        if 2 * sum(i == bert.unk_id for i in ids) <= len(ids):  # BERT reads it (not Chinese, emoji, ...)
            enc, numbers = lm_probes.encoder_numbers(bert, text, layer, head)
            return SelfAttentionResult(_numbers_only(enc), numbers, ENGLISH_MODEL, ctx.device)
    layer = min(layer, encoded.attention.shape[0] - 1)  # the spin box may still show a BERT layer
    # The model is on ctx.device now (encode moved it); head_numbers reuses the encoder's record.
    numbers = probes.head_numbers(store, lesson.MODEL, text, layer, head, encoded) if encoded.tokens else None
    return SelfAttentionResult(_numbers_only(encoded), numbers, lesson.MODEL, ctx.device)


def learned_attention_job(ctx, session_key: str, text: str, layer: int, head: int) -> SelfAttentionResult:
    """The numbers of ``self_attention_job`` from the model trained in the Learn tab (``session_key``), on a
    text of its task's tokens (the test input the tab shows, or another one)."""
    from viz_app.core.lessons import learn
    from viz_app.core.lm import probes as lm_probes

    lm = learn.as_language_model(session_key, ctx.device)
    layer, head = min(layer, lm.layers - 1), min(head, lm.heads - 1)
    enc, numbers = lm_probes.encoder_numbers(lm, text, layer, head)
    name = f"{lm.name} (step {lm.step})"
    return SelfAttentionResult(_numbers_only(enc), numbers, name, ctx.device)


def _numbers_only(encoded: probes.Encoded) -> probes.Encoded:
    """``encoded`` without its raw forward-pass record: torch tensors (on ``ctx.device``, a GPU perhaps) that
    the lesson's numbers were read from, and that the view never draws."""
    return replace(encoded, record={})


def sagan_job(ctx, labels: list[int], seed: int) -> SaganDigits:
    """The bundled SAGAN draws one digit of each class in ``labels`` from the noise of ``seed``."""
    from viz_app.core.vision import sagan

    made = sagan.generate(ctx.models.get(SAGAN_MODEL, sagan.load), labels, seed, device=ctx.device)
    return SaganDigits(made.images, made.labels, made.attention, made.sigma, ctx.device)
