"""Sentence pairs for the encoder-decoder: reading, tokenising, a fixed validation split, vocabularies.

Tokens are lowercase with punctuation split off and accents kept (``tokenize.word_tokens``),
after turning the narrow no-break spaces of the French side into plain spaces.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

from viz_app.core.tokenize import detokenize, word_tokens

__all__ = [
    "detokenize",
    "english_tokens",
    "load_task",
    "read_dialogues",
    "read_pairs",
    "source_tokens",
    "split",
    "tokens",
    "Vocab",
]

PAD, START, END, UNK = "<pad>", "<start>", "<end>", "<unk>"
SPECIALS = (PAD, START, END, UNK)


def tokens(text: str) -> list[str]:
    return word_tokens(unicodedata.normalize("NFKC", text).replace("\u202f", " ").replace("\u00a0", " "))


_BE = {"i'm": ("i", "am"), "you're": ("you", "are"), "we're": ("we", "are"), "they're": ("they", "are")}
_IS = ("he", "she", "it", "that", "there", "what", "who", "where", "here", "how")
_NOT = (
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "could",
    "would",
    "should",
    "have",
    "has",
    "had",
    "must",
    "need",
)
_HAVE_WILL_WOULD = ("i", "you", "we", "they", "he", "she", "it")
CONTRACTIONS: dict[str, tuple[str, ...]] = {
    **_BE,
    **{f"{w}'s": (w, "is") for w in _IS},
    **{f"{w}n't": (w, "not") for w in _NOT},
    "can't": ("cannot",),
    "won't": ("will", "not"),
    "let's": ("let", "us"),
    **{f"{w}'ve": (w, "have") for w in _HAVE_WILL_WOULD},
    **{f"{w}'ll": (w, "will") for w in _HAVE_WILL_WOULD},
    **{f"{w}'d": (w, "would") for w in _HAVE_WILL_WOULD},
}


def english_tokens(text: str) -> list[str]:
    """English target tokens with the common contractions written out ("i'm" -> "i am"), so that the
    model says "i am a student" as the lecture does, and "i'm" and "i am" count as the same in BLEU.
    ("he's" always becomes "he is", though it sometimes stands for "he has".)"""
    out: list[str] = []
    for t in tokens(text):
        out.extend(CONTRACTIONS.get(t, (t,)))
    return out


def chat_text(text: str) -> str:
    """Typographic apostrophes (DailyDialog writes "Isn ’ t") become plain ones: "Isn't"."""
    return text.replace(" \u2019 ", "'").replace("\u2019", "'")


def source_tokens(text: str, task: str = "translate") -> list[str]:
    """What the encoder reads: French tokens for the translator, English ones (contractions written out) for chat."""
    return english_tokens(chat_text(text)) if task == "chat" else tokens(text)


def read_dialogues(path: str | Path) -> list[list[str]]:
    """DailyDialog format: one dialogue per line, turns separated by "__eou__"."""
    dialogues = []
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        turns = [" ".join(chat_text(t).split()) for t in line.split("__eou__")]
        turns = [t for t in turns if t]
        if len(turns) >= 2:
            dialogues.append(turns)
    return dialogues


def load_task(path: str | Path, share: float = 0.05):
    """-> (task, training pairs, validation pairs), pairs being (source, target) strings.

    A file with "__eou__" turn markers is a dialogue corpus (task "chat": each turn -> the reply to it,
    split by whole dialogues so no validation turn was seen in training); otherwise it is
    "english<TAB>french" (task "translate", French -> English, split by the French sentence)."""
    with open(path, encoding="utf-8") as f:
        head = f.read(20_000)
    if "__eou__" in head:
        dialogues = read_dialogues(path)
        train, valid = [], []
        for turns in dialogues:
            side = valid if is_validation(" ".join(turns), share) else train
            side.extend(zip(turns[:-1], turns[1:], strict=True))
        return "chat", train, valid
    return ("translate", *split(read_pairs(path), share))


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
