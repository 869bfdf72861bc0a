"""Word vectors: nearest neighbours, analogies, evaluation, and reading vector files.

Shared by every embedding the app shows (the bundled models and files a user
loads). Vectors are compared by cosine; analogies use 3CosAdd (b - a + c, the
nearest word excluding a, b and c), searched over the whole vocabulary.

File formats read by :func:`load_vectors_file`:
* word2vec / GloVe text (``.txt``, ``.vec``): one word and its numbers per line,
  with or without a first "COUNT DIM" header line;
* word2vec binary (``.bin``): a "COUNT DIM" header line, then for each word the
  word, a space, and DIM little-endian float32 values.
A malformed file raises ValueError naming the file and line (or byte offset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAX_FILE_WORDS = 2_000_000


@dataclass(frozen=True)
class WordVectors:
    words: tuple[str, ...]
    vectors: np.ndarray  # (V, D) float32
    index: dict[str, int] = field(repr=False, compare=False)
    unit: np.ndarray = field(repr=False, compare=False)  # (V, D) rows scaled to length 1
    characters: bool = field(default=False, repr=False, compare=False)  # one vector per character (Chinese)

    @classmethod
    def from_arrays(cls, words, vectors) -> WordVectors:
        words = tuple(words)
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)  # (V, D)
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but a vector matrix of shape {matrix.shape}")
        if len(set(words)) != len(words):
            raise ValueError("the vocabulary lists a word twice")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)  # (V, 1)
        unit = matrix / np.where(norms > 0, norms, 1.0)
        characters = bool(words) and all(len(w) == 1 and not w.isascii() for w in words)
        return cls(
            words=words, vectors=matrix, index={w: i for i, w in enumerate(words)}, unit=unit, characters=characters
        )

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def lookup(self, word: str) -> int | None:
        """The row of ``word`` (tried as typed, then lowercased), or None."""
        i = self.index.get(word)
        if i is None:
            i = self.index.get(word.lower())
        return i

    def require(self, word: str) -> int:
        i = self.lookup(word)
        if i is None:
            raise KeyError(self.unknown_message(word))
        return i

    def unknown_message(self, word: str) -> str:
        """Why ``word`` has no vector, in words a user can act on."""
        from viz_app.core.messages import msg

        if not word.strip():
            return msg("give a word (the text is empty)")
        if not self.characters:
            return f"{word!r} is not in the vocabulary ({len(self.words)} words)"
        if len(word) > 1:
            known = [ch for ch in word if ch in self.index]
            if known:
                return msg(
                    "this embedding has one vector per character, and {word} is {n} characters; try one of them, "
                    "e.g. {example}",
                    word=repr(word),
                    n=len(word),
                    example=repr(known[0]),
                )
            return msg(
                "this embedding has one vector per character, and {word} is {n} characters",
                word=repr(word),
                n=len(word),
            )
        return msg(
            "{word} is not among the {n} characters of this embedding", word=repr(word), n=f"{len(self.words):,}"
        )

    def neighbors(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        i = self.require(word)
        scores = self.unit @ self.unit[i]  # (V,) cosine with every word
        scores[i] = -np.inf
        return self._top(scores, k)

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """a is to b as c is to ? (3CosAdd: the words nearest b - a + c, excluding a, b, c)."""
        ia, ib, ic = self.require(a), self.require(b), self.require(c)
        target = self.unit[ib] - self.unit[ia] + self.unit[ic]  # (D,)
        norm = np.linalg.norm(target)
        scores = self.unit @ (target / norm if norm > 0 else target)  # (V,)
        scores[[ia, ib, ic]] = -np.inf
        return self._top(scores, k)

    def embed(self, words) -> tuple[dict[str, list[float]], list[str]]:
        found, unknown = {}, []
        for w in words:
            i = self.lookup(w)
            if i is None:
                unknown.append(w)
            else:
                found[w] = [float(x) for x in self.vectors[i]]
        return found, unknown

    def _top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        k = max(0, min(k, int(np.isfinite(scores).sum())))
        if k == 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.words[j], float(scores[j])) for j in best]


# --- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalogyReport:
    top1: float
    top5: float
    n: int
    skipped: int
    categories: dict  # name -> {"top1", "top5", "n", "skipped"}

    def to_json(self) -> dict:
        return {
            "top1": self.top1,
            "top5": self.top5,
            "n": self.n,
            "skipped": self.skipped,
            "categories": self.categories,
        }


def read_analogies(path: str | Path) -> list[tuple[str, tuple[str, str, str, str]]]:
    """word2vec's format: ": category" lines, then "a b c d" lines. Returns (category, question)."""
    questions, category = [], "default"
    for lineno, line in enumerate(_read_lines(path), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith(":"):
            category = text[1:].strip() or "default"
            continue
        parts = text.split()
        if len(parts) != 4:
            raise ValueError(f"{path}:{lineno}: expected 4 words 'a b c d', found {len(parts)}")
        questions.append((category, (parts[0], parts[1], parts[2], parts[3])))
    return questions


def evaluate_analogies(wv: WordVectors, path: str | Path, batch: int = 512) -> AnalogyReport:
    questions = read_analogies(path)
    per_cat: dict[str, dict] = {}
    rows, cats = [], []
    for category, words in questions:
        stats = per_cat.setdefault(category, {"top1": 0, "top5": 0, "n": 0, "skipped": 0})
        ids = [wv.lookup(w) for w in words]
        if any(i is None for i in ids):
            stats["skipped"] += 1
            continue
        rows.append(ids)
        cats.append(category)
    if rows:
        q = np.asarray(rows, dtype=np.int64)  # (N, 4): a, b, c, expected d
        for start in range(0, len(q), batch):
            chunk = q[start : start + batch]  # (n, 4)
            target = wv.unit[chunk[:, 1]] - wv.unit[chunk[:, 0]] + wv.unit[chunk[:, 2]]  # (n, D)
            target /= np.maximum(np.linalg.norm(target, axis=1, keepdims=True), 1e-12)
            scores = target @ wv.unit.T  # (n, V)
            r = np.arange(len(chunk))
            for col in range(3):  # a, b and c are never the answer
                scores[r, chunk[:, col]] = -np.inf
            top5 = np.argpartition(-scores, 4, axis=1)[:, :5]  # (n, 5), unordered
            best = scores[r[:, None], top5].argmax(axis=1)
            top1 = top5[r, best]
            hit1 = top1 == chunk[:, 3]
            hit5 = (top5 == chunk[:, 3:4]).any(axis=1)
            for j in range(len(chunk)):
                stats = per_cat[cats[start + j]]
                stats["n"] += 1
                stats["top1"] += int(hit1[j])
                stats["top5"] += int(hit5[j])
    n = sum(s["n"] for s in per_cat.values())
    categories = {
        name: {
            "top1": s["top1"] / s["n"] if s["n"] else 0.0,
            "top5": s["top5"] / s["n"] if s["n"] else 0.0,
            "n": s["n"],
            "skipped": s["skipped"],
        }
        for name, s in per_cat.items()
    }
    return AnalogyReport(
        top1=sum(s["top1"] for s in per_cat.values()) / n if n else 0.0,
        top5=sum(s["top5"] for s in per_cat.values()) / n if n else 0.0,
        n=n,
        skipped=sum(s["skipped"] for s in per_cat.values()),
        categories=categories,
    )


@dataclass(frozen=True)
class SimilarityReport:
    spearman: float
    n: int
    skipped: int

    def to_json(self) -> dict:
        return {"spearman": self.spearman, "n": self.n, "skipped": self.skipped}


def read_similarity(path: str | Path) -> list[tuple[str, str, float]]:
    """WordSim-353 style: "word1<TAB>word2<TAB>score" (a header line that is not a number is skipped)."""
    pairs = []
    first = True
    for lineno, line in enumerate(_read_lines(path), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        was_first, first = first, False
        parts = text.split("\t") if "\t" in text else text.split()
        if len(parts) < 3:
            raise ValueError(f"{path}:{lineno}: expected 'word1<TAB>word2<TAB>score'")
        try:
            score = float(parts[2])
        except ValueError:
            if was_first:
                continue  # a header line
            raise ValueError(f"{path}:{lineno}: the score {parts[2]!r} is not a number") from None
        pairs.append((parts[0], parts[1], score))
    return pairs


def evaluate_similarity(wv: WordVectors, path: str | Path) -> SimilarityReport:
    cosines, gold, skipped = [], [], 0
    for w1, w2, score in read_similarity(path):
        i, j = wv.lookup(w1), wv.lookup(w2)
        if i is None or j is None:
            skipped += 1
            continue
        cosines.append(float(wv.unit[i] @ wv.unit[j]))
        gold.append(score)
    return SimilarityReport(
        spearman=spearman(cosines, gold) if len(gold) > 1 else float("nan"), n=len(gold), skipped=skipped
    )


def spearman(x, y) -> float:
    """Spearman's rank correlation, ties given their average rank."""
    rx, ry = _ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64))
    rx -= rx.mean()
    ry -= ry.mean()
    denom = np.sqrt((rx**2).sum() * (ry**2).sum())
    return float((rx * ry).sum() / denom) if denom > 0 else float("nan")


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    sorted_vals = values[order]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_vals[end] != sorted_vals[start]:
            ranks[order[start:end]] = (start + 1 + end) / 2.0  # average of ranks start+1 .. end
            start = end
    return ranks


# --- reading vector files -------------------------------------------------------------------


def _read_lines(path: str | Path):
    try:
        with open(path, encoding="utf-8") as fh:
            yield from fh
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None


def load_vectors_file(path: str | Path) -> WordVectors:
    """Read word2vec/GloVe text or word2vec binary vectors (chosen by the file's content)."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise ValueError(f"{p}: no such file") from None
    except OSError as exc:
        raise ValueError(f"{p}: cannot be read ({exc.strerror})") from None
    if not head.strip():
        raise ValueError(f"{p}: the file is empty")
    first_line = head.split(b"\n", 1)[0]
    rest = head[len(first_line) + 1 :]
    header = first_line.split()
    looks_binary = p.suffix.lower() == ".bin" or (
        len(header) == 2 and all(h.isdigit() for h in header) and _has_binary(rest)
    )
    return _load_binary(p) if looks_binary else _load_text(p)


def _has_binary(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in data


def _load_text(p: Path) -> WordVectors:
    words: list[str] = []
    rows: list[np.ndarray] = []
    dim = None
    for lineno, line in enumerate(_read_lines(p), start=1):
        parts = line.rstrip("\n").rstrip().split(" ")
        if not line.strip():
            continue
        if lineno == 1 and len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
            dim = int(parts[1])  # the "COUNT DIM" header line
            continue
        if len(parts) < 2:
            raise ValueError(f"{p}:{lineno}: expected a word followed by numbers")
        if dim is None:
            dim = len(parts) - 1
        if len(parts) - 1 != dim:
            raise ValueError(f"{p}:{lineno}: expected {dim} numbers after {parts[0]!r}, found {len(parts) - 1}")
        try:
            rows.append(np.asarray(parts[1:], dtype=np.float32))
        except ValueError:
            raise ValueError(f"{p}:{lineno}: the numbers after {parts[0]!r} are not all numbers") from None
        words.append(parts[0])
        if len(words) > MAX_FILE_WORDS:
            raise ValueError(f"{p}: more than {MAX_FILE_WORDS:,} words; use a smaller file")
    if not rows:
        raise ValueError(f"{p}: no vectors found")
    return _dedupe(p, words, np.vstack(rows))


def _load_binary(p: Path) -> WordVectors:
    data = p.read_bytes()
    newline = data.find(b"\n")
    try:
        count, dim = (int(x) for x in data[:newline].split())
    except ValueError:
        raise ValueError(f"{p}: a word2vec binary file starts with a 'COUNT DIM' line") from None
    if not (0 < count <= MAX_FILE_WORDS and 0 < dim <= 10_000):
        raise ValueError(f"{p}: implausible header: {count} words of dimension {dim}")
    pos, words = newline + 1, []
    vectors = np.empty((count, dim), dtype=np.float32)
    for i in range(count):
        while pos < len(data) and data[pos : pos + 1] in (b"\n", b" "):
            pos += 1
        space = data.find(b" ", pos)
        if space < 0:
            raise ValueError(f"{p}: word {i + 1} of {count} is cut off at byte {pos}")
        try:
            word = data[pos:space].decode("utf-8")
        except UnicodeDecodeError:
            word = data[pos:space].decode("latin-1")
        start, end = space + 1, space + 1 + 4 * dim
        if end > len(data):
            raise ValueError(f"{p}: the vector of {word!r} (word {i + 1} of {count}) is cut off at byte {len(data)}")
        vectors[i] = np.frombuffer(data[start:end], dtype="<f4")
        words.append(word)
        pos = end
    return _dedupe(p, words, vectors)


def _dedupe(p: Path, words: list[str], vectors: np.ndarray) -> WordVectors:
    seen: dict[str, int] = {}
    keep = []
    for i, w in enumerate(words):
        if w not in seen:  # keep the first of repeated words, as word2vec tools do
            seen[w] = i
            keep.append(i)
    if not np.all(np.isfinite(vectors[keep])):
        raise ValueError(f"{p}: some vectors contain NaN or infinite numbers")
    return WordVectors.from_arrays([words[i] for i in keep], vectors[keep])


# --- bundled models ---------------------------------------------------------------------------

EMBEDDING_KIND = "word-embedding"


def load_registered(registry, name: str) -> WordVectors:
    """A bundled embedding: a safetensors file with the tensor "vectors" (V, D) and a vocabulary
    file with one word per line, in the same order (both checked against the manifest)."""
    from viz_app.core.quantize import dequantize_numpy

    tensors = dequantize_numpy(registry.load_numpy_tensors(name, 0))  # stored as int8 with a scale per row
    vocab_path = registry.verified_path(name, 1)
    words = vocab_path.read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    if "vectors" not in tensors:
        raise ValueError(f"model {name!r}: its safetensors file has no tensor named 'vectors'")
    return WordVectors.from_arrays(words, tensors["vectors"])


def resolve(name: str, registry=None) -> WordVectors:
    """A registry name of a bundled embedding, or a path to a vectors file."""
    from viz_app.core.registry import Registry, RegistryError

    registry = registry or Registry()
    try:
        cards = registry.cards()
    except RegistryError:
        cards = {}
    card = cards.get(name)
    if card is not None and card.kind == EMBEDDING_KIND:
        return load_registered(registry, name)
    if Path(name).exists():
        return load_vectors_file(name)
    bundled = sorted(n for n, c in cards.items() if c.kind == EMBEDDING_KIND)
    raise LookupError(
        f"no embedding named {name!r}: give a bundled model ({', '.join(bundled) or 'none yet'}) or a vectors file"
    )
