"""One WordPiece tokenizer (about 8,000 entries) shared by the tiny BERT and the tiny GPT.

Trained with the ``tokenizers`` library; lowercases, splits Chinese characters and punctuation apart,
and turns anything it has never seen (an emoji, most Chinese characters) into [UNK]. The GPT reads
a text as ``[SEP] tokens`` and predicts ``tokens [SEP]``: [SEP] doubles as the end-of-text token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIALS = [PAD, UNK, CLS, SEP, MASK]  # ids 0..4 in this order


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    tokens: list[str]  # as the tokenizer writes them ("##ing" continues a word)
    offsets: list[tuple[int, int]]  # character span of each token in the input text


class WordPieces:
    def __init__(self, tokenizer):
        self._tok = tokenizer
        vocab = tokenizer.get_vocab()
        for i, special in enumerate(SPECIALS):
            if vocab.get(special) != i:
                raise ValueError(f"tokenizer: {special} must have id {i}")
        self.pad, self.unk, self.cls, self.sep, self.mask = range(5)
        self.size = tokenizer.get_vocab_size()
        self._pieces = [""] * self.size
        for piece, i in vocab.items():
            self._pieces[i] = piece

    @classmethod
    def load(cls, path: str | Path) -> WordPieces:
        from tokenizers import Tokenizer

        try:
            return cls(Tokenizer.from_file(str(path)))
        except Exception as exc:  # the library raises its own exception type for a broken file
            raise ValueError(f"{path}: not a tokenizer file ({exc})") from None

    def save(self, path: str | Path) -> None:
        self._tok.save(str(path))

    def __len__(self) -> int:
        return self.size

    def encode(self, text: str) -> Encoded:
        enc = self._tok.encode(text, add_special_tokens=False)
        return Encoded(list(enc.ids), list(enc.tokens), [tuple(o) for o in enc.offsets])

    def encode_as_text(self, text: str) -> list[int]:
        """The ids of text typed by a user: a special token written in it ("[PAD]", "[SEP]") is split like any
        other text instead of becoming that control token (a typed [PAD] would otherwise be masked out)."""
        self._tok.encode_special_tokens = True
        try:
            return list(self._tok.encode(text, add_special_tokens=False).ids)
        finally:
            self._tok.encode_special_tokens = False

    def encode_many(self, texts: list[str]) -> list[list[int]]:
        return [list(e.ids) for e in self._tok.encode_batch(texts, add_special_tokens=False)]

    def piece(self, token_id: int) -> str:
        return self._pieces[token_id]

    def plain(self, token_id: int) -> str:
        """The token as plain text: "##ing" -> "ing" (a continuation), specials kept as they are."""
        p = self._pieces[token_id]
        return p[2:] if p.startswith("##") else p

    def is_continuation(self, token_id: int) -> bool:
        return self._pieces[token_id].startswith("##")

    def decode(self, ids: Iterable[int]) -> str:
        """Join word pieces into text: "##" pieces glue on, no space before punctuation or after an
        apostrophe that starts a clitic ("lily ' s" -> "lily's"); [PAD], [CLS] and [SEP] are dropped."""
        out, previous = "", ""
        for i in ids:
            if i in (self.pad, self.cls, self.sep):
                continue
            p = self._pieces[i]
            if p.startswith("##"):
                out += p[2:]
                previous = p[2:]
                continue
            glue = not out or p in _NO_SPACE_BEFORE or (previous == "'" and p in _CLITICS) or previous in "(["
            out += p if glue else " " + p
            previous = p
        return out


_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "]", "'", "..."}
_CLITICS = {"s", "t", "m", "re", "ve", "ll", "d"}


def train_tokenizer(texts: Iterable[str], vocab_size: int = 8000, min_frequency: int = 2) -> WordPieces:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token=UNK, max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=SPECIALS, show_progress=False
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return WordPieces(tok)
