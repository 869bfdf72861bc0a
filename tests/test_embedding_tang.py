"""The Tang-poem character embeddings: training on a few poems made here, the bundled models against their cards,
the Word embedding lab with Chinese text, and ``viz-app neighbors`` on a character model."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest

from viz_app.core.embeddings import tang
from viz_app.core.embeddings.word_vectors import load_registered, read_analogies
from viz_app.core.lessons import word_embedding as embedding_lesson
from viz_app.core.registry import ModelStore, Registry

CHARS = "春夏秋冬東西南北山水花月風雲日天地人"


def _poems(n: int = 60, seed: int = 0) -> list[str]:
    """Distinct five-character quatrains made of CHARS, with their punctuation."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        lines = ["".join(rng.choice(list(CHARS), 5)) for _ in range(4)]
        out.append(f"{lines[0]}，{lines[1]}。{lines[2]}，{lines[3]}。")
    return out


def _tsv(path, poems):
    path.write_text("author\ttitle\tpoem\n" + "".join(f"a\tt{k}\t{p}\n" for k, p in enumerate(poems)), encoding="utf-8")
    return path


def test_encoding_drops_punctuation_and_ends_each_poem():
    encoded = tang.encode_poems(["春風，花月。", "春水，山月！", "龘"], min_count=2)
    words = encoded.vocabulary.words
    assert set(words) == {"春", "月"}  # seen twice; punctuation is never a word, 龘 once
    assert not set("，。？！；") & set(words)
    assert (encoded.ids == -1).sum() == 2  # one boundary per poem that kept a character
    assert encoded.tokens_total == 9  # characters read, punctuation not counted


def test_training_on_a_few_poems_writes_vectors_and_cards(tmp_path):
    from safetensors.numpy import load_file

    from viz_app.core.quantize import dequantize_numpy

    tsv = _tsv(tmp_path / "poems.tsv", _poems())
    out = tmp_path / "out"
    gen = tang.train(out, poems_path=tsv, dim=8, epochs=1, min_count=1)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            cards = stop.value
            break
    assert [c["name"] for c in cards] == ["embedding-tang-skipgram", "embedding-tang-ppmi"]
    words = (out / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    assert set(words) == set(CHARS)
    for card in cards:
        vectors = dequantize_numpy(load_file(str(out / f"{card['name']}.safetensors")))["vectors"]
        assert vectors.shape == (len(CHARS), 8) and np.isfinite(vectors).all()
        assert card["training_poems"] + card["validation_poems"] <= 60
        assert set(card["metrics"]["neighbours"]) >= set("春月山風花水")
        assert all(len(w) == 1 for w, _ in card["metrics"]["neighbours"]["春"])
        json.dumps(card, allow_nan=False)  # no NaN in a card


def test_analogy_file_is_small_and_written_from_its_pairs():
    text = tang.analogy_path().read_text(encoding="utf-8")
    assert text.startswith("# ") and "Written by" in text.split("\n")[1]
    questions = read_analogies(tang.analogy_path())
    assert 10 <= len(questions) <= 30
    assert questions == tang.analogy_questions()
    assert ("seasons", ("春", "秋", "夏", "冬")) in questions


# --- the bundled models ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry():
    return Registry()


@pytest.mark.parametrize("name", embedding_lesson.CHINESE_MODELS)
def test_bundled_model_matches_its_card(registry, name):
    """The card's neighbours and analogy scores are what the shipped vectors give (recomputed here)."""
    status = registry.status(name)
    assert status.status == "ok", status.problems
    wv = load_registered(registry, name)
    assert wv.characters and 3000 <= len(wv.words) <= 6000 and wv.dim == 100
    metrics = status.card.metrics
    neighbours = wv.neighbors("春", tang.NEIGHBOURS)
    assert [w for w, _ in neighbours] == [w for w, _ in metrics["neighbours"]["春"]]
    for w, _ in neighbours:  # characters, never punctuation
        assert len(w) == 1 and unicodedata.category(w) == "Lo"
    a = tang.analogy_metrics(wv)
    assert (a["top1"], a["top5"], a["n"]) == (
        metrics["analogy"]["top1"],
        metrics["analogy"]["top5"],
        metrics["analogy"]["n"],
    )
    assert a["n"] == len(read_analogies(tang.analogy_path())) and a["skipped"] == 0
    assert status.card.extra["unit"] == "character" and "python -m viz_app.core.embeddings.tang train" in (
        status.card.training_command
    )


def test_bundled_files_are_small_and_share_a_vocabulary(registry):
    sizes = sum(registry.verified_path(name, 0).stat().st_size for name in embedding_lesson.CHINESE_MODELS)
    assert sizes <= 5_000_000
    assert len({load_registered(registry, n).words for n in embedding_lesson.CHINESE_MODELS}) == 1


def test_lesson_probe_reads_characters():
    result = embedding_lesson.lesson_probe(ModelStore(), "embedding-tang-ppmi", "春眠不覺曉，處處聞啼鳥。😀")
    assert result.sentence.tokens == tuple("春眠不覺曉處處聞啼鳥") + ("😀",)  # punctuation is not a word
    assert result.sentence.unknown == ["😀"]
    assert result.coords.shape == (len(result.words), 2)


def test_mostly_chinese():
    assert embedding_lesson.mostly_chinese("床前明月光，疑是地上霜。")
    assert embedding_lesson.mostly_chinese("春風 spring")
    assert not embedding_lesson.mostly_chinese("the king and the queen 我")
    assert not embedding_lesson.mostly_chinese("😀 ，。")
    assert not embedding_lesson.mostly_chinese("")


# --- the command line ------------------------------------------------------------------------------------------


def test_cli_neighbors_on_a_character_model(capsys):
    from viz_app.cli import main

    assert main(["neighbors", "春", "--model", "embedding-tang-skipgram", "--k", "8", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"word", "neighbors"} and data["word"] == "春"
    assert len(data["neighbors"]) == 8 and all(len(w) == 1 and isinstance(c, float) for w, c in data["neighbors"])
    assert main(["neighbors", "king", "--model", "embedding-skipgram", "--k", "3", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == set(data)  # the same shape as the English models'
    for bad, says in (
        ("x", "not among the"),
        ("春風", "one vector per character"),
        (" ", "empty"),
        ("😀", "not among"),
    ):
        assert main(["neighbors", bad, "--model", "embedding-tang-ppmi", "--json"]) == 2
        assert says in capsys.readouterr().err


# --- the lab ---------------------------------------------------------------------------------------------------


def test_lab_chooses_the_chinese_model_for_chinese_text_and_lets_the_user_switch_back(qtbot, open_lesson):
    view = open_lesson("word-embedding", "the king and the queen")
    assert view.model == "embedding-skipgram" and not view.language_note.isVisible()
    view.set_text("床前明月光，疑是地上霜。")
    assert view.model == "embedding-tang-skipgram"  # skip-gram's counterpart
    assert view.language_note.isVisible() and "Chinese text" in view.language_note.text()
    qtbot.waitUntil(lambda: view.result is not None and view.result.model == "embedding-tang-skipgram", timeout=20000)
    assert "characters of" in view.caption.text() and view.onehot_table.cell_text(0, 0) == "床"
    assert view.onehot_table.cell_text(0, 1) == str(view.scatter.words.index("床"))
    assert view.ratio_language_note.isVisibleTo(view.ratio_language_note.parentWidget())
    # The user picks an English model again: it stays while the text stays Chinese.
    view.model_select.setCurrentIndex(view.model_select.findData("embedding-glove"))
    assert not view.language_note.isVisible()
    view.set_text("床前明月光，疑是地上霜。舉頭望明月")
    assert view.model == "embedding-glove"
    qtbot.waitUntil(lambda: view.result is not None and view.result.model == "embedding-glove", timeout=20000)
    assert view.result.sentence.unknown  # the English model does not know these characters, and says so


def test_lab_neighbours_analogy_and_back_to_english(qtbot, open_lesson):
    view = open_lesson("word-embedding", "春眠不覺曉")
    assert view.model == "embedding-tang-skipgram"
    qtbot.waitUntil(lambda: view.result is not None and view.result.model == view.model, timeout=20000)
    view.select_word("春")
    qtbot.waitUntil(lambda: view.neighbor_table.rowCount() == 10, timeout=10000)
    assert all(len(view.neighbor_table.cell_text(r, 0)) == 1 for r in range(10))
    assert tuple(e.text() for e in view.analogy_inputs) == embedding_lesson.ANALOGY_PRESETS["zh"]
    view.run_analogy()
    qtbot.waitUntil(lambda: view.analogy_table.rowCount() == 5, timeout=10000)
    assert len(view.scatter._arrows) == 4
    view.analogy_presets[2].click()  # 春 : 秋 :: 夏 : ?
    qtbot.waitUntil(lambda: view.analogy_table.cell_text(0, 0) not in ("", None), timeout=10000)
    view.select_word("king")  # an English word in a character model: a message, not a crash
    qtbot.waitUntil(lambda: view.error_banner.isVisible(), timeout=10000)
    assert "one vector per character" in view.error_banner.text()
    view.set_text("the king and the queen")  # English again: the model the lesson left
    assert view.model == "embedding-skipgram" and not view.language_note.isVisible()
    assert tuple(e.text() for e in view.analogy_inputs) == embedding_lesson.ANALOGY_PRESETS["en"]
    qtbot.waitUntil(lambda: view.result is not None and view.result.model == "embedding-skipgram", timeout=20000)
