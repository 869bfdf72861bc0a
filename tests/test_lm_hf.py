"""Your own models: tiny Hugging Face checkpoints built and saved by the test, then opened offline."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.lm import hf, probes

transformers = pytest.importorskip("transformers")

WORDS = "the a dog cat ran sat on mat park ball red happy lily tom . , ! ?".split()


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    root = tmp_path_factory.mktemp("hf")
    torch.manual_seed(0)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, "##s"]
    wp = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    wp.normalizer = normalizers.BertNormalizer(lowercase=True)
    wp.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=wp,
        unk_token="[UNK]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        mask_token="[MASK]",
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
    )
    BertForMaskedLM(config).save_pretrained(root / "bert")
    tok.save_pretrained(root / "bert")

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    bpe.train_from_iterator(["the dog ran on the mat. lily and tom sat in the park!"] * 20, trainer)
    gtok = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<|endoftext|>", eos_token="<|endoftext|>")
    gconfig = GPT2Config(
        vocab_size=len(gtok), n_embd=16, n_layer=2, n_head=2, n_positions=32, bos_token_id=0, eos_token_id=0
    )
    GPT2LMHeadModel(gconfig).save_pretrained(root / "gpt")
    gtok.save_pretrained(root / "gpt")
    return root


def test_a_bert_folder_fills_masks(folders):
    bert = hf.load_folder(folders / "bert")
    assert bert.kind == "bert" and bert.layers == 2 and bert.heads == 2 and bert.max_len == 32
    result = probes.fill_mask(bert, "the dog [mask] on the mat", top_k=4)
    assert result.tokens[3] == "[MASK]" and len(result.masks[0].predictions) == 4
    forward = bert.forward(probes.prepare(bert, "the dog [MASK] on the mat").ids)
    assert np.isclose(result.masks[0].predictions[0][1], probes.softmax(forward.logits[3]).max())
    att = probes.attention(bert, "lily and tom")
    assert len(att.attention) == 2 and np.allclose(att.attention[1].sum(-1), 1.0, atol=1e-5)


def test_a_gpt2_folder_generates_reproducibly(folders):
    gpt = hf.load_folder(folders / "gpt")
    assert gpt.kind == "gpt"
    s = probes.Sampling(1.0, 20, 1.0)
    a = [t.token_id for t in probes.generate(gpt, "the dog", 5, s, seed=3)]
    assert a == [t.token_id for t in probes.generate(gpt, "the dog", 5, s, seed=3)]
    att = probes.attention(gpt, "the dog ran")
    assert all(np.triu(layer, 1).max() == 0.0 for layer in att.attention)  # causal: the empty upper triangle
    lens = probes.logit_lens(gpt, "the dog ran")
    assert lens.guesses[-1][-1][0] == probes.next_token(gpt, "the dog ran", top=1).top[0][0]
    assert probes.next_token(gpt, "the dog " * 40).cut > 0


def test_bad_folders_and_a_missing_extra_give_clear_errors(folders, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="no such folder"):
        hf.load_folder(tmp_path / "nope")
    with pytest.raises(ValueError, match="config.json"):
        hf.load_folder(tmp_path)
    (tmp_path / "config.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot load"):
        hf.load_folder(tmp_path)
    monkeypatch.setattr(hf, "available", lambda: False)
    with pytest.raises(ValueError, match="viz-app\\[hf\\]"):
        hf.load_folder(folders / "bert")


def test_commands_take_a_model_folder(folders, tmp_path, capsys):
    import json

    from viz_app.cli import main

    bert, gpt = str(folders / "bert"), str(folders / "gpt")
    assert main(["fill-mask", "the dog [MASK] on the [MASK]", "--model", bert, "--top-k", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["position"] for m in out["masks"]] == [3, 6] and len(out["masks"][0]["predictions"]) == 3
    lines = tmp_path / "lines.txt"
    lines.write_text("the [MASK] ran\nno mask\n", encoding="utf-8")
    assert main(["fill-mask", "--file", str(lines), "--model", bert, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 2 and out["results"][1]["masks"] == []
    args = ["generate", "the dog", "--model", gpt, "--max-new-tokens", "4", "--top-k", "5", "--seed", "2", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == first and first["text"].startswith("the dog")
    assert all(0 < p <= 1 for _, p in first["steps"])
    assert main(["attention", "the dog ran", "--model", gpt, "--json"]) == 0
    att = json.loads(capsys.readouterr().out)
    assert len(att["attention"]) == 2 and len(att["attention"][0]) == 2
    assert all(abs(sum(row) - 1) < 1e-4 for row in att["attention"][1][0])
    assert main(["score", "--model", gpt, "--text", "the dog ran", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["perplexity_per_token"] > 1
    assert main(["fill-mask", "the [MASK]", "--model", gpt]) == 2  # a GPT does not fill masks
    assert main(["generate", "x", "--model", bert]) == 2
    assert main(["generate", "x", "--model", gpt, "--top-p", "0"]) == 2
    assert main(["fill-mask", "the [MASK]", "--model", str(tmp_path / "missing")]) == 2
    capsys.readouterr()


def test_open_model_folder_menu(folders, qtbot, config_dir, monkeypatch):
    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    window = MainWindow(Settings(persistent=False))
    qtbot.addWidget(window)
    try:
        assert window.findChild(type(window.menuBar().actions()[0]), "openModelFolder") is not None
        assert "config.json" in window.open_model_folder(str(folders))  # the parent folder is not a model
        monkeypatch.setattr(hf, "available", lambda: False)
        assert "viz-app[hf]" in window.open_model_folder(str(folders / "gpt"))  # says what to install
        monkeypatch.undo()
        assert window.open_model_folder(str(folders / "gpt")) == ""
        assert window.service.user_models == [str(folders / "gpt")]
        window.select_lesson("gpt")
        select = window.current_view().model_select  # a lesson built after the folder was opened lists it too
        assert str(folders / "gpt") in [select.itemText(i) for i in range(select.count())]
    finally:
        window.service.shutdown()
