"""Which language a typed text is in, as far as the lessons need to know: Chinese (the Tang-poem models read it)
or not (the English and French models). Qt-free; every lesson that offers a Chinese model asks the same question.
"""

from __future__ import annotations

CHINESE_SHARE = 0.5  # of the text's letters: at least this many Chinese characters make it Chinese


def is_han(ch: str) -> bool:
    """A Chinese character (CJK Unified Ideographs, extension A, compatibility ideographs)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F
    )


def chinese_share(text: str) -> float:
    """The share of Chinese characters among the text's letters (punctuation, digits, spaces and symbols not
    counted); 0 for a text with no letters."""
    for mask in ("[MASK]", "<mask>"):  # a BERT lesson's mask is not an English word
        text = text.replace(mask, " ")
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if is_han(ch)) / len(letters) if letters else 0.0


def is_chinese(text: str) -> bool:
    """True when most of the text's letters are Chinese characters ("床前明月光", "春 [MASK] 秋"), False for
    English or French, for an empty text and for one of only punctuation, digits or emoji."""
    return chinese_share(text) >= CHINESE_SHARE
