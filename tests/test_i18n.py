"""The interface in Traditional Chinese: the committed translation files are complete, up to date with the
code and compiled, and the lesson views switch language when the translation is installed."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from viz_app.qt import i18n

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "resources" / "i18n" / "viz_app_zh_TW.ts"
QM = REPO / "resources" / "i18n" / "viz_app_zh_TW.qm"
PLACEHOLDER = re.compile(r"\{([A-Za-z_0-9]*)\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
HTML_TAG = re.compile(r"</?(?:b|i|u|p|br|sub|sup|span|li|ul|ol|h[1-6]|pre|table|tr|td|th)\b[^>]*>")


def placeholders(text: str) -> list[str]:
    """The {names} that str.format fills ({{ and }} are literal braces)."""
    return sorted(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def test_every_message_has_a_translation_with_the_same_placeholders():
    messages = i18n.messages(TS)
    assert len(messages) > 400
    unfinished = [source for (_ctx, source), text in messages.items() if not text]
    assert not unfinished, f"{len(unfinished)} messages without a translation, e.g. {unfinished[:5]}"
    for (ctx, source), text in messages.items():
        assert placeholders(text) == placeholders(source), (ctx, source, text)
        # The HTML tags of the source survive translation (same tags, same count).
        assert sorted(HTML_TAG.findall(text)) == sorted(HTML_TAG.findall(source)), (ctx, source, text)
        for token in ("[MASK]", "[CLS]", "[SEP]", "&lt;unk&gt;", "&lt;start&gt;", "&lt;end&gt;"):
            assert source.count(token) <= text.count(token), (token, source, text)


def test_the_committed_ts_holds_every_string_of_the_code(tmp_path):
    found = i18n.messages(i18n.extract(tmp_path / "fresh.ts"))
    committed = i18n.messages(TS)
    missing = sorted(set(found) - set(committed))
    assert not missing, f"run `python -m viz_app.qt.i18n` and translate: {missing[:10]}"
    lesson_strings = {s for ctx, s in found if ctx == i18n.LESSON_CONTEXT}
    assert set(i18n._core_strings()) <= lesson_strings


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path):
    qm = tmp_path / "fresh.qm"
    subprocess.run([i18n._tool("lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == QM.read_bytes(), "run `python -m viz_app.qt.i18n --qm-only`"


def test_every_core_label_shown_is_named_for_translation():
    from viz_app.core.documents import bag_of_words
    from viz_app.core.lessons import lm as lm_lesson
    from viz_app.core.lessons import word_embedding as embedding_lesson
    from viz_app.core.lm import probes
    from viz_app.qt.lessons.core_labels import CORE_LABELS

    shown = list(bag_of_words.METRIC_LABELS.values()) + list(embedding_lesson.MODEL_LABELS.values())
    shown += list(probes.LABELS) + [cell for row in lm_lesson.COMPARISON[1:] for cell in row]
    assert sorted(set(shown) - set(CORE_LABELS)) == []


def test_no_tr_inside_f_strings():
    """pyside6-lupdate does not read calls inside f-strings: a tr("...") there would never be translated."""
    qt = REPO / "viz_app" / "qt"
    files = [*(qt / "lessons").rglob("*.py"), *(qt / "widgets").rglob("*.py"), qt / "export.py"]
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "tr" and call.args):
                        continue
                    if isinstance(call.args[0], ast.Constant):  # tr(variable) needs no lupdate
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not found


@pytest.fixture
def chinese(qapp):
    assert i18n.install("zh_TW") == ""
    yield
    assert i18n.install("en") == ""


@pytest.fixture
def make_view(qtbot):
    from viz_app.core import lessons
    from viz_app.qt.lessons import view_for
    from viz_app.qt.service import InferenceService

    services = []

    def make(lesson_id: str):
        service = InferenceService()
        services.append(service)
        view = view_for(lessons.lesson(lesson_id), service)
        qtbot.addWidget(view)
        view.resize(1000, 700)
        view.show()
        return view

    yield make
    for service in services:
        service.shutdown()


def _tab_titles(view) -> list[str]:
    return [view.tabs.tabText(k) for k in range(view.tabs.count())]


def test_views_in_chinese_and_back_in_english(chinese, make_view, qtbot):
    seq2seq = make_view("seq2seq")
    titles = _tab_titles(seq2seq)
    assert titles[:2] == ["對齊", "逐步解碼"] and all(CJK.search(t) for t in titles)
    assert seq2seq.export_button.text() == "匯出…"
    assert CJK.search(seq2seq.model_select.currentText())
    seq2seq.select_tab("beam")  # the English names still open the tabs (the CLI's --tab)
    assert seq2seq.tabs.currentIndex() == 2
    seq2seq.select_tab("逐步")
    assert seq2seq.tabs.currentIndex() == 1

    lstm = make_view("lstm")
    assert _tab_titles(lstm) == ["閘門", "連鎖律", "下一個詞", "雙向"]

    bow = make_view("bow")
    assert [bow.metric_select.itemText(k) for k in range(3)] == ["餘弦相似度", "歐氏距離", "內積"]
    bow.set_text("dog bites man\nman bites dog")
    qtbot.waitUntil(lambda: bow.drawn, timeout=10000)
    assert "詞袋模型的問題" in bow.order_note.text() and "dog bites man" in bow.order_note.text()
    assert "2 份文件" in bow.summary.text()

    assert i18n.install("en") == ""
    english = make_view("seq2seq")
    assert _tab_titles(english) == ["Alignment", "Step by step", "Beam search", "With vs without attention"]
    assert english.export_button.text() == "Export…"
    assert i18n.tr("Export…") == "Export…" and i18n.current() == "en"


def test_lesson_text_follows_the_language(chinese):
    from viz_app.core import lessons

    bow = lessons.lesson("bow")
    assert i18n.lesson_text(bow.title) == "詞袋模型"
    assert "詞袋模型" in i18n.lesson_text(bow.explanation)
    assert [i18n.lesson_text(c) for c in lessons.CHAPTERS][1] == "詞嵌入"
    i18n.install("en")
    assert i18n.lesson_text(bow.title) == "Bag of words"
