"""The forms of regular verse (五言/七言 絕句/律詩) and whether a text keeps one: its lines, their lengths and
their marks (， after an odd line, 。 after an even one; :func:`line_end_counts` recounts the rule from the
corpus). Qt-free and model-free: ``poem`` samples under these forms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from viz_app.core.lm.tang import LINE_ENDS, poem_lines
from viz_app.core.messages import msg

ODD_MARK, EVEN_MARK = "，", "。"  # after lines 1, 3, 5, 7 / after lines 2, 4, 6, 8


@dataclass(frozen=True)
class Form:
    name: str  # "5x4": characters per line x lines
    chars: int
    lines: int
    title: str  # the form's Chinese name

    @property
    def length(self) -> int:
        """Characters and marks of the whole poem (the end of text not counted)."""
        return self.lines * (self.chars + 1)

    def mark(self, line: int) -> str:
        """The mark that ends ``line`` (1-based)."""
        return ODD_MARK if line % 2 else EVEN_MARK

    def slot(self, position: int) -> tuple[str, int | None]:
        """What goes at ``position`` (0-based index in the poem's text): ("character", line), ("mark", line)
        or ("end", None) after the last line; lines are 1-based."""
        if position >= self.length:
            return "end", None
        line, column = divmod(position, self.chars + 1)
        return ("mark" if column == self.chars else "character"), line + 1

    def pattern(self) -> str:
        """The form drawn with ○ for each character: ○○○○○，○○○○○。..."""
        return "".join("○" * self.chars + self.mark(i) for i in range(1, self.lines + 1))


FORMS = {
    f.name: f
    for f in (
        Form("5x4", 5, 4, "五言絕句"),
        Form("7x4", 7, 4, "七言絕句"),
        Form("5x8", 5, 8, "五言律詩"),
        Form("7x8", 7, 8, "七言律詩"),
    )
}
LONGEST = max(f.length for f in FORMS.values())


def get_form(name: str | Form) -> Form:
    """A form by its name ("5x4", also "5X4" or "5×4") or its Chinese title ("五言絕句")."""
    if isinstance(name, Form):
        return name
    key = str(name).strip().lower().replace("×", "x")
    for form in FORMS.values():
        if key in (form.name, form.title):
            return form
    raise ValueError(
        msg("unknown form “{form}”: choose 5x4 (五言絕句), 7x4 (七言絕句), 5x8 (五言律詩) or 7x8 (七言律詩)", form=name)
    )


def form_for(chars: int, lines: int) -> Form:
    """The form a view's two controls name: 5 or 7 characters (五言 / 七言), 4 or 8 lines (絕句 / 律詩)."""
    return get_form(f"{chars}x{lines}")


def is_hanzi(ch: str) -> bool:
    """One CJK ideograph (the basic block, extension A, the compatibility block, extensions B and later)."""
    if len(ch) != 1:
        return False
    c = ord(ch)
    return 0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3FFFF


@dataclass(frozen=True)
class FormCheck:
    form: str
    lines: int  # how many lines the text has (a last line without its mark counted)
    line_count: bool  # as many lines as the form
    line_lengths: bool  # every line: the form's number of characters, then a mark
    punctuation: bool  # every line ends with the mark the rule wants (， odd, 。 even)
    characters: bool  # inside the lines only Chinese characters (no [UNK] or other special token)

    @property
    def ok(self) -> bool:
        return self.line_count and self.line_lengths and self.punctuation and self.characters


def check_form(tokens: str | Sequence[str], form: str | Form) -> FormCheck:
    """How a text (or a list of generated tokens, one string each, the end of text left out) keeps the form."""
    f = get_form(form)
    lines, current = [], []
    for t in list(tokens):
        current.append(t)
        if t in LINE_ENDS:
            lines.append(current)
            current = []
    if current:
        lines.append(current)
    lengths = all(len(line) == f.chars + 1 and line[-1] in LINE_ENDS for line in lines)
    punctuation = all(line[-1] == f.mark(i) for i, line in enumerate(lines, 1))
    characters = all(is_hanzi(t) for line in lines for t in line if t not in LINE_ENDS)
    return FormCheck(f.name, len(lines), len(lines) == f.lines, lengths, punctuation, characters)


def form_of(tokens: str | Sequence[str]) -> str | None:
    """The form a text keeps exactly (line lengths, marks, line count), or None."""
    return next((name for name in FORMS if check_form(tokens, name).ok), None)


def line_end_counts(texts: Iterable[str]) -> dict:
    """The marks that end odd and even lines in ``texts`` and the share of texts that follow the rule
    (， after odd lines, 。 after even ones) at every line: the evidence for the rule."""
    odd, even = Counter(), Counter()
    follow = n = 0
    for text in texts:
        lines = poem_lines(text)
        n += 1
        for i, line in enumerate(lines, 1):
            (odd if i % 2 else even)[line[-1]] += 1
        follow += all(line[-1] == (ODD_MARK if i % 2 else EVEN_MARK) for i, line in enumerate(lines, 1))
    return {"odd_lines": dict(odd.most_common()), "even_lines": dict(even.most_common()), "poems": n,
            "share_following_rule": follow / n if n else None}  # fmt: skip
