"""Sentence pairs for the encoder-decoder: reading, tokenising, a fixed validation split, vocabularies.

Tokens are lowercase with punctuation split off and accents kept (``tokenize.word_tokens``),
after turning the narrow no-break spaces of the French side into plain spaces.

The couplet task (對對子, task "couplet") reads the Tang poems instead (``viz_app.core.lm.tang``): each pair of
lines (line 1 -> line 2, line 3 -> line 4, ...) is one example, the first line with its ， as the source and the
second with its end mark (。 mostly) as the target, one token per character (:func:`char_tokens`). Its split is the
poems' own (``tang.load_split``: by poem hash, validation poems share no line with training ones).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

from viz_app.core.language import is_han
from viz_app.core.tokenize import detokenize as _detokenize
from viz_app.core.tokenize import word_tokens

__all__ = [
    "char_tokens",
    "couplet_pairs",
    "detokenize",
    "has_cjk",
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


COUPLET_ENDS = "，。？！；"  # the marks that end a line of a Tang poem (tang.LINE_ENDS)
_ASCII_MARKS = {",": "，", ".": "。", "?": "？", "!": "！", ";": "；", "、": "，"}


def is_cjk(ch: str) -> bool:
    """A token that starts with a Chinese character (``language.is_han``); False for an empty one."""
    return bool(ch) and is_han(ch[0])


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def char_tokens(text: str, first_line: bool = False) -> list[str]:
    """One token per character, spaces skipped; ASCII , . ? ! ; (and 、) become the full-width marks ，。？！；.
    ``first_line``: a line typed without its closing mark gets the ， that ends every first line in training."""
    out = [_ASCII_MARKS.get(ch, ch) for ch in text if not ch.isspace()]
    if first_line and out and out[-1] not in COUPLET_ENDS:
        out.append("，")
    return out


def detokenize(tokens: list[str]) -> str:
    """Tokens back into text: characters of Chinese joined without spaces, words as ``tokenize.detokenize``."""
    if any(t and is_cjk(t[0]) for t in tokens) and all(
        t and (is_cjk(t[0]) or t in COUPLET_ENDS or t in SPECIALS) for t in tokens
    ):
        return "".join(tokens)
    return _detokenize(tokens)


def couplet_pairs(poems) -> list[tuple[str, str]]:
    """(line 1, line 2), (line 3, line 4), ... of every poem (``tang.Poem``), each line with its punctuation."""
    pairs = []
    for poem in poems:
        lines = poem.lines()
        pairs.extend((lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2))
    return pairs


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
    """What the encoder reads: French tokens for the translator, English ones (contractions written out) for chat,
    characters for the couplet model (a first line without its closing mark gets its ，)."""
    if task == "couplet":
        return char_tokens(text, first_line=True)
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
    split by whole dialogues so no validation turn was seen in training); a Tang-poem TSV (header
    author<TAB>title<TAB>poem) gives the couplets (task "couplet", the split of ``tang.load_split``: ``share``
    is not used); otherwise it is "english<TAB>french" (task "translate", French -> English, split by the
    French sentence)."""
    with open(path, encoding="utf-8") as f:
        head = f.read(20_000)
    if head.split("\n", 1)[0].strip().split("\t") == ["author", "title", "poem"]:
        from viz_app.core.lm import tang

        poems = tang.load_split(path)
        return "couplet", couplet_pairs(poems.train), couplet_pairs(poems.validation)
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
