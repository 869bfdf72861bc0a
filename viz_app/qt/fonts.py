"""A Traditional Chinese font that travels with the app, so the zh_TW interface never shows empty boxes.

Machines without a CJK font (a fresh Linux, a bare Windows VM) would draw the translated interface as
boxes. The app ships ``resources/fonts/NotoSansTC-viz_app.otf``: Noto Sans CJK TC (SIL Open Font
Licence 1.1, the licence beside it) cut down to the characters the translations and the bundled tours
use, plus common punctuation. :func:`register` adds it to Qt at start-up and puts it after the
interface font in the application's font families, so Qt falls back to it for CJK text only; a CJK font
installed on the system still covers anything else a user types.

``python -m viz_app.qt.fonts /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`` rebuilds the file
(needs fontTools, a developer tool) after the translations change.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from viz_app.core.resources import resources_dir

log = logging.getLogger(__name__)
FONT_FILE = "NotoSansTC-viz_app.otf"
_registered: list[str] = []


def font_path() -> Path:
    return resources_dir() / "fonts" / FONT_FILE


def register(app) -> str:
    """Load the bundled CJK font and make it the fallback of the application font. Returns its family
    ("" when the file is missing or unreadable: the system's fonts are used then)."""
    from PySide6.QtGui import QFont, QFontDatabase

    if _registered:
        family = _registered[0]
    else:
        path = font_path()
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("bundled CJK font not loaded from %s", path)
            return ""
        family = families[0]
        _registered.append(family)
    font = QFont(app.font())
    current = [f for f in font.families() if f != family] or [font.family()]
    font.setFamilies([*current, family])
    app.setFont(font)
    return family


def characters_needed() -> str:
    """Every character of the zh_TW translations and the bundled tours, plus CJK punctuation."""
    text = []
    for ts in (resources_dir() / "i18n").glob("*.ts"):
        text.append(ts.read_text(encoding="utf-8"))
    for tour in (resources_dir() / "tours").glob("*.json"):
        text.append(tour.read_text(encoding="utf-8"))
    chars = {ch for ch in "".join(text) if ord(ch) > 0x2E7F}
    chars |= set("，。、；：？！「」『』（）《》〈〉…—～·　")
    return "".join(sorted(chars))


def build(source_ttc: str, index: int | None = None) -> Path:
    """Subset Noto Sans CJK TC from ``source_ttc`` (a .ttc collection or an .otf) to the needed characters."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if source_ttc.endswith(".ttc"):
        fonts = TTCollection(source_ttc).fonts
        if index is None:
            index = next(k for k, f in enumerate(fonts) if re.fullmatch(r"Noto Sans CJK TC", f["name"].getDebugName(1)))
        font = fonts[index]
    else:
        font = TTFont(source_ttc)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    ascii_range = "".join(chr(c) for c in range(0x20, 0x7F))
    subsetter.populate(text=characters_needed() + ascii_range)
    subsetter.subset(font)
    out = font_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same characters give the same file (no churn in git)
    font.save(str(out))
    return out


if __name__ == "__main__":  # pragma: no cover
    print(build(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
