"""A Traditional Chinese font that travels with the app, so the zh_TW interface never shows empty boxes.

Machines without a CJK font (a fresh Linux, a bare Windows VM) would draw the translated interface as
boxes. The app ships ``resources/fonts/NotoSansTC-viz_app.otf``: Noto Sans CJK TC (SIL Open Font
Licence 1.1, the licence beside it) cut down to the characters the translations and the bundled tours
use, plus common punctuation, under a family name of its own ("viz_app CJK TC"). At start-up
:func:`register` loads it when the system has no font for Traditional Chinese; Qt then falls back to it
for the glyphs the interface font lacks.

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
FAMILY = "viz_app CJK TC"  # the subset's own family name
_registered: list[str] = []


def font_path() -> Path:
    return resources_dir() / "fonts" / FONT_FILE


def register(app, force: bool = False) -> str:
    """Make sure Traditional Chinese has a font: a system font that has it, else the bundled one (loaded
    now; ``force`` loads it even so). Returns the family Chinese text will use ("" when there is none)."""
    from PySide6.QtGui import QFontDatabase

    system = [f for f in QFontDatabase.families(QFontDatabase.TraditionalChinese) if f != FAMILY]
    if system and not force and not _registered:
        # Loading a font file makes Qt rebuild its font configuration, which changes how the interface
        # font is drawn; with a system CJK font there is no need to.
        return system[0]
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
    # Nothing else to do: Qt adds application fonts to its font matching, so text in a script the
    # interface font lacks (Chinese) falls back to the bundled font when no system font has it. Putting it
    # into the application font's family list instead makes Qt draw Latin text with it too.
    return family


def characters_needed() -> str:
    """Every character of the zh_TW translations, the bundled tours and the bundled models' vocabularies (what
    the Chinese models can read and write: the Tang-poem tokenizers, embedding and couplet vocabularies, the
    cards' samples), of the evaluation files, plus CJK punctuation."""
    text = []
    for ts in (resources_dir() / "i18n").glob("*.ts"):
        text.append(ts.read_text(encoding="utf-8"))
    for tour in (resources_dir() / "tours").glob("*.json"):
        text.append(tour.read_text(encoding="utf-8"))
    for path in sorted((resources_dir() / "models").rglob("*")):
        name = path.name
        if path.suffix in (".json", ".txt") and ("tokenizer" in name or "vocab" in name or name == "manifest.json"):
            text.append(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((resources_dir() / "eval").glob("*")):
        if path.suffix in (".tsv", ".json", ".txt"):
            text.append(path.read_text(encoding="utf-8", errors="replace"))
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
    # Keep the OS/2 ranges that say "Traditional Chinese": Qt picks fallback fonts by them.
    options.prune_unicode_ranges = False
    options.prune_codepage_ranges = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters_needed())  # no Latin letters: those stay the interface font's
    subsetter.subset(font)
    # A name of its own: fontconfig lists "Noto Sans CJK TC" among its preferred sans-serif fonts, so under
    # that name the subset would replace the interface font for Latin text as well.
    names = {1: FAMILY, 16: FAMILY, 4: FAMILY, 6: FAMILY.replace(" ", "") + "-Regular", 3: FAMILY + " (subset)"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [names[6]]
    out = font_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same characters give the same file (no churn in git)
    font.save(str(out))
    return out


if __name__ == "__main__":  # pragma: no cover
    print(build(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
