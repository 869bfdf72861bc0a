"""Plain-text corpora for training the bundled models, and the vocabulary built from them.

The English corpora the project trains on live in ``../shared/data`` (never copied
into the project). Each reader here undoes one source's quirks: Project
Gutenberg's header and licence footer, WikiText's ``@-@`` escapes and ``= heading =``
lines. Any other plain-text file is read as it is, so the training commands work on
any corpus a user gives them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BOUNDARY = -1  # marks the end of a paragraph in an encoded corpus: windows never cross it

# The English folders of ../shared/data used for the word embeddings, with their licences.
# Left out: imdb (no licence stated), dailydialog (non-commercial), tinystories' validation
# file (kept for judging the language models), and the French and Chinese folders.
ENGLISH_SOURCES = {
    "tinystories/tinystories_train_first.txt": "CDLA-Sharing-1.0",
    "tinystories/tinystories_train_lowercase.txt": "CDLA-Sharing-1.0",
    "tinystories_more/tinystories_sample3000_maxme1.txt": "CDLA-Sharing-1.0",
    "gutenberg/*.txt": "public domain (US); Project Gutenberg licence",
    "wikitext2/wiki.test.raw": "CC BY-SA 3.0",
    "tinyshakespeare/input.txt": "public domain",
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_START = re.compile(r"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG", re.M)
_END = re.compile(r"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG", re.M)


def english_corpus_paths(data_root: str | Path) -> list[Path]:
    root = Path(data_root)
    paths: list[Path] = []
    for pattern in ENGLISH_SOURCES:
        found = sorted(root.glob(pattern))
        if not found:
            raise FileNotFoundError(f"{root / pattern}: not found (is ../shared/data beside the project?)")
        paths.extend(found)
    return paths


def read_text(path: str | Path) -> str:
    """A corpus file's text with its source's boilerplate removed."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{p}: cannot be read ({exc.strerror})") from None
    start, end = _START.search(text), _END.search(text)
    if start:  # Project Gutenberg: keep what lies between the START and END lines
        text = text[text.index("\n", start.end()) + 1 : end.start() if end else len(text)]
    elif "Project Gutenberg" in text[:3000] and "*END*" in text[:20000]:  # old-style "small print" header
        text = text[text.index("*END*") :].split("\n", 1)[1]
    if " @-@ " in text or " @,@ " in text:  # WikiText's escapes; headings are dropped
        text = text.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
        text = "\n".join(line for line in text.split("\n") if not line.strip().startswith("="))
    return text


def paragraphs(text: str) -> Iterator[str]:
    """Blank-line separated paragraphs (a single line break inside one is joined)."""
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if block:
            yield block


def word_tokens(text: str) -> list[str]:
    """Lowercase words for the embeddings: letters with inner apostrophes; digits and punctuation dropped."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def tokenized_paragraphs(paths: Iterable[str | Path]) -> Iterator[list[str]]:
    for path in paths:
        text = read_text(path)
        # Stories in TinyStories are one per line; treat every line as a paragraph there.
        units = text.split("\n") if text.count("\n\n") < text.count("\n") / 4 else paragraphs(text)
        for unit in units:
            tokens = word_tokens(unit)
            if tokens:
                yield tokens


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]  # most frequent first
    counts: np.ndarray  # (V,) corpus counts, same order

    @property
    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.words)}

    def save(self, path: str | Path) -> None:
        Path(path).write_text("\n".join(self.words) + "\n", encoding="utf-8")


def build_vocabulary(counter: Counter, max_size: int = 20000, min_count: int = 5) -> Vocabulary:
    items = sorted(((w, c) for w, c in counter.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
    items = items[:max_size]
    return Vocabulary(words=tuple(w for w, _ in items), counts=np.array([c for _, c in items], dtype=np.int64))


@dataclass(frozen=True)
class EncodedCorpus:
    ids: np.ndarray  # (N,) int32 word ids, BOUNDARY between paragraphs; words outside the vocabulary removed
    vocabulary: Vocabulary
    tokens_total: int  # tokens read, before removing words outside the vocabulary
    paths: tuple[str, ...]


def encode_corpus(paths: Iterable[str | Path], max_size: int = 20000, min_count: int = 5) -> EncodedCorpus:
    paths = [str(p) for p in paths]
    paras = list(tokenized_paragraphs(paths))
    counter = Counter(t for para in paras for t in para)
    vocab = build_vocabulary(counter, max_size, min_count)
    index = vocab.index
    chunks = []
    for para in paras:
        ids = [index[t] for t in para if t in index]
        if ids:
            chunks.append(np.asarray(ids + [BOUNDARY], dtype=np.int32))
    ids = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    return EncodedCorpus(ids=ids, vocabulary=vocab, tokens_total=sum(counter.values()), paths=tuple(paths))
