"""The sentiment classifiers: the bag-of-words baseline reproduces scikit-learn, every card's held-out figures are
what the bundled files compute, the page's classifier gets plain examples right, and unreadable or 50/50 input is
not shown as a confident label."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from viz_app.cli import main
from viz_app.core import claims
from viz_app.core.lessons import generative as gen_lesson
from viz_app.core.lessons import lm as lesson
from viz_app.core.lm import bow_classifier as bow
from viz_app.core.lm import sentiment_sets
from viz_app.core.registry import ModelStore, Registry

IMDB = Path(__file__).resolve().parents[2] / "shared" / "data" / "imdb"
ISSUE_EXAMPLES = (
    "The worst movie I have ever seen.",
    "Boring and too long.",
    "It was not good.",
    "boring, and far too long",
)

DOCS = [
    "a wonderful film, the acting was wonderful",
    "boring and far too long, a waste of time",
    "not good at all, the plot was boring",
    "great fun, I loved the music and the cast",
    "the worst film I have seen, awful acting",
    "a delight from start to finish, great cast",
    "dull, slow and not funny",
    "the best film of the year, loved it",
]
LABELS = [1, 0, 0, 1, 0, 1, 0, 1]


@pytest.fixture(scope="module")
def ctx():
    return claims.context(ModelStore(Registry()))


def test_numpy_classifier_reproduces_sklearn_predict_proba(tmp_path):
    pipeline = bow.fit(DOCS, LABELS, c=10.0, min_df=1)
    ours = bow.from_sklearn(pipeline)
    ours.save(tmp_path, "tiny")
    loaded = bow.BowClassifier.load(tmp_path / "tiny.safetensors", tmp_path / "tiny.json")
    texts = [*DOCS, "It was not good.", "WONDERFUL!!! loved it", "", "words nobody has seen", "a a a of the"]
    expected = pipeline.predict_proba(texts)
    assert np.allclose(loaded.predict_proba(texts), expected, rtol=0, atol=1e-12)
    assert loaded.vocabulary == {t: int(i) for t, i in pipeline.steps[0][1].vocabulary_.items()}
    assert not (tmp_path / "tiny.pkl").exists() and b"pickle" not in (tmp_path / "tiny.json").read_bytes()


def test_contributions_are_the_terms_of_the_logit():
    model = bow.from_sklearn(bow.fit(DOCS, LABELS, c=10.0, min_df=1))
    text = "not good, boring"
    pushes = model.contributions(text, top=100)
    assert {t for t, _ in pushes} == {"not", "good", "boring", "not good"}
    assert np.isclose(sum(v for _, v in pushes) + model.intercept, model.logit(text))


def test_a_damaged_classifier_file_is_refused(tmp_path):
    bow.from_sklearn(bow.fit(DOCS, LABELS, c=1.0, min_df=1)).save(tmp_path, "x")
    meta = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    meta["terms"] = meta["terms"][:-1]
    (tmp_path / "x.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="do not fit"):
        bow.BowClassifier.load(tmp_path / "x.safetensors", tmp_path / "x.json")


@pytest.mark.skipif(not IMDB.is_dir(), reason="needs ../shared/data/imdb")
def test_bundled_baseline_is_sklearn_refitted_from_its_card():
    """Refit scikit-learn with the card's settings on the training file: same vocabulary, same probabilities."""
    from viz_app.core.lm import data

    registry = Registry()
    card = registry.card(gen_lesson.BOW)
    bundled = bow.load(registry, gen_lesson.BOW)
    train, test = data.imdb_splits(IMDB)
    pipeline = bow.fit([t for t, _ in train], [y for _, y in train], card.extra["config"]["C"])
    assert {t: int(i) for t, i in pipeline.steps[0][1].vocabulary_.items()} == bundled.vocabulary
    texts = [t for t, _ in test[:200]] + list(ISSUE_EXAMPLES)
    assert np.allclose(bundled.predict_proba(texts), pipeline.predict_proba(texts), rtol=0, atol=1e-9)


def test_short_sentence_set_is_as_described():
    refs = json.loads((sentiment_sets.eval_dir() / "imdb_short_sentences.json").read_text(encoding="utf-8"))
    assert len(refs) >= 200 and abs(sum(r["label"] for r in refs) - len(refs) / 2) <= 5
    assert len({r["review"] for r in refs}) == len(refs)  # one sentence per review
    typed = sentiment_sets.typed_reviews()
    assert len(typed) == 120 and sum(y for _, y in typed) == 60
    assert not set(ISSUE_EXAMPLES) & {t for t, _ in typed}  # the issue's examples are checked separately


@pytest.mark.skipif(not IMDB.is_dir(), reason="needs ../shared/data/imdb")
def test_short_sentences_come_from_held_out_reviews_only():
    from viz_app.core.lm import data

    train_text = "\n".join(t for t, _ in data.imdb_splits(IMDB)[0])
    sentences = sentiment_sets.short_sentences(IMDB)
    assert len(sentences) == 275
    assert all(4 <= len(s.split()) <= 30 and s not in train_text for s, _ in sentences)


def test_every_classifier_card_carries_the_three_held_out_figures():
    registry = Registry()
    names = gen_lesson.classifiers(registry)
    assert gen_lesson.BOW in names and lesson.SENTIMENT in names
    for name in names:
        m = registry.card(name).metrics
        assert m["test_count"] == 929 and m["short_sentence_count"] == 275 and m["typed_review_count"] == 120
        assert all(0.5 <= m[k] <= 1.0 for k in gen_lesson.CARD_FIGURES), (name, m)
        assert "held out" in registry.card(name).extra["evaluation"]


def test_typed_review_figure_is_what_the_bundled_files_compute():
    from viz_app.core.lm import register

    registry = Registry()
    typed = sentiment_sets.typed_reviews()
    y = np.asarray([label for _, label in typed])
    for name in gen_lesson.classifiers(registry):
        card = registry.card(name)
        if card.kind == "bow-sentiment":
            probs = bow.load(registry, name).predict_proba([t for t, _ in typed])
        else:
            model, tok = register._sentiment_model(registry, name, card.extra["base"], registry.verified_path(name, 0))
            probs = register.bert_predictor(model, tok, card.extra["config"]["max_tokens"])([t for t, _ in typed])
        assert round(float((probs.argmax(1) == y).mean()), 4) == card.metrics["typed_review_accuracy"], name


def test_featured_classifier_is_the_best_by_its_card():
    registry = Registry()
    featured = gen_lesson.featured_classifier(registry)

    def mean(name):
        m = registry.card(name).metrics
        return (m["test_accuracy"] + m["short_sentence_accuracy"]) / 2

    assert all(mean(featured) >= mean(n) for n in gen_lesson.classifiers(registry))


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_the_issues_examples_are_negative_for_the_featured_classifier(ctx, text):
    verdict = claims.evaluate({"kind": "sentiment", "label": "negative"}, text, ctx)
    assert verdict.ok, verdict.detail


def test_generative_try_buttons_are_labelled_as_they_claim(ctx):
    from viz_app.core import examples

    for example in examples.examples("generative"):
        for claim in example.claims:
            if claim["kind"] == "sentiment":
                verdict = claims.evaluate(claim, example.text, ctx)
                assert verdict.ok, verdict.detail


@pytest.mark.parametrize("name", [gen_lesson.BOW, lesson.SENTIMENT])
@pytest.mark.parametrize("text", ["中文 電影 很好", "🙂🙂🙂", "!!!", ""])
def test_unreadable_text_gets_no_label(ctx, name, text):
    r = gen_lesson.classify_job(ctx, name, text)
    assert r.verdict == "unreadable", (name, text, r)
    assert all(np.isfinite(list(r.probs.values())))


def test_a_long_review_is_read_whole_in_windows_as_on_the_card(ctx):
    from viz_app.core.lm import finetune

    text = " ".join(["The plot was dull and the acting was wooden, a waste of a good cast."] * 20)
    lm = lesson.model(ctx, lesson.SENTIMENT)
    windows = finetune.review_windows(lm.tok, text, lm.max_len)
    assert len(windows) > 1 and all(len(w) <= lm.max_len for w in windows)
    assert sum(len(w) - 2 for w in windows) >= len(lm.tok.encode(text).ids)  # every token in some window
    r = gen_lesson.classify_job(ctx, lesson.SENTIMENT, text)
    expected = finetune.predict_texts(lm.model, lm.tok, [text], lm.max_len)[0]
    assert r.cut == 0 and r.read == len(lm.tok.encode(text).ids)
    assert np.allclose([r.probs["negative"], r.probs["positive"]], expected, atol=1e-6)


def test_near_fifty_fifty_is_uncertain_and_a_clear_case_is_not():
    near = gen_lesson.Classified("positive", {"negative": 0.45, "positive": 0.55}, 0, 0, 5)
    clear = gen_lesson.Classified("negative", {"negative": 0.9, "positive": 0.1}, 0, 0, 5)
    mostly_unknown = gen_lesson.Classified("negative", {"negative": 0.9, "positive": 0.1}, 0, 4, 5)
    assert (near.verdict, clear.verdict, mostly_unknown.verdict) == ("uncertain", "negative", "unreadable")


def test_comparison_job_has_every_classifier_with_its_card(ctx):
    r = gen_lesson.compare_classifiers_job(ctx, "It was not good.")
    assert [row.model for row in r.rows] == gen_lesson.classifiers(ctx.models.registry)
    assert r.featured in r.model.split(" + ")
    for row in r.rows:
        assert row.metrics == gen_lesson.card_figures(ctx.models.registry, row.model)
        assert np.isclose(sum(row.probs.values()), 1.0, atol=1e-5)
    bow_row = r.rows[0]
    assert bow_row.model == gen_lesson.BOW and bow_row.evidence and bow_row.evidence[0][1] < 0  # "not good" pulls down
    json.dumps(r.to_json(), allow_nan=False)


def test_classify_cli_reads_a_file_and_loads_the_model_once(tmp_path, capsys, monkeypatch):
    lines = ["The worst movie I have ever seen.", "", "a delight, the acting was wonderful", "中文"]
    path = tmp_path / "reviews.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = []
    real = bow.load
    monkeypatch.setattr(bow, "load", lambda registry, name: calls.append(name) or real(registry, name))
    assert main(["classify", "--file", str(path), "--model", gen_lesson.BOW, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert calls == [gen_lesson.BOW] and out["model"] == gen_lesson.BOW
    verdicts = [r["verdict"] for r in out["results"]]
    assert verdicts == ["negative", "unreadable", "positive", "unreadable"]
    assert main(["classify", "--file", str(path), "--model", gen_lesson.BOW]) == 0
    text_lines = capsys.readouterr().out.splitlines()
    assert text_lines[1].startswith("cannot tell: the model does not know these words")
    assert text_lines[2].startswith("positive (") and text_lines[2].endswith("\ta delight, the acting was wonderful")


def test_classify_cli_default_is_the_featured_classifier_and_bad_use_is_status_2(capsys):
    assert main(["classify", "Boring and too long.", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == gen_lesson.featured_classifier(Registry()) and out["verdict"] == "negative"
    assert main(["classify", "x", "--model", "gpt-tiny"]) == 2
    assert main(["classify"]) == 2
    assert main(["classify", "x", "--file", "y"]) == 2
    assert main(["classify", "--file", "/no/such/file.txt"]) == 2
    capsys.readouterr()


def test_fine_tuning_tab_and_generative_page(qtbot):
    from viz_app.core import lessons
    from viz_app.qt.lessons.lm.bert import BertView
    from viz_app.qt.lessons.lm.generative import GenerativeView
    from viz_app.qt.service import InferenceService

    service = InferenceService(ModelStore(Registry()))
    try:
        view = BertView(lessons.lesson("bert"), service)
        qtbot.addWidget(view)
        view.resize(1100, 800)
        view.show()
        view.set_text("It was not good.")
        qtbot.waitUntil(lambda: view.drawn, timeout=30000)
        view.drawn = False
        view.select_tab("fine")
        qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=60000)
        r = view.result
        assert isinstance(r, gen_lesson.SentimentComparison)
        registry = Registry()
        for row in r.rows:
            panel = view.ft_panels[row.model]
            assert f"{100 * registry.card(row.model).metrics['test_accuracy']:.1f}%" in panel.card.text()
            assert len(panel.bars.bars) == 2
        featured = view.ft_panels[r.featured]
        assert "generative page" in featured.title.text() and "negative" in featured.verdict.text()
        page = GenerativeView(lessons.lesson("generative"), service)
        qtbot.addWidget(page)
        page.show()
        page.set_text("boring, and far too long")
        qtbot.waitUntil(lambda: isinstance(page.result, gen_lesson.Classified) and not page.pending(), timeout=60000)
        assert page.result.model == r.featured and page.result.verdict == "negative"
        assert r.featured in page.disc_caption.text() and "negative" in page.label.text()
        page.set_text("🙂 🙂 ★★★")  # nothing a sentiment classifier can read
        qtbot.waitUntil(lambda: page.result.read == 0 or page.result.verdict == "unreadable", timeout=60000)
        qtbot.waitUntil(lambda: not page.pending(), timeout=60000)
        assert "cannot tell" in page.label.text()
        page.set_text("中文 電影")  # Chinese is read as a poem: the poet classifier, not the sentiment one
        qtbot.waitUntil(lambda: isinstance(page.result, gen_lesson.Attributed) and not page.pending(), timeout=60000)
        assert page.result.model == gen_lesson.AUTHOR and page.result.label in page.label.text()
    finally:
        service.shutdown()
