"""The encoder-decoder on a toy task made here: reverse a short sequence (attention helps; shapes, decoding)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from viz_app.core.seq2seq import data
from viz_app.core.seq2seq.decode import beam, greedy
from viz_app.core.seq2seq.model import Seq2Seq, Seq2SeqConfig


def test_tokens_normalise_french_spaces_and_keep_accents():
    assert data.tokens("Je suis étudiant\u202f!") == ["je", "suis", "étudiant", "!"]
    assert data.detokenize(["i", "am", "a", "student", "."]) == "i am a student."


def test_english_contractions_are_written_out():
    assert data.english_tokens("I'm a student.") == ["i", "am", "a", "student", "."]
    assert data.english_tokens("Don't go! It's late, isn't it?") == [
        "do",
        "not",
        "go",
        "!",
        "it",
        "is",
        "late",
        ",",
        "is",
        "not",
        "it",
        "?",
    ]
    assert data.english_tokens("Tom's book") == ["tom's", "book"]  # a possessive stays


def test_validation_split_is_fixed_and_keeps_repeats_together():
    pairs = [("Va !", "Go."), ("Cours !", "Run!"), ("Cours !", "Run away!")] * 3 + [
        (f"phrase {i}", "x") for i in range(400)
    ]
    train, valid = data.split(pairs)
    assert 0 < len(valid) < len(pairs)
    assert not ({s for s, _ in train} & {s for s, _ in valid})
    assert data.split(pairs) == (train, valid)


@pytest.fixture(scope="module")
def reverser():
    """A model trained here for a few seconds to reverse sequences of 3-5 letters (600 steps: after 300,
    with the packages a fresh install gets in December 2026, it dropped the last letter of "abcd")."""
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    letters = [chr(c) for c in range(ord("a"), ord("k"))]
    vocab = data.Vocab(list(data.SPECIALS) + letters)
    model = Seq2Seq(Seq2SeqConfig(len(vocab), len(vocab), dim=64, attention=True, dropout=0.0))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(600):
        batch = [list(rng.choice(letters, size=rng.integers(3, 6))) for _ in range(32)]
        width = max(len(b) for b in batch)
        src = torch.zeros(32, width, dtype=torch.long)
        tgt = torch.zeros(32, width + 2, dtype=torch.long)
        for i, b in enumerate(batch):
            src[i, : len(b)] = torch.tensor(vocab.encode(b))
            tgt[i, : len(b) + 2] = torch.tensor([vocab.start, *vocab.encode(b[::-1]), vocab.end])
        logits = model(src, tgt[:, :-1])
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1), ignore_index=0
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model, vocab


def test_greedy_and_beam_decode_and_attention_rows_sum_to_one(reverser):
    model, vocab = reverser
    src = vocab.encode(list("abcd"))
    g = greedy(model, src, vocab)
    b = beam(model, src, vocab, width=4)
    assert g.tokens == list("dcba") and b.tokens == list("dcba")
    assert g.attention.shape[1] == 4
    assert np.allclose(g.attention.sum(1), 1.0, atol=1e-5)
    # Reversing: the first output word looks at the last source word.
    assert g.attention[0].argmax() == 3


def test_forcing_a_word_redecodes_the_rest(reverser):
    model, vocab = reverser
    forced = greedy(model, vocab.encode(list("abcd")), vocab, forced=[vocab.index["a"]])
    assert forced.tokens[0] == "a"


def test_model_without_attention_has_no_weights():
    torch.manual_seed(0)
    model = Seq2Seq(Seq2SeqConfig(20, 20, dim=16, attention=False))
    vocab = data.Vocab(list(data.SPECIALS) + [f"w{i}" for i in range(16)])
    assert greedy(model, [5, 6, 7], vocab, max_len=5).attention is None


def test_translate_probe_loads_a_registered_model(reverser, tmp_path):
    """The registry path a bundled translator will take: weights + two vocabularies + config in the card."""
    from safetensors.torch import save_file

    from viz_app.core.registry import ModelStore, Registry, register
    from viz_app.core.seq2seq import probes

    model, vocab = reverser
    save_file({k: v.half().contiguous() for k, v in model.state_dict().items()}, str(tmp_path / "rev.safetensors"))
    for side in ("source", "target"):
        (tmp_path / f"rev.{side}.txt").write_text("\n".join(vocab.words) + "\n")
    register(
        tmp_path,
        {
            "name": "reverser",
            "kind": "seq2seq",
            "training_command": "tests/test_seq2seq.py",
            "config": {"dim": 64, "attention": True},
        },
        [tmp_path / "rev.safetensors", tmp_path / "rev.source.txt", tmp_path / "rev.target.txt"],
    )
    store = ModelStore(Registry(tmp_path))
    result = probes.translate(store, "reverser", "a b c z")
    assert result.source_tokens == ("a", "b", "c", "<unk>")
    assert result.attention is not None and np.allclose(result.attention.sum(1), 1.0, atol=1e-3)
    data_json = result.to_json()
    assert len(data_json["attention"]) == len(result.output_tokens)
    assert probes.translate(store, "reverser", "").output == ""


def test_bundled_translator_says_the_lecture_sentence():
    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq import probes

    card = Registry().card("seq2seq-attention")
    assert card.metrics["bleu"] >= 38
    result = probes.translate(ModelStore(), "seq2seq-attention", "je suis étudiant .")
    assert result.output == "i am a student."
    assert result.attention.shape == (len(result.output_tokens) + 1, 4)
    assert np.allclose(result.attention.sum(1), 1.0, atol=1e-3)


def test_cli_translate_and_file(tmp_path, capsys):
    import json

    from viz_app.cli import main

    assert main(["translate", "je suis étudiant .", "--model", "seq2seq-attention", "--json"]) == 0
    data_out = json.loads(capsys.readouterr().out)
    assert data_out["output"] == "i am a student." and len(data_out["attention"]) == len(data_out["output_tokens"])
    f = tmp_path / "in.txt"
    f.write_text("je suis étudiant .\nil fait froid .\n")
    assert main(["translate", "--file", str(f), "--model", "seq2seq-attention", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["outputs"]) == 2
    assert main(["translate", "--model", "seq2seq-attention"]) == 2
