"""The bundled BERTs and GPTs as a :class:`LanguageModel` (``OwnModel``), and ``load``: a bundled model by name
or a local Hugging Face folder. ``viz_app.core.lm.probes`` asks both the same questions."""

from __future__ import annotations

import numpy as np

from viz_app.core.lm.base import MASK_PATTERN, Forward, LanguageModel


class OwnModel(LanguageModel):
    def __init__(self, name: str, model, tok, has_sentiment: bool = False):
        self.name, self.model, self.tok = name, model, tok
        c = model.config
        self.kind = "gpt" if c.causal else "bert"
        self.max_len, self.layers, self.heads, self.vocab_size = c.max_len, c.layers, c.heads, c.vocab
        self.mask_id = None if c.causal else tok.mask
        self.start_ids = [tok.sep] if c.causal else [tok.cls]
        self.end_ids = [] if c.causal else [tok.sep]
        self.unk_id = tok.unk
        self.has_sentiment = has_sentiment
        self.device = "cpu"

    def encode(self, text: str) -> list[int]:
        """The text's tokens. Special tokens typed by the user ([PAD], [CLS], [SEP], [UNK]) are read as the
        text they are, never as control tokens; only a BERT reads a typed [MASK] (or <mask>) as its mask."""
        if self.kind != "bert":
            return self.tok.encode_as_text(text)
        ids: list[int] = []
        for i, part in enumerate(MASK_PATTERN.split(text)):
            if i:
                ids.append(self.tok.mask)
            ids.extend(self.tok.encode_as_text(part))
        return ids

    def end_of_text_ids(self) -> list[int]:
        return [self.tok.sep] if self.kind == "gpt" else []

    def to(self, device: str) -> OwnModel:
        self.model.to(device)
        self.device = device
        return self

    def token_text(self, token_id: int) -> str:
        return self.tok.plain(token_id)

    def joins_previous(self, token_id: int) -> bool:
        return self.tok.is_continuation(token_id)

    def decode(self, ids: list[int]) -> str:
        return self.tok.decode(ids)

    def forward(self, ids, segments=None) -> Forward:
        import torch

        record = {}
        with torch.no_grad():
            x = torch.tensor([ids], device=self.device)
            seg = torch.tensor([segments], device=self.device) if segments is not None else None
            hidden = self.model(x, seg, record=record)
            logits = self.model.token_logits(hidden)[0].float().cpu().numpy()
        return Forward(
            logits,
            [layer["self"]["weights"][0].cpu().numpy() for layer in record["layers"]],
            [record["embedding"][0].cpu().numpy()] + [layer["output"][0].cpu().numpy() for layer in record["layers"]],
        )

    def logits_at(self, ids: list[int], rows: list[int]) -> np.ndarray:
        """As ``forward(ids).logits[rows]``, without the attention read-out and with the vocabulary's scores
        computed at ``rows`` only (the largest product of a pass)."""
        import torch

        with torch.no_grad():
            hidden = self.model(torch.tensor([ids], device=self.device))[0, rows]
            return self.model.token_logits(hidden).float().cpu().numpy()

    def layer_logits(self, hidden: np.ndarray, last: bool = False) -> np.ndarray:
        import torch

        with torch.no_grad():
            return self.model.token_logits(torch.from_numpy(hidden).to(self.device)).float().cpu().numpy()

    def sentiment(self, ids: list[int]) -> np.ndarray:
        import torch

        with torch.no_grad():
            hidden = self.model(torch.tensor([ids], device=self.device))
            return torch.softmax(self.model.sentiment(self.model.pooled(hidden)).float(), -1)[0].cpu().numpy()


def load(registry, name: str) -> LanguageModel:
    """A bundled model by name ("bert-tiny", "gpt-tiny", "bert-sentiment"), or a local Hugging Face folder."""
    from pathlib import Path

    if ("/" in name or "\\" in name or Path(name).is_dir()) and name not in registry.cards():
        from viz_app.core.lm import hf

        return hf.load_folder(Path(name))
    from viz_app.core.lm.model import LMConfig, load_weights
    from viz_app.core.lm.tokenizer import WordPieces

    card = registry.card(name)
    if card.kind == "bert-sentiment":
        base = registry.card(card.extra["base"])
        tok = WordPieces.load(registry.verified_path(base.name, 1))
        config = LMConfig(**base.extra["model_config"])
        model = load_weights(registry.verified_path(base.name, 0), config, [registry.verified_path(name, 0)])
        return OwnModel(name, model, tok, has_sentiment=True)
    if card.kind not in ("bert", "gpt"):
        raise ValueError(f"model {name!r} is a {card.kind}, not a BERT or a GPT")
    if card.extra.get("tokenizer") == "char":  # the Tang-poem models: one token per character
        from viz_app.core.lm.tang import CharTokenizer

        tok = CharTokenizer.load(registry.verified_path(name, 1))
    else:
        tok = WordPieces.load(registry.verified_path(name, 1))
    model = load_weights(registry.verified_path(name, 0), LMConfig(**card.extra["model_config"]))
    return OwnModel(name, model, tok)
