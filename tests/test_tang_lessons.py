"""The GPT and BERT lessons with Chinese text: the Tang-poem models in the pickers, chosen for Chinese text with
a note (and the user's choice kept), poems in a form streamed with the form's greying on the next-token bars.
Tiny randomly initialised character models registered as gpt-tang / bert-tang beside tiny English ones."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import save_file

from viz_app.core import lessons
from viz_app.core.lm import lesson as lm_lesson
from viz_app.core.lm import poem, tang
from viz_app.core.lm.model import LMConfig, TinyLM
from viz_app.core.registry import register

POEMS = [
    "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    "春眠不覺曉，處處聞啼鳥。夜來風雨聲，花落知多少。",
    "白日依山盡，黃河入海流。欲窮千里目，更上一層樓。",
    "秋風秋雨冬夜長，夏日春江水自流。",
]


@pytest.fixture(scope="module")
def models_root(tmp_path_factory):
    """gpt-tang and bert-tang (tiny, random) plus gpt-tiny / bert-tiny stand-ins of the same shape: the lesson
    opens on its English default, which must load too."""
    root = tmp_path_factory.mktemp("tang") / "models"
    root.mkdir(parents=True)
    tok = tang.CharTokenizer.train(POEMS, min_count=1)
    for name, causal in (("gpt-tang", True), ("bert-tang", False), ("gpt-tiny", True), ("bert-tiny", False)):
        torch.manual_seed(0)
        config = LMConfig(
            vocab=len(tok), causal=causal, d_model=32, heads=2, layers=1, d_ff=64, dropout=0.0, max_len=80
        )
        model = TinyLM(config).eval()
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(root / f"{name}.safetensors"))
        tok.save(root / f"{name}.tokenizer.json")
        entry = {"name": name, "kind": "gpt" if causal else "bert", "tokenizer": "char"}
        register(
            root,
            entry | {"model_config": config.to_json()},
            [root / f"{name}.safetensors", root / f"{name}.tokenizer.json"],
        )
    return root


@pytest.fixture
def make_view(qtbot, models_root):
    from viz_app.core.registry import ModelStore, Registry
    from viz_app.qt.lessons.lm.bert import BertView
    from viz_app.qt.lessons.lm.gpt import GptView
    from viz_app.qt.service import InferenceService

    services = []

    def make(lesson_id: str, text: str):
        service = InferenceService(ModelStore(Registry(models_root)))
        services.append(service)
        view = {"bert": BertView, "gpt": GptView}[lesson_id](lessons.lesson(lesson_id), service)
        qtbot.addWidget(view)
        view.resize(1100, 800)
        view.show()
        view.set_text(text)
        qtbot.waitUntil(lambda: view.drawn, timeout=30000)
        return view

    yield make
    for service in services:
        service.shutdown()


def _wait_new(qtbot, view, action):
    view.drawn = False
    action()
    qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=30000)


def test_chinese_text_chooses_the_tang_model_with_a_note_and_the_choice_stays(make_view, qtbot):
    view = make_view("gpt", "once upon a time")
    assert view.model_name == lm_lesson.GPT and view.model_select.findText(lm_lesson.GPT_TANG) >= 0
    assert not view.form_row.isVisibleTo(view)
    _wait_new(qtbot, view, lambda: view.set_text("床前明月"))
    assert view.model_name == lm_lesson.GPT_TANG and view.result.tokens[-4:] == list("床前明月")
    assert "gpt-tang" in view.notice.text() and view.notice.isVisible()
    assert view.form_row.isVisibleTo(view)
    # The user goes back to the English model: typing more Chinese does not flip it again.
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentText(lm_lesson.GPT))
    _wait_new(qtbot, view, lambda: view.set_text("床前明月光"))
    assert view.model_name == lm_lesson.GPT
    # A model the user picked stays when the language changes; an automatic switch goes back with English text.
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentText(lm_lesson.GPT_TANG))
    _wait_new(qtbot, view, lambda: view.set_text("the dog"))
    assert view.model_name == lm_lesson.GPT_TANG
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentText(lm_lesson.GPT))
    _wait_new(qtbot, view, lambda: view.set_text("春"))
    assert view.model_name == lm_lesson.GPT_TANG
    _wait_new(qtbot, view, lambda: view.set_text("the dog ran"))
    assert view.model_name == lm_lesson.GPT and not view.language.note


def test_a_poem_in_its_form_with_an_acrostic_streams_and_greys_the_bars(make_view, qtbot):
    view = make_view("gpt", "")
    _wait_new(qtbot, view, lambda: view.set_text("春"))  # Chinese: gpt-tang, and the form controls show
    assert view.model_name == lm_lesson.GPT_TANG
    view.form_select.setCurrentIndex(view.form_select.findData("5x4"))
    view.acrostic.setText("春夏秋冬")
    view.generate_button.click()
    qtbot.waitUntil(lambda: not view.pending() and view.generate_button.isEnabled(), timeout=60000)
    gen = view.generation
    assert isinstance(gen, poem.GeneratedPoem) and gen.complete
    assert poem.check_form(gen.text, "5x4").ok and [line[0] for line in gen.lines] == list("春夏秋冬")
    assert all(line in view.generated.text() for line in gen.lines)  # one line of the poem per line
    # The bars show the last step (the end of the poem): the form left one token, every other row is grey.
    bars = view.next_bars.bars
    assert bars and sum(not b.greyed for b in bars) == 1
    assert "五言絕句" in view.next_caption.text()


def test_bert_offers_bert_tang_for_chinese_text(make_view, qtbot):
    view = make_view("bert", "the cat [MASK] on the mat .")
    _wait_new(qtbot, view, lambda: view.set_text("床前明月[MASK]，疑是地上霜。"))
    assert view.model_name == lm_lesson.BERT_TANG
    assert len(view.result.masks) == 1 and len(view.result.masks[0].predictions) == 10
    # Characters (a random model may also rank a special token such as [SEP]): never an English word piece.
    assert all(
        len(t) == 1 or t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]") for t, _p in view.result.masks[0].predictions
    )
    assert "bert-tang" in view.notice.text()
