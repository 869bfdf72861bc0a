"""The gallery renders lesson tabs and tour steps into one folder with an index.html that shows them."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QImage

from viz_app.core import tours
from viz_app.qt import gallery


def test_a_small_gallery_is_rendered_and_indexed_and_a_failing_view_is_listed(qtbot, config_dir, tmp_path):
    tour = tours.load(tours.bundled_tour_path())
    step = next(k for k, s in enumerate(tour.steps, 1) if s.lesson == "bow")
    items = [
        gallery.Item("lesson-bow-1", "Bag of words, second tab", "bow", 1),
        *[i for i in gallery.tour_items(tour, {"bow"}) if i.step == step],
        gallery.Item("lesson-nope-0", "no such lesson", "nope", 0),
        # Chinese text after the lesson's defaults: the lab switches to the character embeddings (no error)
        gallery.Item("zh-lesson-word-embedding-1", "neighbours, Chinese", "word-embedding", 1, text="春 花 月 夜 山"),
    ]
    lines = []
    report = gallery.render(tmp_path, items, ["1024x768", "1024x768-zh_TW"], tour, log=lines.append)
    assert len(report.shots) == 8 and len(lines) == 9  # one progress line per picture, then the total
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r"<img src='([^']+)'", index)
    assert sorted(shown) == sorted(s.path for s in report.shots if s.path)
    assert len(shown) == 6
    for path in shown:
        assert not path.startswith("/")  # relative: the folder can be moved or published
        image = QImage(str(tmp_path / path))
        assert (image.width(), image.height()) == (1024, 768)
    bad = [s for s in report.shots if s.problem]
    assert {s.item.key for s in bad} == {"lesson-nope-0"}
    assert "lesson-nope-0" in index.split("<table>")[0]  # listed under Problems, before the pictures


def test_every_lesson_tab_and_tour_step_is_an_item(qtbot, config_dir):
    from viz_app.core import lessons
    from viz_app.qt.service import InferenceService

    service = InferenceService()
    try:
        items = gallery.lesson_items(service)
    finally:
        service.shutdown()
    assert {i.lesson for i in items} == {x.id for x in lessons.LESSONS}
    service = InferenceService()
    try:
        chinese = gallery.lesson_items(service, chinese=True)
    finally:
        service.shutdown()
    assert {i.lesson for i in chinese} == set(gallery.CHINESE_TEXT)  # every lesson with a Chinese model
    assert all(i.key.startswith("zh-lesson-") and i.text == gallery.CHINESE_TEXT[i.lesson] for i in chinese)
    assert len({i.key for i in items}) == len(items) > len(lessons.LESSONS)
    tour = tours.load(tours.bundled_tour_path())
    assert [i.step for i in gallery.tour_items(tour)] == list(range(1, len(tour.steps) + 1))


def test_every_readme_screenshot_comes_from_the_gallery():
    """Each picture the README shows is named in README_SHOTS, so `--readme` regenerates all of them."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"resources/screenshots/([\w.-]+\.png)", readme))
    assert shown and shown <= set(gallery.README_SHOTS)
    assert all(config in gallery.CONFIGS for config, _key in gallery.README_SHOTS.values())


def test_a_question_step_is_pictured_covered_and_revealed(qtbot, config_dir, tmp_path):
    tour = tours.load(tours.bundled_tour_path())
    step = next(k for k, s in enumerate(tour.steps, 1) if s.lesson == "gpt" and s.question is not None)
    items = [i for i in gallery.tour_items(tour, {"gpt"}) if i.step == step]
    report = gallery.render(tmp_path, items, ["1024x768"], tour, log=lambda _line: None)
    keys = [s.item.key for s in report.shots]
    assert keys == [f"tour-{step:02d}", f"tour-{step:02d}-revealed"] and not report.failed
    covered, revealed = (tmp_path / "1024x768" / f"{k}.png" for k in keys)
    assert covered.read_bytes() != revealed.read_bytes()
