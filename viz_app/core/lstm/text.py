"""Tokens for the language models: lowercase words and punctuation, one sequence per line.

Each non-empty line (a story or a paragraph) is one sequence, scored and trained as
<start> w1 ... wn <end>; words outside the vocabulary become <unk>, visibly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from viz_app.core.corpus import read_text
from viz_app.core.tokenize import word_tokens

START, END, UNK = "<start>", "<end>", "<unk>"
SPECIALS = (START, END, UNK)


def sequences(paths: Iterable[str | Path]) -> list[list[str]]:
    out = []
    for path in paths:
        for line in read_text(path).split("\n"):
            tokens = word_tokens(line)
            if tokens:
                out.append(tokens)
    return out


def text_sequences(text: str) -> list[list[str]]:
    return [t for t in (word_tokens(line) for line in text.split("\n")) if t]


def build_vocabulary(seqs: list[list[str]], size: int) -> list[str]:
    counts = Counter(t for s in seqs for t in s)
    words = [w for w, _ in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[: size - len(SPECIALS)]]
    return list(SPECIALS) + words


class Vocab:
    def __init__(self, words: list[str]):
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        for special in SPECIALS:
            if special not in self.index:
                raise ValueError(f"the vocabulary lacks {special}")
        self.unk = self.index[UNK]

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, tokens: list[str]) -> list[int]:
        return [self.index.get(t, self.unk) for t in tokens]

    def shown(self, tokens: list[str]) -> list[str]:
        """The tokens as the model sees them: unknown words become <unk>."""
        return [t if t in self.index else UNK for t in tokens]
