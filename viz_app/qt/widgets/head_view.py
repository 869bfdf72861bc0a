"""Attention of one layer drawn as lines between the tokens and themselves, as in the lecture's figures and
BertViz's head view: each token twice, in a column on the left (the one attending, the query) and a facing
column on the right (the one attended to, the key), a line per head in the head's own colour, as wide and as
opaque as its weight.

The drawing fills its panel: the rows spread over the height (the tokens' font grows with them, up to half as
large again), the columns stand apart across the width. Heads can be switched off; hovering a token on either
side shows only its lines (on the left: where it looks; on the right: who looks at it). With every token's
lines at once, only the weights above an even share (1/T) are drawn, so that the peaks stand out."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.theme import HEAD_COLORS, head_color  # noqa: F401 - re-exported for the lessons
from viz_app.qt.widgets.heatmap import elide_token

MIN_WEIGHT = 0.03  # lines below this weight are never drawn
LONG_INPUT = 64
LONG_INPUT_FLOOR = 0.1
MARGIN = 8
MAX_PITCH = 4.0  # row pitch at most this many times the plain row height
MAX_FONT_SCALE = 1.5


class HeadView(QWidget):
    tokenHovered = Signal(int)  # the query (left) token under the pointer; -1 when it leaves them

    def __init__(self, parent=None, object_name: str = "headView"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.tokens: list[str] = []
        self.keys: list[str] = []
        self.weights = np.zeros((0, 0, 0), np.float32)  # (heads, T, T')
        self.enabled: list[bool] = []
        self.focus = -1  # the query token whose lines alone are drawn
        self.key_focus = -1  # the key token whose lines alone are drawn

    # --- data -------------------------------------------------------------------------------------
    def set_attention(self, tokens: list[str], weights: np.ndarray, keys: list[str] | None = None) -> None:
        self.tokens = [str(t) for t in tokens]
        self.keys = [str(t) for t in keys] if keys is not None else list(self.tokens)
        w = np.asarray(weights, np.float32)
        self.weights = np.nan_to_num(w, nan=0.0, posinf=0.0, neginf=0.0) if w.size else w
        if len(self.enabled) != self.weights.shape[0]:
            self.enabled = [True] * self.weights.shape[0]
        self.focus = -1 if self.focus >= len(self.tokens) else self.focus
        self.key_focus = -1 if self.key_focus >= len(self.keys) else self.key_focus
        self.updateGeometry()
        self.update()

    def set_head_enabled(self, head: int, on: bool) -> None:
        if 0 <= head < len(self.enabled):
            self.enabled[head] = on
            self.update()

    # --- geometry ---------------------------------------------------------------------------------
    def _plain_row(self) -> float:
        return QFontMetrics(self.font()).height() + 4

    def _header(self) -> float:
        return QFontMetrics(self.font()).height() + 8

    def _rows(self) -> int:
        return max(len(self.tokens), len(self.keys), 1)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(480, int(self._header() + self._rows() * self._plain_row() + 2 * MARGIN))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(260, self.sizeHint().height())

    def token_font(self) -> QFont:
        """The tokens' font: the widget's, larger while the rows have room for it."""
        font = QFont(self.font())
        scale = min(MAX_FONT_SCALE, max(1.0, self.pitch() / (self._plain_row() * 1.6)))
        size = font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * scale)
        else:
            font.setPixelSize(max(1, round(font.pixelSize() * scale)))
        return font

    def pitch(self) -> float:
        """The distance between two rows: the height shared out, between one and MAX_PITCH plain rows."""
        plain = self._plain_row()
        room = self.height() - self._header() - 2 * MARGIN
        return float(min(plain * MAX_PITCH, max(plain, room / self._rows())))

    def layout_columns(self) -> tuple[float, float, float, float]:
        """(left column's x, column width, right column's x, top of the first row)."""
        fm = QFontMetrics(self.token_font())
        widest = max((fm.horizontalAdvance(elide_token(t)) for t in self.tokens + self.keys), default=40)
        col_w = widest + 14
        room = self.width() - 2 * MARGIN - 2 * col_w
        gap = max(60.0, min(room, max(280.0, room * 0.6)))
        left_x = max(MARGIN, (self.width() - 2 * col_w - gap) / 2)
        used = self._rows() * self.pitch()
        top = self._header() + MARGIN + max(0.0, (self.height() - self._header() - 2 * MARGIN - used) / 2)
        return left_x, col_w, left_x + col_w + gap, top

    def row_y(self, k: int) -> float:
        """The centre of row ``k``."""
        return self.layout_columns()[3] + (k + 0.5) * self.pitch()

    def token_rect(self, side: str, k: int) -> QRectF:
        """Where token ``k`` of the ``"query"`` (left) or ``"key"`` (right) column is written."""
        left_x, col_w, right_x, _top = self.layout_columns()
        x = left_x if side == "query" else right_x
        return QRectF(x, self.row_y(k) - self.pitch() / 2, col_w, self.pitch())

    def _hit(self, point) -> tuple[str, int]:
        left_x, col_w, right_x, top = self.layout_columns()
        k = int((point.y() - top) // self.pitch())
        if left_x <= point.x() <= left_x + col_w and 0 <= k < len(self.tokens):
            return "query", k
        if right_x <= point.x() <= right_x + col_w and 0 <= k < len(self.keys):
            return "key", k
        return "", -1

    def token_at(self, point) -> int:
        """The query (left) token under ``point``, or -1."""
        side, k = self._hit(point)
        return k if side == "query" else -1

    def key_at(self, point) -> int:
        """The key (right) token under ``point``, or -1."""
        side, k = self._hit(point)
        return k if side == "key" else -1

    # --- drawing ----------------------------------------------------------------------------------
    def visible_lines(self) -> list[tuple[int, int, int, float]]:
        """The lines drawn now, as (head, query, key, weight), weakest first (the strongest lie on top)."""
        if self.weights.ndim != 3:
            return []
        heads, rows, cols = self.weights.shape
        if self.focus >= 0 or self.key_focus >= 0:
            floor = MIN_WEIGHT  # one token's lines: all of them
        else:  # all lines at once: only those above an even share (1/T'), so the peaks stand out
            floor = max(MIN_WEIGHT, 1.0 / max(cols, 1)) if len(self.tokens) <= LONG_INPUT else LONG_INPUT_FLOOR
        lines = []
        for h in range(heads):
            if h >= len(self.enabled) or not self.enabled[h]:
                continue
            for i in range(rows):
                if self.focus >= 0 and i != self.focus:
                    continue
                for j in range(cols):
                    if self.key_focus >= 0 and j != self.key_focus:
                        continue
                    w = float(self.weights[h, i, j])
                    if w >= floor:
                        lines.append((h, i, j, w))
        lines.sort(key=lambda line: line[3])
        return lines

    def line_pen(self, head: int, weight: float, pitch: float | None = None) -> QPen:
        """A line's pen: its head's colour, wider and more opaque the larger the weight."""
        isolated = self.focus >= 0 or self.key_focus >= 0
        active = max(1, sum(self.enabled))
        color = QColor(head_color(head))
        alpha = (0.3 + 0.7 * weight) if isolated else (0.12 + 0.88 * weight) / (1 + 0.08 * (active - 1))
        color.setAlphaF(float(min(1.0, max(0.05, alpha))))
        pitch = self.pitch() if pitch is None else pitch
        widest = max(2.0, min(7.0, pitch * 0.3))
        # Thicker in presentation mode, but never so thick that neighbouring rows' lines merge.
        pen = QPen(color, min(theme.line_width(1.0 + (widest - 1.0) * weight), max(2.0, pitch * 0.35)))
        pen.setCapStyle(Qt.RoundCap)
        return pen

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(c["background"]))
        left_x, col_w, right_x, top = self.layout_columns()
        fg, muted = QColor(c["foreground"]), QColor(c["muted"])
        painter.setPen(fg)
        # Over each column, flush with the side its lines leave from; where a column is narrower than its title,
        # the title reaches into the gap instead of out of the widget.
        header_y, header_h = top - self._header(), self._header() - 4
        head_fm = QFontMetrics(self.font())
        half = self.width() / 2 - 4
        query, key = tr("attending (query)"), tr("attended to (key)")
        if head_fm.horizontalAdvance(query) <= left_x + col_w - 2:
            rect, align = QRectF(2, header_y, left_x + col_w - 2, header_h), Qt.AlignRight
        else:
            rect, align = QRectF(2, header_y, half, header_h), Qt.AlignLeft
        painter.drawText(rect, align | Qt.AlignBottom, head_fm.elidedText(query, Qt.ElideRight, int(half)))
        if head_fm.horizontalAdvance(key) <= self.width() - right_x - 2:
            rect, align = QRectF(right_x, header_y, self.width() - right_x - 2, header_h), Qt.AlignLeft
        else:
            rect, align = QRectF(self.width() - 2 - half, header_y, half, header_h), Qt.AlignRight
        painter.drawText(rect, align | Qt.AlignBottom, head_fm.elidedText(key, Qt.ElideRight, int(half)))
        x0, x1 = left_x + col_w, right_x
        pitch = self.pitch()
        ys = top + (np.arange(self._rows()) + 0.5) * pitch
        for h, i, j, w in self.visible_lines():
            painter.setPen(self.line_pen(h, w, pitch))
            painter.drawLine(QPointF(x0, ys[i]), QPointF(x1, ys[j]))
        font = self.token_font()
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetrics(font)
        strength = self._partner_strength()
        for side, tokens, align, focus in (
            ("query", self.tokens, Qt.AlignRight, self.focus),
            ("key", self.keys, Qt.AlignLeft, self.key_focus),
        ):
            x = left_x if side == "query" else right_x
            for k, token in enumerate(tokens):
                rect = QRectF(x, ys[k] - pitch / 2, col_w, pitch)
                text_rect = rect.adjusted(6, 0, -6, 0)
                if k == focus:
                    mark = QColor(theme.HIGHLIGHT)
                    mark.setAlpha(70)
                    width = fm.horizontalAdvance(elide_token(token)) + 10
                    edge = text_rect.right() - width + 5 if side == "query" else text_rect.left() - 5
                    painter.fillRect(QRectF(edge, rect.top() + 1, width, rect.height() - 2), mark)
                painter.setFont(bold if k == focus else font)
                partner = strength.get(side)
                dim = partner is not None and partner[k] < 0.1 and k != focus
                painter.setPen(muted if dim else fg)
                painter.drawText(text_rect, align | Qt.AlignVCenter, elide_token(token))
        painter.end()

    def _partner_strength(self) -> dict[str, np.ndarray]:
        """While a token is hovered, how strongly each token on the other side is tied to it (the largest
        weight over the heads shown), so that the tokens it barely touches can be drawn faint."""
        on = [h for h in range(len(self.enabled)) if self.enabled[h] and h < self.weights.shape[0]]
        if not on or self.weights.ndim != 3:
            return {}
        if self.focus >= 0:
            return {"key": self.weights[on, self.focus, :].max(axis=0)}
        if self.key_focus >= 0:
            return {"query": self.weights[on, :, self.key_focus].max(axis=0)}
        return {}

    # --- pointer ----------------------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        side, k = self._hit(event.position())
        query, key = (k, -1) if side == "query" else ((-1, k) if side == "key" else (-1, -1))
        if (query, key) != (self.focus, self.key_focus):
            if query != self.focus:
                self.tokenHovered.emit(query)
            self.focus, self.key_focus = query, key
            self.update()
        tokens = self.tokens if side == "query" else self.keys
        if k >= 0 and elide_token(tokens[k]) != tokens[k]:
            QToolTip.showText(event.globalPosition().toPoint(), tokens[k], self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.focus != -1 or self.key_focus != -1:
            if self.focus != -1:
                self.tokenHovered.emit(-1)
            self.focus = self.key_focus = -1
            self.update()
        super().leaveEvent(event)
