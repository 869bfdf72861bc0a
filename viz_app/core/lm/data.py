"""Text for the BERT and GPT lessons: TinyStories lines, sentences for next sentence prediction, IMDB reviews.

TinyStories (``../shared/data/tinystories*``) carries mojibake punctuation (UTF-8 read as cp1252, see its
SOURCE.md); ``clean`` maps it back. IMDB (``../shared/data/imdb``) comes as two CSV files that share 71
reviews: ``imdb_splits`` trains on the larger file and tests on the smaller one minus the shared reviews,
so no test review was ever seen.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from viz_app.core.corpus import read_text

_MOJIBAKE = [
    ("â€œ", '"'),
    ("â€™", "'"),
    ("â€˜", "'"),
    ("â€“", "-"),
    ("â€”", "-"),
    ("â€¦", "..."),
    ("â€Š", " "),
    ("â€", '"'),
]
_SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\']))\s+(?=["\']?\w)')
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)


def clean(text: str) -> str:
    for bad, good in _MOJIBAKE:  # longest first, the bare "â€" last
        text = text.replace(bad, good)
    return text


def lines(paths: Iterable[str | Path]) -> list[str]:
    """Each non-empty line of the files (a story or a paragraph), cleaned."""
    out = []
    for path in paths:
        for line in clean(read_text(path)).split("\n"):
            line = line.strip()
            if line:
                out.append(line)
    return out


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph after . ! or ? (and a closing quote) followed by a space and a word (any case)."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]


def read_reviews(path: str | Path) -> list[tuple[str, int]]:
    """(review text, label) with label 1 = positive, 0 = negative; HTML line breaks become spaces."""
    p = Path(path)
    try:
        with open(p, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{p}: cannot be read as CSV ({exc})") from None
    if not rows or len(rows[0]) < 3:
        raise ValueError(f"{p}: expected a header and columns index, text, label")
    out = []
    for row in rows[1:]:
        if len(row) < 3:
            continue
        label = row[2].strip().lower()
        if label not in ("positive", "negative"):
            continue
        text = re.sub(r"\s+", " ", _HTML_BREAK.sub(" ", row[1])).strip()
        if text:
            out.append((text, 1 if label == "positive" else 0))
    if not out:
        raise ValueError(f"{p}: no labelled reviews found")
    return out


def imdb_splits(imdb_dir: str | Path) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(train, test): imdb_small_3000.csv for training, imdb_small_1000_b.csv minus the shared reviews for testing."""
    root = Path(imdb_dir)
    train = read_reviews(root / "imdb_small_3000.csv")
    seen = {text for text, _ in train}
    test = [(t, y) for t, y in read_reviews(root / "imdb_small_1000_b.csv") if t not in seen]
    return train, test
