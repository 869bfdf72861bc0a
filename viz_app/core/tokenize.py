"""Word tokenisation for the count-based lessons (bag of words).

Rules, chosen so that the lecture's movie review gives the lecture's counts
(('the', 8), (',', 5), ('very', 4), ('.', 4), ('who', 4), ('and', 3), ...):

* text is lowercased (Unicode-aware, so "É" -> "é");
* a word is a run of letters/digits, with inner hyphens or apostrophes kept
  ("live-in", "don't");
* "..." is one token (an ellipsis is not three full stops);
* every other non-space character is a token of its own (",", ":", an emoji);
* Chinese, Japanese and Korean characters are one token each, since these
  scripts do not put spaces between words.
"""

from __future__ import annotations

import re

# CJK Unified Ideographs (+ Extension A, compatibility), Hiragana, Katakana, Hangul syllables.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN_RE = re.compile(
    rf"[{_CJK}]"  # one CJK character
    rf"|(?:(?![{_CJK}])\w)+(?:[-'’](?:(?![{_CJK}])\w)+)*"  # a word, inner - or ' kept
    r"|\.\.\.|…"  # an ellipsis
    r"|[^\w\s]",  # any other symbol, punctuation or emoji
)


def split_tokens(text: str) -> list[str]:
    """Split ``text`` into word and punctuation tokens, case kept: each CJK character is a token of its own."""
    return _TOKEN_RE.findall(text)


def word_tokens(text: str) -> list[str]:
    """Split ``text`` into lowercase word and punctuation tokens."""
    return split_tokens(text.lower())


_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "'"}


def detokenize(tokens: list[str]) -> str:
    """Join tokens back into text: no space before punctuation or a clitic like "'s"."""
    out = ""
    for t in tokens:
        if out and not (t in _NO_SPACE_BEFORE or t.startswith("'")):
            out += " "
        out += t
    return out
