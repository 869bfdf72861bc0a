"""The toy tasks a tiny decoder-only Transformer learns live, with the attention pattern that solves each.

Every example is one sequence "input tokens, SEP, answer tokens" (``Batch.tokens``). The model reads
``tokens[:, :-1]`` and predicts ``tokens[:, 1:]``: the output at position t predicts token t + 1, so with n input
tokens (positions 0..n-1) and SEP at position n, answer token i is predicted by QUERY position n + i (SEP itself
for i = 0). ``Batch.ideal[b, t]`` is, for such a query position t, the KEY position holding the input the answer
needs (-1 elsewhere). Reverse of length 3: tokens ``a b c | c b a``, queries 3, 4, 5, ideal keys 2, 1, 0
(answer i needs input n - 1 - i).

Token 0 is padding (the model never attends to it), 1 is SEP; digits d are tokens d + 2. Tasks:
- copy, reverse, sort (ideal: the input position holding the i-th smallest, ties in input order),
- induction ("what came after this token?"): n distinct digits, SEP, then n // 2 pairs "q a": each q repeats
  the input digit at some j < n - 1 and a is the one after it, x[j + 1]; the output at q's position predicts a,
  and its ideal key is j + 1 (the induction-head pattern),
- chars: next character of a text the user gives (a character language model; every position is an answer;
  no ideal pattern),
- french: a few hundred short French to English pairs of ``../shared/data/eng_fra/fra.txt`` (Tatoeba, CC-BY
  2.0 FR), words as tokens; no known ideal pattern: ``ideal`` holds the diagonal instead (answer word i of m
  against French word round(i * n / (m + 1))), scored as "diagonal-ness".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz_app.core.messages import Message, msg

PAD, SEP, END = "<pad>", "|", "<end>"
TASKS = ("copy", "reverse", "sort", "induction", "chars", "french")
DEFAULT_TEXT = (
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog and the dog saw the cat. "
    "a cat and a dog sat on a mat and a log."
)
FRENCH_FILE = Path("eng_fra") / "fra.txt"
FRENCH_PAIRS = 400  # short pairs kept (the file is sorted by English length: the shortest come first)
FRENCH_MAX_WORDS = 5


@dataclass(frozen=True)
class Batch:
    tokens: np.ndarray  # (B, S) int64: input, SEP, answer; 0-padded at the end
    answer: np.ndarray  # (B, S - 1) bool: the output at position t (predicting tokens[:, t + 1]) is scored
    ideal: np.ndarray  # (B, S - 1) int64: at an answer query position, the key position to attend to; -1 none

    @property
    def inputs(self) -> np.ndarray:
        return self.tokens[:, :-1]

    @property
    def targets(self) -> np.ndarray:
        return self.tokens[:, 1:]


@dataclass(frozen=True)
class Task:
    name: str
    vocab: tuple[str, ...]
    length: int  # n: input tokens (digit tasks), characters per window (chars), words at most (french)
    digits: int
    ideal_kind: str  # "position" (a known ideal), "diagonal" (french), "none" (chars)
    seq_len: int  # S: tokens per example (the model reads S - 1)
    text: str = ""
    pairs: tuple = ()  # french: ((french ids), (english ids)) of the training pairs
    test_pairs: tuple = ()  # french: the held-out ones

    def batch(self, rng: np.random.Generator, size: int, test: bool = False) -> Batch:
        if self.name == "chars":
            return _chars(self, rng, size)
        if self.name == "french":
            return _french(self, rng, size, test)
        return _DIGIT_TASKS[self.name](self, rng, size)

    def hint(self) -> Message:
        return HINTS[self.name](self)

    def decode(self, ids) -> list[str]:
        return [self.vocab[int(i)] for i in ids]


HINTS = {
    "copy": lambda t: msg("copy: the answer at position i should attend to input position i"),
    "reverse": lambda t: msg(
        "reverse: the answer at position i should attend to input position n − 1 − i (n\u00a0=\u00a0{n})", n=t.length
    ),
    "sort": lambda t: msg("sort: the answer at position i should attend to the input position of the i-th smallest"),
    "induction": lambda t: msg(
        "induction: the answer should attend to the position just after the earlier occurrence of the query token"
    ),
    "chars": lambda t: msg("next character: no ideal pattern to compare the heads with"),
    "french": lambda t: msg(
        "French to English: no known ideal pattern; the score is the diagonal-ness (attention near the same "
        "relative place in the French)"
    ),
}


def _layout(x: np.ndarray, y: np.ndarray, keys: np.ndarray) -> Batch:
    """Inputs x (B, n), answers y (B, m), ideal keys (B, m) -> the batch of "x SEP y"."""
    b, n = x.shape
    m = y.shape[1]
    tokens = np.concatenate([x + 2, np.ones((b, 1), np.int64), y + 2], axis=1).astype(np.int64)
    answer = np.zeros((b, n + m), bool)
    answer[:, n : n + m] = True  # query n + i predicts answer i
    ideal = np.full((b, n + m), -1, np.int64)
    ideal[:, n : n + m] = keys
    return Batch(tokens, answer, ideal)


def _copy(task: Task, rng, size: int) -> Batch:
    x = rng.integers(0, task.digits, (size, task.length))
    return _layout(x, x, np.broadcast_to(np.arange(task.length), x.shape))


def _reverse(task: Task, rng, size: int) -> Batch:
    x = rng.integers(0, task.digits, (size, task.length))
    return _layout(x, x[:, ::-1], np.broadcast_to(np.arange(task.length)[::-1], x.shape))


def _sort(task: Task, rng, size: int) -> Batch:
    x = rng.integers(0, task.digits, (size, task.length))
    order = np.argsort(x, axis=1, kind="stable")
    return _layout(x, np.take_along_axis(x, order, axis=1), order)


def induction_queries(n: int) -> int:
    return max(1, n // 2)


def _induction(task: Task, rng, size: int) -> Batch:
    n, k = task.length, induction_queries(task.length)
    x = np.argsort(rng.random((size, task.digits)), axis=1)[:, :n]  # distinct digits
    where = rng.integers(0, n - 1, (size, k))  # each query repeats x[where]; its answer is x[where + 1]
    q = np.take_along_axis(x, where, axis=1)
    a = np.take_along_axis(x, where + 1, axis=1)
    qa = np.stack([q, a], axis=2).reshape(size, 2 * k)
    tokens = np.concatenate([x + 2, np.ones((size, 1), np.int64), qa + 2], axis=1).astype(np.int64)
    answer = np.zeros((size, n + 2 * k), bool)
    ideal = np.full((size, n + 2 * k), -1, np.int64)
    queries = n + 1 + 2 * np.arange(k)  # query i's position; its output predicts the answer after it
    answer[:, queries] = True
    ideal[:, queries] = where + 1
    return Batch(tokens, answer, ideal)


_DIGIT_TASKS = {"copy": _copy, "reverse": _reverse, "sort": _sort, "induction": _induction}


def _chars(task: Task, rng, size: int) -> Batch:
    ids = np.array([task.vocab.index(c) for c in task.text], np.int64)
    starts = rng.integers(0, len(ids) - task.seq_len + 1, size)
    tokens = ids[starts[:, None] + np.arange(task.seq_len)]
    s = task.seq_len - 1
    return Batch(tokens, np.ones((size, s), bool), np.full((size, s), -1, np.int64))


def _french(task: Task, rng, size: int, test: bool) -> Batch:
    pool = task.test_pairs if test else task.pairs
    pick = rng.integers(0, len(pool), size)
    s = task.seq_len
    tokens = np.zeros((size, s), np.int64)
    answer = np.zeros((size, s - 1), bool)
    ideal = np.full((size, s - 1), -1, np.int64)
    sep, end = task.vocab.index(SEP), task.vocab.index(END)
    for row, k in enumerate(pick):
        fr, en = pool[k]
        n, m = len(fr), len(en)
        seq = [*fr, sep, *en, end]
        tokens[row, : len(seq)] = seq
        answer[row, n : n + m + 1] = True  # the English words and <end>
        for i in range(m + 1):
            ideal[row, n + i] = min(n - 1, round(i * n / (m + 1)))
    return Batch(tokens, answer, ideal)


def data_root() -> Path:
    """``../shared/data`` beside the working folder (the project's convention), else beside the repository."""
    here = Path("../shared/data")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[4] / "shared" / "data"


@functools.lru_cache(maxsize=4)
def french_pairs(path: str, count: int = FRENCH_PAIRS, max_words: int = FRENCH_MAX_WORDS):
    """The first ``count`` distinct pairs with 1..max_words words a side: ((french words), (english words))."""
    from viz_app.core.seq2seq import data

    p = Path(path)
    if not p.is_file():
        raise ValueError(msg("the French-English pairs are not found at {path}", path=str(p)))
    out, seen = [], set()
    with p.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            en, fr = tuple(data.tokens(parts[0])), tuple(data.tokens(parts[1]))
            if 0 < len(fr) <= max_words and 0 < len(en) <= max_words and (fr, en) not in seen:
                seen.add((fr, en))
                out.append((fr, en))
                if len(out) >= count:
                    break
    return tuple(out)


def make_task(name: str, length: int = 6, digits: int = 10, text: str = DEFAULT_TEXT, root=None) -> Task:
    """The task ``name`` (one of TASKS); ValueError with a message for the user on a bad setting."""
    if name not in TASKS:
        raise ValueError(msg("unknown task {task}: choose one of {tasks}", task=name, tasks=", ".join(TASKS)))
    if name in _DIGIT_TASKS:
        if not 2 <= digits <= 16:
            raise ValueError(msg("the digits go from 2 to 16, not {digits}", digits=digits))
        low = 2 if name == "induction" else 1
        high = digits if name == "induction" else 16
        if not low <= length <= high:
            raise ValueError(
                msg("the length goes from {low} to {high}, not {length}", low=low, high=high, length=length)
            )
        vocab = (PAD, SEP, *(f"{d:x}" for d in range(digits)))
        seq = length + 1 + 2 * induction_queries(length) if name == "induction" else 2 * length + 1
        return Task(name, vocab, length, digits, "position", seq)
    if name == "chars":
        if not 2 <= length <= 64:
            raise ValueError(msg("the length goes from {low} to {high}, not {length}", low=2, high=64, length=length))
        seq = 2 * length + 1
        if len(text) < seq + 1:
            raise ValueError(msg("the text needs at least {n} characters", n=seq + 1))
        vocab = (PAD, *sorted(set(text)))
        return Task(name, vocab, length, 0, "none", seq, text=text)
    pairs = french_pairs(str(Path(root or data_root()) / FRENCH_FILE))
    words = sorted({w for fr, en in pairs for w in fr + en} - {PAD, SEP, END})
    vocab = (PAD, SEP, END, *words)
    index = {w: i for i, w in enumerate(vocab)}
    encoded = tuple((tuple(index[w] for w in fr), tuple(index[w] for w in en)) for fr, en in pairs)
    test = encoded[::10]  # every tenth pair held out
    train = tuple(p for i, p in enumerate(encoded) if i % 10)
    seq = 2 * FRENCH_MAX_WORDS + 2
    return Task(name, vocab, FRENCH_MAX_WORDS, 0, "diagonal", seq, pairs=train, test_pairs=test)
