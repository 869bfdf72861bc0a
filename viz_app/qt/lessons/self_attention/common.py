"""What the self-attention lesson's tab modules share: the tabs' titles and the colour range of a heat map."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TR_NOOP

TABS = (  # English sources, shown through tr()
    QT_TR_NOOP("Q, K, V"),
    QT_TR_NOOP("Heads"),
    QT_TR_NOOP("All layers"),
    QT_TR_NOOP("Neuron view"),
    QT_TR_NOOP("Positions"),
    QT_TR_NOOP("Parallel vs sequential"),
    QT_TR_NOOP("Vision"),
)


def _sym(values: np.ndarray) -> tuple[float, float]:
    lim = max(float(np.abs(values).max()) if values.size else 0.0, 1e-6)
    return -lim, lim
