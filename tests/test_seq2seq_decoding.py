"""Decoding options of the encoder-decoders (length penalty, no repeated n-grams, n-best, the chatbot's
re-ranked reply), the translators' long-sentence note, and the chatbot's 30 judged everyday prompts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from viz_app.core.lessons import seq2seq as lesson
from viz_app.core.registry import ModelStore
from viz_app.core.seq2seq import data, probes
from viz_app.core.seq2seq.decode import beam, length_penalty, repeated_ngram_words
from viz_app.core.seq2seq.model import Seq2Seq, Seq2SeqConfig

DATA = Path(__file__).parent / "data"
PAIRS = Path(__file__).resolve().parents[2] / "shared" / "data" / "eng_fra" / "fra.txt"
PROMPTS = DATA / "chatbot_prompts.txt"
JUDGEMENTS = DATA / "chatbot_judgements.tsv"


def test_length_penalty_and_repeated_ngrams():
    assert length_penalty(4, None) == 4.0 and length_penalty(0, None) == 1.0
    assert length_penalty(1, 1.0) == 1.0 and length_penalty(7, 1.0) == 2.0 and length_penalty(9, 0.0) == 1.0
    # "a b c a b": appending "c" would repeat the trigram "a b c"; bigrams: after "b" came "c" and nothing else
    assert repeated_ngram_words([1, 2, 3, 1, 2], 3) == {3}
    assert repeated_ngram_words([1, 2, 3, 1, 2], 2) == {3}
    assert repeated_ngram_words([1, 2], 3) == set() and repeated_ngram_words([1, 2, 1, 2], 0) == set()


@pytest.fixture(scope="module")
def untrained():
    torch.manual_seed(0)
    vocab = data.Vocab(list(data.SPECIALS) + [f"w{i}" for i in range(8)])
    model = Seq2Seq(Seq2SeqConfig(len(vocab), len(vocab), dim=16, attention=True, dropout=0.0))
    with torch.no_grad():  # never stop on its own: the output layer can hardly say <end>
        model.out.bias[vocab.end] = -50.0
    return model, vocab


def _trigrams(words):
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


def test_no_repeated_trigram_and_the_n_best(untrained):
    model, vocab = untrained
    src = [4, 5, 6]
    free = beam(model, src, vocab, width=3, max_len=30)
    grams = _trigrams(free.tokens)
    assert len(grams) != len(set(grams))  # left alone, a model this small loops
    nbest = []
    blocked = beam(model, src, vocab, width=3, max_len=30, alpha=1.0, no_repeat_ngram=3, nbest=nbest)
    grams = _trigrams(blocked.tokens)
    assert len(grams) == len(set(grams)) and len(blocked.tokens) > 3
    assert nbest and [h.ranked for h in nbest] == sorted((h.ranked for h in nbest), reverse=True)
    assert [vocab.words[w] for w in nbest[0].words] == blocked.tokens
    for h in nbest:  # the ranking divides the total log-probability by the length penalty
        assert np.isclose(h.ranked, h.score / length_penalty(len(h.words) + int(h.finished), 1.0))
        assert len(_trigrams(h.words)) == len(set(_trigrams(h.words)))


@pytest.fixture(scope="module")
def store():
    return ModelStore()


def test_the_ranked_reply_is_the_best_rescored_hypothesis(store):
    lm = store.get(lesson.CHAT_MODEL, probes.load)
    ids = lm.source.encode(data.source_tokens("i passed my exam !", "chat"))
    reply = probes.ranked_reply(lm, ids)
    scores = [c["score"] for c in reply.candidates]
    assert len(reply.candidates) > 1 and scores == sorted(scores, reverse=True)
    best = reply.candidates[0]
    assert best["reply"] == reply.output
    n = len(reply.tokens) + 1  # the words and <end>
    assert np.isclose(best["score"], (best["log_p"] - probes.CHAT_ANTI_LM * best["log_p_generic"]) / n, atol=1e-3)
    log_p, attention = probes.sequence_log_prob(lm, ids, [lm.target.index[w] for w in reply.tokens])
    assert np.isclose(round(log_p, 4), best["log_p"]) and attention.shape == (n, len(ids))
    assert np.allclose(attention.sum(1), 1.0, atol=1e-5) and np.all(np.isfinite(attention))
    assert data.UNK not in reply.tokens
    # greedy (off), plain beam (a width given) and the default (ranked, for the chatbot) are three decodings
    assert probes.translate(store, lesson.CHAT_MODEL, "i passed my exam !").output == reply.output
    greedy = probes.translate(store, lesson.CHAT_MODEL, "i passed my exam !", ranked=False).output
    assert greedy == lesson.decode_steps(store, lesson.CHAT_MODEL, "i passed my exam !").output
    with pytest.raises(ValueError):
        probes.ranked_reply(lm, ids, width=0)
    assert lesson.best_reply(store, lesson.CHAT_MODEL, "  ") is None
    assert lesson.best_reply(store, lesson.ATTENTION_MODEL, "je suis étudiant .") is None


def test_the_chatbot_job_ranks_its_reply_on_the_device_asked_for(store):
    from viz_app.core.jobs import JobContext, Request

    ctx = JobContext(request=Request("t", lesson.seq2seq_lesson_job), device="cpu", models=store)
    result = lesson.seq2seq_lesson_job(ctx, lesson.CHAT_MODEL, "i passed my exam !", (), 3)
    assert isinstance(result, lesson.Seq2SeqResult) and result.device == "cpu" and result.missing == ()
    assert result.reply.output == lesson.best_reply(store, lesson.CHAT_MODEL, "i passed my exam !", "cpu").output
    assert result.trace.output == probes.translate(store, lesson.CHAT_MODEL, "i passed my exam !", ranked=False).output
    assert store.get(lesson.CHAT_MODEL, probes.load).device == "cpu"
    forced = lesson.seq2seq_lesson_job(ctx, lesson.CHAT_MODEL, "i passed my exam !", ("i",), 3, ())
    assert forced.reply is None and forced.trace.steps[0].forced and forced.device == "cpu"


def _judged():
    rows = [line.split("\t") for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r and not r[0].startswith("#")]


def test_thirty_everyday_prompts_are_judged_with_the_shipped_replies(store):
    prompts = [p for p in PROMPTS.read_text(encoding="utf-8").splitlines() if p.strip()]
    assert len(prompts) == 30 == len(set(prompts))
    rows = _judged()
    assert [r[0] for r in rows] == prompts and all(len(r) == 5 for r in rows)
    assert {r[2] for r in rows} | {r[4] for r in rows} <= {"yes", "no"}
    for prompt, greedy, _, ranked, _ in rows:  # the judged replies are what the bundled model says today
        assert probes.translate(store, lesson.CHAT_MODEL, prompt, ranked=False).output == greedy
        assert probes.translate(store, lesson.CHAT_MODEL, prompt).output == ranked
    card = store.registry.card(lesson.CHAT_MODEL).metrics["on_topic_30_prompts"]
    assert card["greedy"] == sum(r[2] == "yes" for r in rows)
    assert card["ranked"] == sum(r[4] == "yes" for r in rows)
    assert card["ranked"] > card["greedy"] and card["of"] == 30
    for prompt, reply in store.registry.card(lesson.CHAT_MODEL).metrics["examples_ranked"].items():
        assert probes.translate(store, lesson.CHAT_MODEL, prompt).output == reply


def test_a_sentence_longer_than_the_training_ones_gets_a_note(store):
    card = store.registry.card(lesson.ATTENTION_MODEL)
    counts = {int(k): v for k, v in card.extra["training_source_lengths"].items()}
    assert counts == {
        int(k): v for k, v in store.registry.card(lesson.PLAIN_MODEL).extra["training_source_lengths"].items()
    }
    long = lesson.decode_steps(store, lesson.ATTENTION_MODEL, "nous sommes allés au cinéma hier soir avec mes amis .")
    share = 100 * sum(v for k, v in counts.items() if k >= 11) / sum(counts.values())
    assert len(long.typed) == 11 and f"only {share:.1f}%" in long.length_note
    assert lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis étudiant .").length_note == ""
    assert lesson.decode_steps(store, lesson.CHAT_MODEL, "how are you ? " * 6).length_note == ""
    assert "length_note" in long.to_json()


@pytest.mark.skipif(not PAIRS.exists(), reason="needs ../shared/data/eng_fra beside the project")
def test_the_cards_training_lengths_are_recounted_from_the_corpus(store):
    from collections import Counter

    train, _ = data.split(data.read_pairs(PAIRS))
    counts = Counter(len(data.tokens(source)) for source, _ in train)
    card = store.registry.card(lesson.ATTENTION_MODEL).extra["training_source_lengths"]
    assert {int(k): v for k, v in card.items()} == dict(counts)


def test_the_page_names_what_a_model_misses_on_a_shipped_example(store):
    text = "je suis allé au cinéma hier soir ."  # a Try button: the model without attention loses the cinema
    plain = lesson.decode_steps(store, lesson.PLAIN_MODEL, text)
    with_attention = lesson.decode_steps(store, lesson.ATTENTION_MODEL, text)
    missing = lesson.missing_expected_words(text, lesson.PLAIN_MODEL, "translate", plain.output_tokens)
    assert missing and all(not set(m.split("/")) & set(plain.output_tokens) for m in missing)
    assert lesson.missing_expected_words(text, lesson.ATTENTION_MODEL, "translate", with_attention.output_tokens) == []
    assert lesson.missing_expected_words("un texte à soi .", lesson.PLAIN_MODEL, "translate", ["x"]) is None


def test_the_chatbot_page_shows_the_ranked_reply(open_lesson, qtbot):
    view = open_lesson("seq2seq", "i passed my exam !")
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    view.model_select.setCurrentIndex(2)  # the chatbot
    qtbot.waitUntil(lambda: view.result is not None and view.result.reply is not None, timeout=60_000)
    shown = view.output_label.text()
    assert view.result.reply.output in shown and "re-ranked" in shown
    assert view.result.trace.output in shown  # the greedy reply the tabs follow
    assert view.result.to_json()["reply"]["candidates"]


def test_a_model_falling_short_on_a_try_example_is_said_on_screen(open_lesson, qtbot):
    view = open_lesson("seq2seq", "je suis allé au cinéma hier soir .")
    view.model_select.setCurrentIndex(1)  # without attention
    qtbot.waitUntil(lambda: view.result is not None and view.result.trace.model == lesson.PLAIN_MODEL, timeout=60_000)
    qtbot.waitUntil(lambda: "falls short" in view.notice.text(), timeout=10_000)
    view.model_select.setCurrentIndex(0)  # with attention: right, no such note
    qtbot.waitUntil(
        lambda: view.result is not None and view.result.trace.model == lesson.ATTENTION_MODEL, timeout=60_000
    )
    qtbot.waitUntil(lambda: "falls short" not in view.notice.text(), timeout=10_000)


@pytest.mark.parametrize("name", [lesson.ATTENTION_MODEL, lesson.PLAIN_MODEL, lesson.COUPLET_MODEL])
def test_the_last_output_checked_first_gives_the_same_steps(store, name):
    """decode_steps checks the model's last output first (one teacher-forced pass) and goes on step by step where
    it differs: whatever was decoded before, the steps are those a fresh model decodes one at a time."""
    from viz_app.core.registry import Registry

    if name not in Registry().cards():
        pytest.skip(f"{name} is not bundled")
    texts = (
        ["白日依山盡", "春眠不覺曉", "白日依山", "床前明月光"]
        if name == lesson.COUPLET_MODEL
        else ["je suis étudiant .", "je suis étudiant", "il fait beau aujourd'hui .", "je suis étudiante ."]
    )
    lm = store.get(name, probes.load)
    for before in texts + ["", None]:
        if before is None:
            lm.last_output = [5, 6, 7] * 20  # a guess longer than any output
        elif before:
            lesson.decode_steps(store, name, before)
        got = lesson.decode_steps(store, name, texts[0])
        fresh = ModelStore(store.registry)
        want = lesson.decode_steps(fresh, name, texts[0])
        assert [s.word for s in got.steps] == [s.word for s in want.steps], before
        for a, b in zip(got.steps, want.steps, strict=True):
            assert a.prob == b.prob and a.top == b.top  # the same numbers, to the bit
            assert np.array_equal(a.state, b.state) and np.array_equal(a.context, b.context)
            assert (a.alpha is None) == (b.alpha is None) and (a.alpha is None or np.array_equal(a.alpha, b.alpha))
    forced = lesson.decode_steps(store, name, texts[0], forced=(got.steps[0].word,))
    assert forced.steps[0].forced and [s.word for s in forced.steps] == [s.word for s in want.steps]
