"""The tiny BERT and GPT: tokenizer, BERT's corruption and pairs, masks, and resumable deterministic training."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from viz_app.core.lm import data
from viz_app.core.lm import train as lm_train
from viz_app.core.lm.model import LMConfig, TinyLM
from viz_app.core.lm.tokenizer import WordPieces, train_tokenizer

TEXT = [
    "Lily found a needle in her room. She knew it was difficult to play with it because it was sharp.",
    "Tom and his dog went to the park. They played with a red ball all day. The dog was very happy!",
    'Lily\'s mom said, "You can share the toy with your friend." Lily smiled and shared the toy.',
] * 30


@pytest.fixture(scope="module")
def tok():
    return train_tokenizer(TEXT, vocab_size=200)


def test_tokenizer_specials_plain_text_and_unknowns(tok, tmp_path):
    assert [tok.pad, tok.unk, tok.cls, tok.sep, tok.mask] == [0, 1, 2, 3, 4]
    enc = tok.encode("Lily's dog 🐶 played 中")
    assert enc.tokens[:3] == ["lily", "'", "s"] and enc.tokens.count("[UNK]") == 2
    assert tok.decode(enc.ids) == "lily's dog [UNK] played [UNK]"
    pieces = tok.encode("sharpness").ids
    assert len(pieces) > 1 and tok.is_continuation(pieces[1]) and not tok.plain(pieces[1]).startswith("##")
    tok.save(tmp_path / "t.json")
    assert WordPieces.load(tmp_path / "t.json").encode("the dog").ids == tok.encode("the dog").ids
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError):
        WordPieces.load(tmp_path / "bad.json")


def test_bert_corruption_is_15_percent_with_80_10_10(tok):
    rng = np.random.default_rng(0)
    ids = rng.integers(5, len(tok), size=(400, 100))
    corrupted, targets = lm_train.mask_tokens(ids, tok, rng)
    chosen = targets != -100
    assert abs(chosen.mean() - 0.15) < 0.01
    assert np.array_equal(targets[chosen], ids[chosen]) and np.array_equal(corrupted[~chosen], ids[~chosen])
    masked = (corrupted[chosen] == tok.mask).mean()
    kept = (corrupted[chosen] == ids[chosen]).mean()
    assert abs(masked - 0.8) < 0.02 and abs(kept - 0.1) < 0.02  # (a random token may equal the original)
    specials = np.array([[tok.cls, 10, 11, tok.sep, 12, tok.sep, tok.pad]])
    _, t = lm_train.mask_tokens(specials, tok, rng, rate=1.0)
    assert np.array_equal(t != -100, specials > 4)  # specials and padding are never chosen


def test_bert_pairs_half_are_next_and_fit(tok):
    chunks = lm_train.bert_chunks(tok, [" ".join(TEXT[i : i + 3]) for i in range(0, 60, 3)], 40)
    pairs = lm_train.bert_pairs(chunks * 20, 48, np.random.default_rng(0))
    share = np.mean([n for _, _, n in pairs])
    assert 0.4 < share < 0.6 and all(len(a) + len(b) + 3 <= 48 and a and b for a, b, _ in pairs)
    ids, seg, _ = lm_train.pack_pairs(pairs[:3], tok)
    a, b, _ = pairs[0]
    assert (
        ids[0, 0] == tok.cls and ids[0, len(a) + 1] == tok.sep and seg[0, len(a) + 2] == 1 and seg[0, len(a) + 1] == 0
    )


def test_sentences_split_after_end_punctuation():
    assert data.sentences('He said, "Hi." Then he left! Did he? yes') == [
        'He said, "Hi."',
        "Then he left!",
        "Did he?",
        "yes",
    ]


def test_gpt_is_causal_and_bert_sees_both_sides():
    torch.manual_seed(0)
    ids = torch.tensor([[3, 10, 11, 12, 13]])
    later = ids.clone()
    later[0, 4] = 20
    for causal in (True, False):
        model = TinyLM(LMConfig(40, causal, d_model=16, heads=4, layers=2, d_ff=32)).eval()
        rec = {}
        with torch.no_grad():
            a, b = model(ids, record=rec), model(later)
        weights = rec["layers"][1]["self"]["weights"][0]
        assert torch.allclose(weights.sum(-1), torch.ones(4, 5))
        if causal:  # the upper triangle is exactly zero; changing the last token leaves the others alone
            assert float(torch.triu(weights, 1).abs().max()) == 0.0
            assert torch.allclose(a[0, :4], b[0, :4])
        else:
            assert float(weights.min()) > 0 and not torch.allclose(a[0, 0], b[0, 0])


def _run(config, tmp_path, out, files):
    run = lm_train.train([files[0]], [files[1]], tmp_path / out, config, tokenizer=files[2], resume=True)
    while True:
        try:
            yield next(run)
        except StopIteration as stop:
            yield stop.value
            return


@pytest.mark.parametrize("kind", ["gpt", "bert"])
def test_training_is_deterministic_and_resumes_exactly(kind, tmp_path):
    train_file, valid_file = tmp_path / "train.txt", tmp_path / "valid.txt"
    train_file.write_text("\n".join(TEXT) + "\n", encoding="utf-8")
    valid_file.write_text("\n".join(TEXT[:6]) + "\n", encoding="utf-8")
    config = lm_train.small(lm_train.LMTrainConfig(kind, steps=8, vocab_size=150))
    # The tokenizer is trained once and given to both runs: the tokenizers library breaks ties between
    # equally frequent pieces differently from run to run, so the model trainers take a fixed file.
    train_tokenizer(TEXT, vocab_size=150).save(tmp_path / "tokenizer.json")
    files = (train_file, valid_file, tmp_path / "tokenizer.json")
    *_, card = _run(config, tmp_path, "full", files)
    assert card["steps_completed"] == 8 and np.isfinite(card["final_validation"]["loss"])
    for event in _run(config, tmp_path, "cut", files):  # stop at step 5: the last checkpoint holds step 4
        if getattr(event, "message", "").startswith("step 5"):
            break
    assert torch.load(tmp_path / "cut" / f"{kind}.checkpoint.pt", weights_only=False)["step"] == 4
    *_, resumed = _run(config, tmp_path, "cut", files)
    assert resumed["history"] == card["history"]
    full = torch.load(tmp_path / "full" / f"{kind}.checkpoint.pt", weights_only=False)["model"]
    again = torch.load(tmp_path / "cut" / f"{kind}.checkpoint.pt", weights_only=False)["model"]
    assert all(torch.equal(full[k], again[k]) for k in full)


IMDB = Path(__file__).resolve().parents[2] / "shared" / "data" / "imdb"


@pytest.mark.skipif(not IMDB.is_dir(), reason="needs ../shared/data/imdb")
def test_training_commands_end_to_end(tmp_path, capsys):
    import json

    from viz_app.cli import main

    corpus, valid = tmp_path / "train.txt", tmp_path / "valid.txt"
    corpus.write_text("\n".join(TEXT) + "\n", encoding="utf-8")
    valid.write_text("\n".join(TEXT[:6]) + "\n", encoding="utf-8")
    tok = tmp_path / "tokenizer.json"
    assert main(["train-tokenizer", "--corpus", str(corpus), "--out", str(tok), "--vocab-size", "300"]) == 0
    tiny = ["--steps", "4", "--batch", "4", "--seq-len", "32", "--d-model", "32", "--heads", "4", "--layers", "2"]
    for kind in ("gpt", "bert"):
        args = [f"train-{kind}", "--corpus", str(corpus), "--validation", str(valid), "--out", str(tmp_path / kind)]
        assert main([*args, "--tokenizer", str(tok), "--eval-every", "2", *tiny]) == 0
        assert json.loads((tmp_path / kind / f"{kind}.card.json").read_text())["steps_completed"] == 4
    capsys.readouterr()
    args = ["finetune-sentiment", "--bert", str(tmp_path / "bert"), "--tokenizer", str(tok), "--imdb", str(IMDB)]
    assert main([*args, "--out", str(tmp_path / "sentiment"), "--epochs", "1", "--max-tokens", "16"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0.0 <= result["test_accuracy"] <= 1.0  # a 32-wide model pre-trained for 4 steps: about chance
    card = json.loads((tmp_path / "sentiment" / "bert-sentiment.card.json").read_text())
    assert card["test_reviews"] == 929 and card["train_reviews"] + card["dev_reviews"] == 3000
    assert all(n.startswith(("blocks.1.", "pooler.", "sentiment.")) for n in card["trained_tensors"])
    assert main(["train-gpt", "--corpus", str(tmp_path / "missing.txt"), "--validation", str(valid), "--out", "x"]) == 2
