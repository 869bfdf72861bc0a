"""The interface every language model of the BERT and GPT lessons answers (:class:`LanguageModel`) and what one
pass returns (:class:`Forward`): the bundled models (``probes.OwnModel``) and a local Hugging Face checkpoint
(``viz_app.core.lm.hf``) both implement it, so neither module needs the other."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

MASK_PATTERN = re.compile(r"\[mask\]|<mask>", re.I)


@dataclass
class Forward:
    """One pass over a sequence of ids (no batch dimension)."""

    logits: np.ndarray  # (T, V) token scores at each position (masked-word head / next-word head)
    attention: list[np.ndarray]  # per layer (H, T, T), rows sum to 1
    hidden: list[np.ndarray]  # the embedding output, then each layer's output: (layers + 1) x (T, D)


class LanguageModel:
    """The interface the lessons use; ``kind`` is "bert" (masked) or "gpt" (next token)."""

    name: str
    kind: str
    max_len: int
    layers: int
    heads: int
    mask_id: int | None  # BERT's [MASK]
    start_ids: list[int]  # what goes before the text ([CLS] for BERT, [SEP] as start of text for the GPT)
    end_ids: list[int]  # what goes after it ([SEP] for BERT, nothing for the GPT)
    vocab_size: int
    unk_id: int | None = None  # the unknown-token id: a word that contains it is not in the vocabulary
    has_sentiment: bool = False

    def encode(self, text: str) -> list[int]:
        raise NotImplementedError

    def token_text(self, token_id: int) -> str:
        """Plain text of a token (no "##" or "Ġ" markers)."""
        raise NotImplementedError

    def joins_previous(self, token_id: int) -> bool:
        """True when the token continues the previous word (no space before it)."""
        raise NotImplementedError

    def decode(self, ids: list[int]) -> str:
        raise NotImplementedError

    def forward(self, ids: list[int], segments: list[int] | None = None) -> Forward:
        raise NotImplementedError

    def logits_at(self, ids: list[int], rows: list[int]) -> np.ndarray:
        """The output head's scores (len(rows), V) at positions ``rows`` only (fill-mask reads its [MASK]s)."""
        return self.forward(ids).logits[rows]

    def layer_logits(self, hidden: np.ndarray, last: bool = False) -> np.ndarray:
        """The output head applied to any layer's hidden states (the logit lens); ``last`` for the top layer."""
        raise NotImplementedError

    def sentiment(self, ids: list[int]) -> np.ndarray:
        raise NotImplementedError

    def end_of_text_ids(self) -> list[int]:
        """Tokens that end a generated text."""
        return []

    def to(self, device: str) -> LanguageModel:
        """Run on ``device`` ("cpu", "cuda", "mps") from now on."""
        return self
