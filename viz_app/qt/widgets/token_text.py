"""Text coloured token by token by the model's probability, with each token's entropy on hover and a click
to ask for its alternatives; and its legend, in words."""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip

from viz_app.qt import theme
from viz_app.qt.i18n import tr

LOW = -3.0  # log10 of the probability drawn darkest (and below): 0.001


def probability_rgb(p: float) -> tuple[int, int, int]:
    """The colour of probability ``p``: the app's sequential colour map (the one of attention weights) on a
    log scale from 0.001 (the map's low end: a surprise) to 1 (its high end: expected)."""
    x = (math.log10(max(p, 1e-12)) - LOW) / -LOW
    lut = theme.lookup_table(points=256)
    r, g, b = (int(v) for v in lut[int(round(min(1.0, max(0.0, x)) * 255))][:3])
    return r, g, b


def swatch(p: float, text: str) -> str:
    """``text`` as HTML on the colour of probability ``p``."""
    rgb = probability_rgb(p)
    return (
        f'<span style="background-color:#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}; color:{theme.text_on(rgb)};">'
        f"{text}</span>"
    )


def legend_html() -> str:
    return tr("Colour = the model's probability of each token: {a} {b} {c} {d}. Hover a token: its entropy.").format(
        a=swatch(0.001, "&nbsp;" + tr("under 0.001: a surprise") + "&nbsp;"),
        b=swatch(0.01, "&nbsp;0.01&nbsp;"),
        c=swatch(0.1, "&nbsp;0.1&nbsp;"),
        d=swatch(0.9, "&nbsp;" + tr("near 1: expected") + "&nbsp;"),
    )


class ProbabilityText(QTextBrowser):
    """Read-only text: the prompt in the normal colour, then each token on its probability's colour, each a link.
    ``tokenClicked(step)`` when a token is clicked; hovering shows ``tip(step)``."""

    tokenClicked = Signal(int)

    def __init__(self, parent=None, object_name: str = "probabilityText"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)
        self.steps: tuple = ()
        self.selected: int | None = None

    def set_tokens(self, prompt: str, steps, selected: int | None = None) -> None:
        self.steps, self.selected = tuple(steps), selected
        parts = [escape(prompt)] if prompt else []  # the prompt in the normal colour: the model did not choose it
        for i, s in enumerate(self.steps):
            shown = escape(s.text).replace(" ", "&nbsp;") or "&nbsp;"
            style = "text-decoration:none;"
            if i == selected:
                style += "border:2px solid; font-weight:bold;"
            token = f'<a href="t:{i}" style="{style}">{swatch(s.prob, shown)}</a>'
            parts.append((" " if s.space and (parts or i) else "") + token)
        self.setHtml(f'<div style="font-size:large; line-height:150%;">{"".join(parts)}</div>')

    def tip(self, i: int) -> str:
        s = self.steps[i]
        return tr(
            "“{token}”: probability {p}; entropy {h} bits (as unsure as a fair choice among {n} tokens). "
            "Click: its alternatives."
        ).format(token=s.text, p=f"{s.prob:.3g}", h=f"{s.entropy:.2f}", n=f"{2**s.entropy:.1f}")

    def _index(self, url: QUrl) -> int | None:
        text = url.toString()
        if text.startswith("t:") and text[2:].isdigit() and int(text[2:]) < len(self.steps):
            return int(text[2:])
        return None

    def _clicked(self, url: QUrl) -> None:
        i = self._index(url)
        if i is not None:
            self.tokenClicked.emit(i)

    def _hovered(self, url: QUrl) -> None:
        i = self._index(url)
        if i is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(QCursor.pos(), self.tip(i), self)
