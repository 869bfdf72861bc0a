"""The GPT and BERT lessons with Chinese text: the Tang-poem models in the pickers, chosen for Chinese text with
a note (and the user's choice kept), poems in a form streamed with the form's greying on the next-token bars.
Tiny randomly initialised character models registered as gpt-tang / bert-tang beside tiny English ones."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import save_file

from viz_app.core import lessons
from viz_app.core.lessons import generative as gen_lesson
from viz_app.core.lessons import lm as lm_lesson
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
    # A poet classifier on top of the tiny bert-tang (kind bert-author): its last block, pooler and a head.
    torch.manual_seed(1)
    config = LMConfig(vocab=len(tok), causal=False, d_model=32, heads=2, layers=1, d_ff=64, dropout=0.0, max_len=80)
    state = {f"bert.{k}": v for k, v in TinyLM(config).state_dict().items() if k.startswith(("blocks.0.", "pooler."))}
    head = torch.nn.Linear(32, len(POETS))
    state |= {f"head.{k}": v.detach() for k, v in head.state_dict().items()}
    save_file({k: v.contiguous() for k, v in state.items()}, str(root / "author.safetensors"))
    metrics = {"test_accuracy": 0.5, "test_poems": 10, "per_poet": {}}
    metrics["baseline_bag_of_characters"] = {"accuracy": 0.4, "majority_class_accuracy": 0.3}
    register(
        root,
        {"name": gen_lesson.AUTHOR, "kind": "bert-author", "base": "bert-tang", "poets": list(POETS),
         "config": {"poets": len(POETS), "dev_percent": 10}, "metrics": metrics},
        [root / "author.safetensors"],
    )  # fmt: skip
    return root


POETS = ("白居易", "杜甫", "李白")


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
        from viz_app.qt.lessons.lm.generative import GenerativeView

        views = {"bert": BertView, "gpt": GptView, "generative": GenerativeView}
        view = views[lesson_id](lessons.lesson(lesson_id), service)
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


def test_the_contextual_tab_follows_the_model_with_its_own_example(make_view, qtbot):
    view = make_view("bert", "the cat [MASK] on the mat .")
    _wait_new(qtbot, view, lambda: view.select_tab("contextual"))  # (the stand-in bert-tiny reads no English)
    assert view.ctx_word.text() == lm_lesson.AMBIGUOUS_WORD
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentIndex(view.model_select.findText(lm_lesson.BERT_TANG)))
    r = view.result
    assert view.ctx_word.text() == lm_lesson.AMBIGUOUS_WORD_ZH and r.word == lm_lesson.AMBIGUOUS_WORD_ZH
    assert r.layer == min(lm_lesson.CONTEXT_LAYER_ZH, r.layers) and len(r.sentences) == 6
    assert set(r.senses) == {"明亮", "明天"} and r.labels[0] == "頭望「明」月，"
    # The user's own sentences stay when the model changes; the English BERT gets its example back otherwise.
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentIndex(view.model_select.findText(lm_lesson.BERT)))
    assert view.ctx_word.text() == lm_lesson.AMBIGUOUS_WORD and "fly" in view.ctx_sentences.toPlainText()
    view.ctx_sentences.setPlainText("a fly on the wall\nbirds fly south")
    _wait_new(qtbot, view, lambda: view.model_select.setCurrentIndex(view.model_select.findText(lm_lesson.BERT_TANG)))
    assert view.ctx_sentences.toPlainText() == "a fly on the wall\nbirds fly south"


def test_the_generative_page_names_the_poet_of_chinese_text_and_gpt_tang_writes(make_view, qtbot):
    view = make_view("generative", "床前明月光，疑是地上霜。")
    r = view.result
    assert isinstance(r, gen_lesson.Attributed) and list(r.probs) == list(POETS) and r.verdict in POETS
    assert view.shown_model == f"{gen_lesson.AUTHOR} + {lm_lesson.GPT_TANG}"
    assert "which poet wrote this poem" in view.disc_caption.text() and "50.0% of 10" in view.disc_caption.text()
    assert "regression: 40.0%" in view.disc_caption.text() and "always 白居易: 30.0%" in view.disc_caption.text()
    assert r.label in view.label.text() and [b.label for b in view.bars.bars] == list(POETS)
    assert "gpt-tang" in view.gen_caption.text()
    qtbot.waitUntil(lambda: view.generation_text is not None and not view.pending(), timeout=30000)
    assert view.generation_text.startswith("床前明月光，疑是地上霜。")
    # English: the sentiment classifier (none is registered here, so the page says so) and the English GPT.
    _wait_new(qtbot, view, lambda: view.set_text("a delight, the acting was wonderful"))
    assert view.model_label().endswith(f"+ {lm_lesson.GPT}") and view.generator() == lm_lesson.GPT
    assert view.error_banner.isVisible() and "no sentiment classifier" in view.error_banner.text()


def test_bert_vs_gpt_on_chinese_masks_one_character_and_ends_with_the_chinese_full_stop(models_root):
    """Chinese has no spaces: the compared word is the last character, not the run of characters after the last
    comma, and BERT reads the line without spaces and with 。 where the typed line has no end mark."""
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.registry import ModelStore, Registry

    ctx = JobContext(Request("gpt", None), "cpu", ModelStore(Registry(models_root)))
    r = lm_lesson.compare_job(ctx, lm_lesson.BERT_TANG, "gpt-tang", "床前明月光，疑是地上")
    assert r.masked_word == "上"
    assert r.bert_input == "床前明月光，疑是地[MASK]。" and r.gpt_input == "床前明月光，疑是地"
    assert r.bert_guesses and all(len(t) == 1 or t.startswith("[") for t, _p in r.bert_guesses)
    english = lm_lesson.compare_job(ctx, "bert-tiny", "gpt-tiny", "the cat sat")
    assert english.masked_word == "sat" and english.bert_input == "the cat [MASK] ."
