"""Tang poems for the Chinese models: the corpus, a fixed split by poem, a character tokenizer and the bigram baselines.

The corpus is ``../shared/data/zh_tw_tang_poems/tang_regular_verse.tsv`` (author, title, poem; 五言/七言 絕句 and 律詩
in Traditional characters with their punctuation ，。？！；).

- ``split_poems``: a poem goes to validation when the SHA-256 of its text falls in the lowest ``VALIDATION_PERCENT``
  of the hash range (a rule on the content, the same on every machine and in every order). Exact duplicate texts
  are kept once (they share a hash, so they can never sit on both sides), and a validation poem that shares any
  line with a training poem is dropped, so that validation poems are unseen down to the line (like the project's
  held-back test set, whose lines occur only once in the collection).
- ``CharTokenizer``: one token per character. [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0..4, as the WordPiece
  tokenizer), then the line separators ，。？！； (always present), then every character seen at least
  ``MIN_COUNT`` times in the training poems (most frequent first). A poem is read as ``[SEP] 床前明月光，... [SEP]``:
  [SEP] separates poems (the GPT's end-of-text, as in the English GPT), the punctuation ends each line.
  It offers the methods of ``tokenizer.WordPieces`` that the BERT/GPT code calls.
- ``Bigram``: character bigram with interpolated Kneser-Ney smoothing (absolute discount D = n1 / (n1 + 2 n2)),
  its lowest order the continuation counts interpolated with the uniform distribution, so every token of the
  vocabulary has a probability above zero and the probabilities of a context sum to one.
- ``masked_baseline``: each candidate character c for a masked position scored by P(c | left) * P(right | c).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz_app.core.lm.tokenizer import SEP, SPECIALS, UNK, Encoded

LINE_ENDS = "，。？！；"
VALIDATION_PERCENT = 5  # of the hash range
MIN_COUNT = 2
MASKS_PER_POEM = 4  # masked-character evaluation: positions per validation poem
DEFAULT_TSV = (
    Path(__file__).resolve().parents[3].parent / "shared" / "data" / "zh_tw_tang_poems" / "tang_regular_verse.tsv"
)


@dataclass(frozen=True)
class Poem:
    author: str
    title: str
    text: str

    def lines(self) -> list[str]:
        return poem_lines(self.text)


def poem_lines(text: str) -> list[str]:
    """The lines of a poem, each with the punctuation mark that ends it."""
    out, current = [], ""
    for ch in text:
        current += ch
        if ch in LINE_ENDS:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def couplets(text: str) -> list[str]:
    """Pairs of lines (line 1 + line 2, line 3 + line 4, ...): the sentences of a poem for BERT's pairs."""
    lines = poem_lines(text)
    return ["".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]


def read_poems(path: str | Path = DEFAULT_TSV) -> list[Poem]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: cannot be read ({exc})") from None
    rows = text.split("\n")
    if not rows or rows[0].strip().split("\t") != ["author", "title", "poem"]:
        raise ValueError(f"{p}: expected the header author<TAB>title<TAB>poem")
    poems = []
    for row in rows[1:]:
        fields = row.rstrip("\r").split("\t")
        if len(fields) == 3 and fields[2].strip():
            poems.append(Poem(fields[0], fields[1], fields[2].strip()))
    if not poems:
        raise ValueError(f"{p}: no poems")
    return poems


def poem_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def is_validation(text: str, percent: int = VALIDATION_PERCENT) -> bool:
    return poem_hash(text) % 100 < percent


@dataclass(frozen=True)
class Split:
    train: list[Poem]
    validation: list[Poem]
    duplicates_dropped: int
    validation_dropped_shared_lines: int

    def to_json(self) -> dict:
        return {
            "rule": f"SHA-256 of the poem text; validation when its first 8 bytes mod 100 < {VALIDATION_PERCENT}; "
            "exact duplicate texts kept once; validation poems sharing a line with a training poem dropped",
            "train_poems": len(self.train),
            "validation_poems": len(self.validation),
            "duplicates_dropped": self.duplicates_dropped,
            "validation_dropped_shared_lines": self.validation_dropped_shared_lines,
        }


def split_poems(poems: Iterable[Poem], percent: int = VALIDATION_PERCENT) -> Split:
    poems = list(poems)
    seen, unique = set(), []
    for poem in poems:
        if poem.text not in seen:
            seen.add(poem.text)
            unique.append(poem)
    train = [p for p in unique if not is_validation(p.text, percent)]
    held = [p for p in unique if is_validation(p.text, percent)]
    train_lines = {line[:-1] if line[-1:] in LINE_ENDS else line for p in train for line in p.lines()}
    validation = [
        p for p in held if not any((line[:-1] if line[-1:] in LINE_ENDS else line) in train_lines for line in p.lines())
    ]
    return Split(train, validation, len(poems) - len(unique), len(held) - len(validation))


def load_split(path: str | Path = DEFAULT_TSV) -> Split:
    return split_poems(read_poems(path))


# --- the character tokenizer -------------------------------------------------------------------------------


class CharTokenizer:
    """One id per character; see the module's docstring. Whitespace in a text is skipped."""

    kind = "char"

    def __init__(self, tokens: list[str], min_count: int = MIN_COUNT):
        if tokens[: len(SPECIALS)] != SPECIALS:
            raise ValueError("tokenizer: the first entries must be " + " ".join(SPECIALS))
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokenizer: an entry appears twice")
        self.tokens = list(tokens)
        self.min_count = min_count
        self.index = {t: i for i, t in enumerate(self.tokens)}
        self.pad, self.unk, self.cls, self.sep, self.mask = range(5)
        self.size = len(self.tokens)

    @classmethod
    def train(cls, texts: Iterable[str], min_count: int = MIN_COUNT) -> CharTokenizer:
        counts = Counter(ch for text in texts for ch in text if not ch.isspace())
        for ch in LINE_ENDS:
            counts.pop(ch, None)
        chars = sorted((c for c, n in counts.items() if n >= min_count), key=lambda c: (-counts[c], c))
        return cls([*SPECIALS, *LINE_ENDS, *chars], min_count)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "min_count": self.min_count,
            "specials": SPECIALS,
            "line_separators": LINE_ENDS,
            "poem_separator": SEP,
            "tokens": self.tokens,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> CharTokenizer:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("kind") != cls.kind:
                raise ValueError("not a character tokenizer")
            return cls(list(data["tokens"]), int(data.get("min_count", MIN_COUNT)))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a character tokenizer file ({exc})") from None

    def __len__(self) -> int:
        return self.size

    def _encode(self, text: str, specials: bool) -> Encoded:
        ids, toks, offsets, i = [], [], [], 0
        while i < len(text):
            if specials and text[i] == "[":
                for s in SPECIALS:
                    if text.startswith(s, i):
                        ids.append(self.index[s])
                        toks.append(s)
                        offsets.append((i, i + len(s)))
                        i += len(s)
                        break
                else:
                    s = None
                if s is not None:
                    continue
            ch = text[i]
            if not ch.isspace():
                tid = self.index.get(ch, self.unk)
                if tid < len(SPECIALS) and tid != self.unk:  # a lone character never becomes a control token
                    tid = self.unk
                ids.append(tid)
                toks.append(ch if tid != self.unk else UNK)
                offsets.append((i, i + 1))
            i += 1
        return Encoded(ids, toks, offsets)

    def encode(self, text: str) -> Encoded:
        """The ids of a text; [MASK], [SEP], ... written in it are those tokens."""
        return self._encode(text, True)

    def encode_as_text(self, text: str) -> list[int]:
        """The ids of text typed by a user: a written "[PAD]" is read character by character."""
        return self._encode(text, False).ids

    def encode_many(self, texts: list[str]) -> list[list[int]]:
        return [self._encode(t, True).ids for t in texts]

    def piece(self, token_id: int) -> str:
        return self.tokens[token_id]

    def plain(self, token_id: int) -> str:
        return self.tokens[token_id]

    def is_continuation(self, token_id: int) -> bool:
        return False

    def decode(self, ids: Iterable[int]) -> str:
        """Characters joined without spaces; [PAD], [CLS] and [SEP] dropped."""
        return "".join(self.tokens[i] for i in ids if i not in (self.pad, self.cls, self.sep))


def poem_ids(tok: CharTokenizer, text: str) -> list[int]:
    """[SEP] poem [SEP]: what the GPT reads and predicts."""
    return [tok.sep, *tok.encode_as_text(text), tok.sep]


# --- the bigram baseline -----------------------------------------------------------------------------------


class Bigram:
    """Interpolated Kneser-Ney character bigram over the tokenizer's ids (see the module's docstring)."""

    def __init__(self, tok: CharTokenizer, texts: Iterable[str]):
        v = len(tok)
        self.tok = tok
        # The tokens a poem can contain or end with: everything but [PAD], [CLS], [MASK].
        self.predictable = np.ones(v, dtype=bool)
        self.predictable[[tok.pad, tok.cls, tok.mask]] = False
        pairs: Counter = Counter()
        for text in texts:
            ids = poem_ids(tok, text)
            pairs.update(zip(ids[:-1], ids[1:], strict=True))
        if not pairs:
            raise ValueError("no training text for the bigram")
        rows = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
        cols = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
        counts = np.fromiter(pairs.values(), dtype=np.float64, count=len(pairs))
        n1, n2 = float((counts == 1).sum()), float((counts == 2).sum())
        self.discount = n1 / (n1 + 2 * n2) if n1 > 0 and n2 > 0 else 0.5  # the estimate needs both
        d = self.discount
        self.counts = np.zeros((v, v), dtype=np.float32)
        self.counts[rows, cols] = counts
        self.context_total = self.counts.sum(1).astype(np.float64)
        self.context_types = (self.counts > 0).sum(1).astype(np.float64)
        continuation = (self.counts > 0).sum(0).astype(np.float64)
        n_types = continuation.sum()
        uniform = self.predictable / self.predictable.sum()
        seen_cont = float((continuation > 0).sum())
        self.unigram = np.maximum(continuation - d, 0) / n_types + d * seen_cont / n_types * uniform
        self.unigram = self.unigram * self.predictable
        self.unigram /= self.unigram.sum()

    def next_probs(self, context: int) -> np.ndarray:
        """P(. | context) over the whole vocabulary (zero for [PAD], [CLS], [MASK])."""
        total = self.context_total[context]
        if total == 0:
            return self.unigram.copy()
        d = self.discount
        row = self.counts[context].astype(np.float64)
        return np.maximum(row - d, 0) / total + d * self.context_types[context] / total * self.unigram

    def prob(self, context: int, token: int) -> float:
        total = self.context_total[context]
        if total == 0:
            return float(self.unigram[token])
        d = self.discount
        return float(
            max(float(self.counts[context, token]) - d, 0) / total
            + d * self.context_types[context] / total * self.unigram[token]
        )

    def column_probs(self, token: int) -> np.ndarray:
        """P(token | c) for every context c at once."""
        d = self.discount
        total = np.maximum(self.context_total, 1e-300)
        p = np.maximum(self.counts[:, token].astype(np.float64) - d, 0) / total
        p = p + d * self.context_types / total * self.unigram[token]
        return np.where(self.context_total > 0, p, self.unigram[token])

    def nll(self, texts: Iterable[str]) -> tuple[float, int]:
        """Total negative log-likelihood (nats) of every token after the first [SEP] of each poem
        (characters, punctuation and the closing [SEP]) and their number."""
        total, count = 0.0, 0
        for text in texts:
            ids = poem_ids(self.tok, text)
            for a, b in zip(ids[:-1], ids[1:], strict=True):
                total -= math.log(self.prob(a, b))
                count += 1
        return total, count


def masked_positions(tok: CharTokenizer, text: str, k: int = MASKS_PER_POEM) -> list[int]:
    """Positions (indexes into the poem's characters, punctuation included) of up to ``k`` characters to mask,
    never punctuation; chosen by a generator seeded with the poem's hash, so every model is asked the same."""
    chars = [i for i, ch in enumerate(text) if ch not in LINE_ENDS and not ch.isspace()]
    rng = np.random.default_rng(poem_hash(text) % (2**32))
    if len(chars) <= k:
        return chars
    return sorted(int(i) for i in rng.choice(chars, size=k, replace=False))


def candidate_ids(tok: CharTokenizer) -> np.ndarray:
    """The tokens a masked character may be: every character (not the specials, not the punctuation)."""
    return np.arange(len(tok))[len(SPECIALS) + len(LINE_ENDS) :]


def masked_baseline(bigram: Bigram, texts: Iterable[str], k: int = MASKS_PER_POEM) -> dict:
    """Top-1 / top-5 of the two-sided bigram on the masked positions of each poem; a character outside the
    vocabulary counts as a miss."""
    tok = bigram.tok
    cands = candidate_ids(tok)
    hits1 = hits5 = n = unknown = 0
    for text in texts:
        chars = [ch for ch in text if not ch.isspace()]
        ids = poem_ids(tok, "".join(chars))
        for pos in masked_positions(tok, "".join(chars), k):
            left, target, right = ids[pos], ids[pos + 1], ids[pos + 2]  # ids[0] is the opening [SEP]
            score = np.log(bigram.next_probs(left)[cands]) + np.log(bigram.column_probs(right)[cands])
            top = cands[np.argsort(-score, kind="stable")[:5]]
            n += 1
            unknown += target == tok.unk
            hits1 += int(top[0] == target)
            hits5 += int(target in top)
    return {
        "masked": n,
        "top1": hits1 / n if n else None,
        "top5": hits5 / n if n else None,
        "unknown_targets": int(unknown),
    }


def baselines(split: Split, tok: CharTokenizer) -> dict:
    train = [p.text for p in split.train]
    val = [p.text for p in split.validation]
    bigram = Bigram(tok, train)
    nll, count = bigram.nll(val)
    val_ids = [i for t in val for i in tok.encode_as_text(t)]
    return {
        "split": split.to_json(),
        "vocabulary": len(tok),
        "validation_characters_unknown": sum(1 for i in val_ids if i == tok.unk) / max(1, len(val_ids)),
        "bigram_kn": {
            "discount": bigram.discount,
            "validation_tokens": count,
            "perplexity_per_character": math.exp(nll / count),
            "note": "every token after the opening [SEP] of each validation poem is predicted: characters, "
            "punctuation and the closing [SEP] (the GPT's perplexity_per_token on the same poems)",
        },
        "masked_bigram_both_sides": {
            **masked_baseline(bigram, val),
            "note": f"{MASKS_PER_POEM} characters (never punctuation) per validation poem, chosen by the poem's hash, "
            "each masked alone; candidates: every character of the vocabulary; score P(c|left) P(right|c)",
        },
    }


# --- the models' scores on the same questions ----------------------------------------------------------------


def bert_masked_inputs(tok: CharTokenizer, text: str, positions: list[int]) -> tuple[np.ndarray, np.ndarray, list]:
    """One row per masked position: ``[CLS] A [SEP] B [SEP]`` as bert-tang is trained (A the first half of the
    couplets, B the rest; segments 0 / 1), with that one character shown as [MASK]. Returns (ids, segments,
    [(column of the mask, target id)])."""
    pairs = couplets("".join(ch for ch in text if not ch.isspace()))
    k = max(1, len(pairs) // 2)
    a, b = tok.encode_as_text("".join(pairs[:k])), tok.encode_as_text("".join(pairs[k:]))
    row = [tok.cls, *a, tok.sep, *b, tok.sep] if b else [tok.cls, *a, tok.sep]
    seg = [0] * (len(a) + 2) + [1] * (len(row) - len(a) - 2)
    # Character i of the poem sits at column 1 + i in A, or 2 + i in B.
    columns = [1 + i if i < len(a) else 2 + i for i in positions]
    ids = np.tile(np.asarray(row, dtype=np.int64), (len(positions), 1))
    targets = []
    for r, col in enumerate(columns):
        targets.append((col, int(ids[r, col])))
        ids[r, col] = tok.mask
    return ids, np.tile(np.asarray(seg, dtype=np.int64), (len(positions), 1)), targets


def bert_masked_scores(model, tok: CharTokenizer, texts: Iterable[str], k: int = MASKS_PER_POEM, device="cpu") -> dict:
    """A BERT's top-1 / top-5 on the masked positions of ``masked_baseline`` (each masked alone, candidates
    every character of the vocabulary), so the two figures answer the same questions."""
    import torch

    cands = torch.as_tensor(candidate_ids(tok), device=device)
    hits1 = hits5 = n = 0
    model.eval()
    with torch.no_grad():
        for text in texts:
            positions = masked_positions(tok, "".join(ch for ch in text if not ch.isspace()), k)
            if not positions:
                continue
            ids, seg, targets = bert_masked_inputs(tok, text, positions)
            if ids.shape[1] > model.config.max_len:
                continue
            logits = model.token_logits(model(torch.as_tensor(ids, device=device), torch.as_tensor(seg, device=device)))
            for r, (col, target) in enumerate(targets):
                top = cands[torch.topk(logits[r, col, cands], 5).indices].tolist()
                n += 1
                hits1 += int(top[0] == target)
                hits5 += int(target in top)
    return {"masked": n, "top1": hits1 / n if n else None, "top5": hits5 / n if n else None}


def gpt_perplexity(model, tok: CharTokenizer, texts: list[str], device="cpu") -> dict:
    """Per-character perplexity of a GPT on poems read as [SEP] poem [SEP]: the same tokens as ``Bigram.nll``."""
    from viz_app.core.lm.train import line_nll

    nll, count = line_nll(model, tok, list(texts), device)
    return {"tokens": count, "perplexity_per_character": math.exp(nll / count) if count else None}
