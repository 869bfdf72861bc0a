"""Sentence pairs for the encoder-decoder: reading, tokenising, a fixed validation split, vocabularies.

Tokens are lowercase with punctuation split off and accents kept (``tokenize.word_tokens``),
after turning the narrow no-break spaces of the French side into plain spaces.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

from viz_app.core.tokenize import word_tokens

PAD, START, END, UNK = "<pad>", "<start>", "<end>", "<unk>"
SPECIALS = (PAD, START, END, UNK)


def tokens(text: str) -> list[str]:
    return word_tokens(unicodedata.normalize("NFKC", text).replace("\u202f", " ").replace("\u00a0", " "))


def read_pairs(path: str | Path) -> list[tuple[str, str]]:
    """Lines "english<TAB>french" -> (french, english) pairs: the source first."""
    pairs = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'english<TAB>french'")
        pairs.append((parts[1].strip(), parts[0].strip()))
    return pairs


def is_validation(source: str, share: float = 0.05) -> bool:
    """A fixed split by the hash of the source sentence, so repeats of a sentence stay on one side."""
    digest = hashlib.sha256(source.lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def split(pairs: list[tuple[str, str]], share: float = 0.05):
    train = [p for p in pairs if not is_validation(p[0], share)]
    valid = [p for p in pairs if is_validation(p[0], share)]
    return train, valid


class Vocab:
    def __init__(self, words: list[str]):
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.pad, self.start, self.end, self.unk = (self.index[s] for s in SPECIALS)

    @classmethod
    def build(cls, sentences: list[list[str]], min_count: int = 2) -> Vocab:
        counts = Counter(t for s in sentences for t in s)
        words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        return cls(list(SPECIALS) + words)

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, toks: list[str]) -> list[int]:
        return [self.index.get(t, self.unk) for t in toks]

    def shown(self, toks: list[str]) -> list[str]:
        return [t if t in self.index else UNK for t in toks]


def detokenize(toks: list[str]) -> str:
    out = ""
    for t in toks:
        if out and not (t in {".", ",", "!", "?", ";", ":", ")", "'"} or t.startswith("'")):
            out += " "
        out += t
    return out
