"""Your own models: a local Hugging Face checkpoint folder (BERT-family for fill-mask, GPT-2-family for
generation), loaded fully offline through the optional ``transformers`` package (``pip install
"viz-app[hf]"``). Nothing is downloaded: the loaders run with ``local_files_only`` and the hub's
offline switches on. The model answers the same questions as the bundled ones (``base.LanguageModel``)
and runs on the GPU when one is present.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np

from viz_app.core.lm.base import MASK_PATTERN, Forward, LanguageModel

MISSING = (
    'Opening your own model folder needs the optional "hf" extra (the transformers package): pip install "viz-app[hf]"'
    if not getattr(sys, "frozen", False)
    else "Opening your own model folder needs the transformers package, which this packaged app does not include: "
    'install viz-app with Python (pip install "viz-app[hf]") to use your own models'
)
_MASKED_TYPES = {"bert", "roberta", "distilbert", "albert", "electra", "camembert", "xlm-roberta", "deberta", "mpnet"}
MAX_CONTEXT = 512  # longer contexts are cut, to keep the attention maps readable and fast


def available() -> bool:
    return importlib.util.find_spec("transformers") is not None


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def detect_kind(config) -> str:
    """ "bert" for a masked (bidirectional) model, "gpt" for a next-token one."""
    archs = " ".join(getattr(config, "architectures", None) or [])
    if "MaskedLM" in archs or "ForPreTraining" in archs or config.model_type in _MASKED_TYPES:
        return "bert"
    if "CausalLM" in archs or "LMHeadModel" in archs or getattr(config, "is_decoder", False):
        return "gpt"
    return "gpt"


class HfModel(LanguageModel):
    def __init__(self, folder: Path, model, tokenizer, kind: str, device: str):
        self.folder, self.model, self.tokenizer, self.kind, self.device = folder, model, tokenizer, kind, device
        self.name = str(folder)
        c = model.config
        positions = getattr(c, "max_position_embeddings", None) or getattr(c, "n_positions", None) or MAX_CONTEXT
        self.max_len = int(min(positions, MAX_CONTEXT))
        self.layers = int(getattr(c, "num_hidden_layers", None) or c.n_layer)
        self.heads = int(getattr(c, "num_attention_heads", None) or c.n_head)
        self.vocab_size = int(c.vocab_size)
        t = tokenizer
        self.unk_id = t.unk_token_id
        if kind == "bert":
            self.mask_id = t.mask_token_id
            self.start_ids = [t.cls_token_id] if t.cls_token_id is not None else []
            self.end_ids = [t.sep_token_id] if t.sep_token_id is not None else []
        else:
            self.mask_id = None
            start = t.bos_token_id if t.bos_token_id is not None else t.eos_token_id
            self.start_ids = [start] if start is not None else []
            self.end_ids = []

    def encode(self, text: str) -> list[int]:
        if self.kind == "bert" and self.tokenizer.mask_token:
            text = MASK_PATTERN.sub(self.tokenizer.mask_token, text)
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def token_text(self, token_id: int) -> str:
        piece = self.tokenizer.convert_ids_to_tokens(int(token_id))
        if piece is None:
            return ""
        if piece in self.tokenizer.all_special_tokens:
            return piece
        text = self.tokenizer.convert_tokens_to_string([piece])
        return text.strip() or piece

    def joins_previous(self, token_id: int) -> bool:
        piece = self.tokenizer.convert_ids_to_tokens(int(token_id)) or ""
        if piece.startswith("##"):
            return True
        if self.kind == "gpt":
            return not piece.startswith(("Ġ", "▁", " ", "Ċ"))
        return False

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def end_of_text_ids(self) -> list[int]:
        eos = self.tokenizer.eos_token_id
        return [eos] if (self.kind == "gpt" and eos is not None) else []

    def to(self, device: str) -> HfModel:
        self.model.to(device)
        self.device = device
        return self

    def forward(self, ids, segments=None) -> Forward:
        import torch

        with torch.no_grad():
            x = torch.tensor([ids], device=self.device)
            kwargs = {"output_attentions": True, "output_hidden_states": True}
            if segments is not None and self.kind == "bert":
                kwargs["token_type_ids"] = torch.tensor([segments], device=self.device)
            out = self.model(input_ids=x, **kwargs)
        return Forward(
            out.logits[0].float().cpu().numpy(),
            [a[0].float().cpu().numpy() for a in out.attentions],
            [h[0].float().cpu().numpy() for h in out.hidden_states],
        )

    def layer_logits(self, hidden: np.ndarray, last: bool = False) -> np.ndarray:
        import torch

        with torch.no_grad():
            h = torch.from_numpy(hidden).to(self.device)
            final_norm = getattr(getattr(self.model, "transformer", None), "ln_f", None)
            if final_norm is not None and not last:  # GPT-2: the last hidden state is already normalised
                h = final_norm(h)
            if self.kind == "bert" and hasattr(self.model, "cls"):
                return self.model.cls(h).float().cpu().numpy()
            return self.model.get_output_embeddings()(h).float().cpu().numpy()


def load_folder(folder: Path) -> HfModel:
    """A Hugging Face model folder (config.json, weights, tokenizer files) -> HfModel. Raises ValueError
    with a clear message for a missing extra, a missing folder or files that are not a model."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such folder")
    if not (folder / "config.json").is_file():
        raise ValueError(f"{folder}: not a Hugging Face model folder (no config.json)")
    if not available():
        raise ValueError(MISSING)
    _offline()
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM, AutoTokenizer

    try:
        config = AutoConfig.from_pretrained(folder, local_files_only=True)
        kind = detect_kind(config)
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        loader = AutoModelForMaskedLM if kind == "bert" else AutoModelForCausalLM
        model = loader.from_pretrained(folder, local_files_only=True, attn_implementation="eager")
    except Exception as exc:  # transformers raises many kinds of error for a broken folder
        raise ValueError(f"{folder}: cannot load the model ({type(exc).__name__}: {exc})"[:400]) from None
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).eval()
    return HfModel(folder, model, tokenizer, kind, device)
