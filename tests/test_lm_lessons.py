"""The BERT, GPT and generative-vs-discriminative views, on tiny models trained and registered by the fixture
(the same commands and register step as the bundled ones, at toy size)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from viz_app.core import lessons
from viz_app.core.lm import probes
from viz_app.core.lm import train as lm_train
from viz_app.core.lm.tokenizer import train_tokenizer

IMDB = Path(__file__).resolve().parents[2] / "shared" / "data" / "imdb"
TEXT = [
    "the bird can fly high in the sky. the dog ran to the park.",
    "a little fly landed on the cake. lily and tom played with a red ball.",
    "they were happy! the plane will fly over the sea. the cat sat on the mat.",
] * 20


def _finish(gen):
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


@pytest.fixture(scope="module")
def models_root(tmp_path_factory):
    from viz_app.core.lm import finetune, register
    from viz_app.core.lm.model import load_trained

    work = tmp_path_factory.mktemp("lm")
    (work / "train.txt").write_text("\n".join(TEXT) + "\n", encoding="utf-8")
    (work / "valid.txt").write_text("\n".join(TEXT[:6]) + "\n", encoding="utf-8")
    tok = train_tokenizer(TEXT, vocab_size=150)
    tok.save(work / "tokenizer.json")
    root = work / "resources" / "models"
    root.mkdir(parents=True)
    for kind in ("gpt", "bert"):
        config = lm_train.small(lm_train.LMTrainConfig(kind, steps=4, vocab_size=150))
        _finish(
            lm_train.train(
                [work / "train.txt"], [work / "valid.txt"], work / kind, config, tokenizer=work / "tokenizer.json"
            )
        )
        register.register_language_model(kind, work / kind, root, f"{kind}-tiny", work)
    if IMDB.is_dir():
        bert = load_trained(work / "bert", "bert")
        cfg = finetune.FinetuneConfig(epochs=1, max_tokens=16)
        _finish(finetune.finetune(bert, tok, IMDB, work / "sentiment", cfg))
        register.register_sentiment(work / "sentiment", root, "bert-sentiment", "bert-tiny", IMDB.parent)
    return root


@pytest.fixture
def make_view(qtbot, models_root):
    from viz_app.core.registry import ModelStore, Registry
    from viz_app.qt.lessons.lm.bert import BertView
    from viz_app.qt.lessons.lm.generative import GenerativeView
    from viz_app.qt.lessons.lm.gpt import GptView
    from viz_app.qt.service import InferenceService

    services = []

    def make(lesson_id: str, text: str):
        service = InferenceService(ModelStore(Registry(models_root)))
        services.append(service)
        cls = {"bert": BertView, "gpt": GptView, "generative": GenerativeView}[lesson_id]
        view = cls(lessons.lesson(lesson_id), service)
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
    view.drawn = False  # set again when the new result (or an error) is drawn
    action()
    qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=30000)


def test_registered_cards_carry_measured_metrics(models_root):
    manifest = json.loads((models_root / "manifest.json").read_text(encoding="utf-8"))
    cards = {m["name"]: m for m in manifest["models"]}
    assert cards["gpt-tiny"]["metrics"]["val_perplexity_per_word"] > 1
    assert 0 <= cards["bert-tiny"]["metrics"]["val_masked_top5"] <= 1
    assert {f["path"] for f in cards["gpt-tiny"]["files"]} == {"lm/gpt-tiny.safetensors", "lm/tokenizer.json"}


def test_fill_mask_view(make_view, qtbot, tmp_path):
    view = make_view("bert", "the dog ran to the park.")
    assert view.result.masks == [] and "Insert [MASK]" in view.fill_caption.text()
    inserted = []
    view.insertRequested.connect(inserted.append)
    view.insert_mask.click()
    assert inserted == [" [MASK] "]
    requested = []
    view.textRequested.connect(requested.append)
    start = view.text.index("dog")
    view.word_strip.wordDoubleClicked.emit(start, start + 3)  # double-clicking a word masks it
    assert requested[-1] == "the [MASK] ran to the park."
    _wait_new(qtbot, view, lambda: view.set_text("the [MASK] ran to the [MASK]."))
    assert len(view.fill_bars) == 2 and len(view.fill_bars[0].bars) == 10
    probs = [b.value for b in view.fill_bars[0].bars]
    assert probs == sorted(probs, reverse=True) and np.isclose(probs[0], view.result.masks[0].predictions[0][1])
    view.fill_bars[1].rowClicked.emit(0)  # clicking a prediction puts it into the sentence
    word = view.result.masks[1].predictions[0][0]
    assert requested[-1] == f"the [MASK] ran to the {word}."
    view.export(str(tmp_path / "fill.csv"))
    rows = list(csv.reader(open(tmp_path / "fill.csv", encoding="utf-8")))
    assert rows[0] == ["mask", "position", "prediction", "probability"] and len(rows) == 21
    view.export(str(tmp_path / "fill.png"))
    assert (tmp_path / "fill.png").stat().st_size > 1000


def test_bert_attention_contextual_sentiment_and_comparison(make_view, qtbot, tmp_path):
    view = make_view("bert", "lily and tom played with a red ball.")
    _wait_new(qtbot, view, lambda: view.select_tab("attention"))
    att = view.result.attention
    assert att.shape[:2] == (2, 4) and np.allclose(att.sum(-1), 1.0, atol=1e-5)
    assert view.head_view.weights.shape == att[0].shape
    view.grid.cellChosen.emit(1, 2)
    assert np.allclose(view.grid_large.matrix, att[1, 2])
    view.export(str(tmp_path / "att.csv"))
    assert next(csv.reader(open(tmp_path / "att.csv", encoding="utf-8"))) == ["layer", "head", "query", "key", "weight"]
    _wait_new(qtbot, view, lambda: view.select_tab("contextual"))
    assert not view.error_banner.isVisible(), view.error_banner.text()
    ctx = view.result
    assert ctx.word == "fly" and len(ctx.sentences) == 6 and ctx.coords.shape == (6, 2)
    assert np.allclose(np.diag(ctx.bert_cosine), 1.0, atol=1e-5) and not np.allclose(ctx.bert_cosine, 1.0)
    view.ctx_word.setText("zebra")
    _wait_new(qtbot, view, view.refresh)
    assert view.error_banner.isVisible() and "vocabulary" in view.error_banner.text()
    view.ctx_word.setText("sky")
    _wait_new(qtbot, view, view.refresh)
    assert view.error_banner.isVisible() and "at least two" in view.error_banner.text()
    view.ctx_word.setText("fly")
    if IMDB.is_dir():
        _wait_new(qtbot, view, lambda: view.select_tab("fine"))
        rows = {row.model: row for row in view.result.rows}
        assert rows["bert-sentiment"].label in ("negative", "positive")
        assert len(view.ft_panels["bert-sentiment"].bars.bars) == 2
    _wait_new(qtbot, view, lambda: view.select_tab("bert vs"))
    cmp_ = view.result
    n = len(cmp_.gpt_tokens)
    assert np.triu(cmp_.gpt_attention, 1).max() == 0.0 and cmp_.gpt_attention.shape == (n, n)
    assert cmp_.bert_attention.min() > 0 and cmp_.masked_word in "lily and tom played with a red ball".split()
    assert len(view.bert_guess.bars) == 5 and len(view.gpt_guess.bars) == 5


def test_next_token_view_sampling_controls_and_generation(make_view, qtbot):
    view = make_view("gpt", "the dog")
    r = view.result
    assert isinstance(r, probes.NextToken) and len(view.next_bars.bars) == 20
    assert not any(b.greyed for b in view.next_bars.bars)
    _wait_new(qtbot, view, lambda: view.top_k.setValue(3))
    greyed = [b.greyed for b in view.next_bars.bars]
    assert greyed[:3] == [False] * 3 and all(greyed[3:]) and view.result.candidates == 3
    assert np.isclose(sum(b.second for b in view.next_bars.bars[:3]), 1.0)
    view.seed.setValue(5)
    view.max_new.setValue(6)
    view.generate_button.click()
    assert view.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    first = view.generation
    assert 1 <= len(first.steps) <= 6 and first.text.startswith("the dog")
    view.generate_button.click()
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    assert [s.token_id for s in view.generation.steps] == [s.token_id for s in first.steps]  # same seed, same text
    requested = []
    view.textRequested.connect(requested.append)
    view.next_button.click()  # one token, added to the text
    qtbot.waitUntil(lambda: bool(requested), timeout=30000)
    assert requested[0].startswith("the dog") and len(requested[0]) > len("the dog")


def test_generation_can_be_stopped(make_view, qtbot):
    view = make_view("gpt", "the dog")
    view.max_new.setValue(500)
    cancelled = []
    view.service.jobCancelled.connect(lambda channel, _rid: cancelled.append(channel))
    view.generate_button.click()
    view.stop_button.click()  # at once: before the worker could write 500 tokens
    qtbot.waitUntil(lambda: "gpt:generate" in cancelled, timeout=30000)
    qtbot.waitUntil(lambda: view.generate_button.isEnabled(), timeout=30000)
    assert not view.stop_button.isEnabled()
    assert view.generation is None or len(view.generation.steps) < 500


def test_a_failure_on_the_generative_page_shows_and_settles(make_view, qtbot):
    # GenerativeView has its own failure hook for its generation channel; the page's main channel must still
    # show an error and stop being pending.
    view = make_view("generative", "this movie was a delight")

    def broken(ctx, *args):
        raise ValueError("the classifier broke")

    view.make_request = lambda text: (broken, (), {})
    view.drawn = False
    view.refresh()
    qtbot.waitUntil(lambda: view.drawn, timeout=30000)
    assert view.error_banner.isVisible() and "the classifier broke" in view.error_banner.text()
    assert not view.pending()


def test_gpt_attention_and_logit_lens(make_view, qtbot, tmp_path):
    view = make_view("gpt", "the cat sat on the mat")
    _wait_new(qtbot, view, lambda: view.select_tab("attention"))
    assert all(np.triu(m, 1).max() == 0.0 for m in view.result.attention.reshape(-1, *view.result.attention.shape[2:]))
    assert "causal mask" in view.attention_caption.text()
    _wait_new(qtbot, view, lambda: view.select_tab("logit"))
    lens = view.result
    assert view.lens_table.rowCount() == 3 and view.lens_table.columnCount() == len(lens.tokens)
    last = probes.next_token(view.service.store.get("gpt-tiny", probes.load), "the cat sat on the mat", top=1).top[0]
    assert view.lens_table.item(2, len(lens.tokens) - 1).text() == last[0]
    view.export(str(tmp_path / "lens.csv"))
    assert len(list(csv.reader(open(tmp_path / "lens.csv", encoding="utf-8")))) == 1 + 3 * len(lens.tokens)


def test_odd_input_gives_messages_not_crashes(make_view, qtbot):
    view = make_view("bert", "")
    assert "Type an English sentence" in view.notice.text()
    for text in ("🐶🐶 [MASK] 中文", "the " * 400 + "[MASK]"):
        _wait_new(qtbot, view, lambda text=text: view.set_text(text))
        assert not view.error_banner.isVisible()
    assert "were cut" in view.notice.text()
    gpt = make_view("gpt", "")
    assert isinstance(gpt.result, probes.NextToken)  # an empty text: what a story starts with


@pytest.mark.skipif(not IMDB.is_dir(), reason="needs ../shared/data/imdb")
def test_generative_vs_discriminative_page(make_view, qtbot):
    view = make_view("generative", "this movie was a delight")
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    assert view.result.label in ("negative", "positive")
    assert view.generation_text.startswith("this movie was a delight")
