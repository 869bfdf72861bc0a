"""The Transformer's readable attention: every number the lessons show is the model's own."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from viz_app.core.seq2seq import data
from viz_app.core.transformer.model import Transformer, TransformerConfig, positional_encoding


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A small untrained Transformer registered like a bundled one (int8 weights, two vocabularies)."""
    from safetensors.torch import save_file

    from viz_app.core.quantize import quantize
    from viz_app.core.registry import ModelStore, Registry, register

    folder = tmp_path_factory.mktemp("models")
    words = list(data.SPECIALS) + ["je", "suis", "étudiant", ".", "il", "fait", "beau"]
    targets = list(data.SPECIALS) + ["i", "am", "a", "student", ".", "it", "is", "nice"]
    torch.manual_seed(0)
    cfg = TransformerConfig(len(words), len(targets), d_model=32, heads=4, encoder_layers=2, decoder_layers=2, d_ff=64)
    model = Transformer(cfg)
    save_file(quantize(model.state_dict()), str(folder / "t.safetensors"))
    (folder / "t.src.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (folder / "t.tgt.txt").write_text("\n".join(targets) + "\n", encoding="utf-8")
    register(
        folder,
        {"name": "tiny", "kind": "transformer", "training_command": "tests", "model_config": cfg.to_json()},
        [folder / "t.safetensors", folder / "t.src.txt", folder / "t.tgt.txt"],
    )
    return ModelStore(Registry(folder))


def test_positional_encoding_is_the_sinusoid():
    pe = positional_encoding(50, 16).numpy()
    assert np.isclose(pe[3, 0], np.sin(3)) and np.isclose(pe[3, 1], np.cos(3))
    assert np.isclose(pe[7, 4], np.sin(7 / 10000 ** (4 / 16)))


def test_attention_rows_sum_to_one_and_masked_positions_are_zero(tiny):
    from viz_app.core.transformer import probes

    tr = probes.translate(tiny, "tiny", "je suis étudiant .", max_len=6)
    assert tr.encoder_attention.shape == (2, 4, 4, 4)
    for name in ("encoder_attention", "decoder_attention", "cross_attention"):
        a = getattr(tr, name)
        if a.size:
            assert np.allclose(a.sum(-1), 1.0, atol=1e-5), name
    d = tr.decoder_attention
    if d.shape[-1] > 1:
        upper = np.triu(np.ones(d.shape[-2:], bool), k=1)
        assert np.all(d[..., upper] == 0.0)  # a position never sees the words after it
    out = tr.to_json()
    assert len(out["cross_attention"][0][0]) == len(out["output_tokens"])
    assert json.dumps(out)


def test_head_numbers_are_the_models_own(tiny):
    from viz_app.core.transformer import probes

    lm = tiny.get("tiny", probes.load)
    h = probes.head_numbers(tiny, "tiny", "je suis étudiant . blorf", layer=1, head=2)
    assert h.tokens[-1] == "<unk>"
    attn = lm.model.encoder[1].self_attn
    cols = slice(2 * attn.d_k, 3 * attn.d_k)
    b_q = attn.w_q.bias.detach().numpy()[cols]
    assert np.allclose(h.x @ h.w_q + b_q, h.q, atol=1e-4)
    assert np.allclose(h.q @ h.k.T, h.scores, atol=1e-4)
    e = np.exp(h.scaled - h.scaled.max(1, keepdims=True))
    assert np.allclose(e / e.sum(1, keepdims=True), h.weights, atol=1e-5)
    assert np.allclose(h.weights @ h.v, h.z, atol=1e-5)
    assert np.allclose(h.concat[:, cols], h.z, atol=1e-6)
    assert np.allclose(h.concat @ h.w_o + attn.w_o.bias.detach().numpy(), h.output, atol=1e-4)
    # ... and the block output is what the model itself computes for that layer.
    with torch.no_grad():
        ids = torch.tensor([lm.source.encode(list(h.tokens))])
        x = lm.model.embed(lm.model.src_embed, ids)
        mask = (ids != 0)[:, None, None, :]
        x = lm.model.encoder[0](x, mask)
        own = attn(x, x, mask)[0].numpy()
    assert np.allclose(own, h.output, atol=1e-5)
    with pytest.raises(ValueError):
        probes.head_numbers(tiny, "tiny", "je", layer=5, head=0)


def test_empty_and_long_input(tiny):
    from viz_app.core.transformer import probes

    assert probes.translate(tiny, "tiny", "").output == ""
    enc = probes.encode(tiny, "tiny", "je " * 600)
    assert len(enc.tokens) == probes.MAX_SOURCE_TOKENS and enc.truncated == 600 - probes.MAX_SOURCE_TOKENS


def test_training_resumes_exactly(tmp_path):
    from viz_app.cli import main

    pairs = tmp_path / "pairs.txt"
    animals = (("cats", "chats"), ("dogs", "chiens"), ("birds", "oiseaux"))
    lines = [f"i see {n} {w}.\tje vois {n} {v} ." for n in range(100) for w, v in animals]
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["train-transformer", "--pairs", str(pairs), "--batch", "16", "--d-model", "16", "--heads", "2"]
    args += ["--layers", "1"]
    assert main([*args, "--out", str(tmp_path / "a"), "--epochs", "2"]) == 0
    assert main([*args, "--out", str(tmp_path / "b"), "--epochs", "1"]) == 0
    assert main([*args, "--out", str(tmp_path / "b"), "--epochs", "2", "--resume"]) == 0
    a = json.loads((tmp_path / "a" / "transformer.card.json").read_text())
    b = json.loads((tmp_path / "b" / "transformer.card.json").read_text())
    assert a["history"] == b["history"] and b["epochs_completed"] == 2


def test_the_transformer_trains_on_the_tang_couplets_and_writes_characters(tmp_path, capsys):
    """The couplet writer of the Transformer lesson: the trainer reads the Tang TSV's couplets (one token per
    character), keeps the epoch with the lowest validation loss, and the model it writes decodes characters."""
    from viz_app.cli import main
    from viz_app.core.lm import tang
    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.transformer import couplet, probes

    if not tang.DEFAULT_TSV.is_file():
        pytest.skip("the Tang corpus is not here")
    out = tmp_path / "run"
    args = ["train-transformer", "--pairs", str(tang.DEFAULT_TSV), "--out", str(out), "--name", couplet.NAME]
    args += ["--epochs", "2", "--batch", "32", "--d-model", "16", "--heads", "2", "--layers", "1", "--limit", "200"]
    assert main(args) == 0
    card = json.loads((out / f"{couplet.NAME}.card.json").read_text(encoding="utf-8"))
    assert card["task"] == "couplet" and [set(h) for h in card["history"]] == [{"epoch", "validation_loss"}] * 2
    losses = [h["validation_loss"] for h in card["history"]]
    assert card["best_epoch"] == 1 + losses.index(min(losses))
    assert "。" in (out / f"{couplet.NAME}.target_vocab.txt").read_text(encoding="utf-8").split("\n")
    bundled = tmp_path / "models" / "transformer"
    bundled.mkdir(parents=True)
    import shutil

    for suffix in (".source_vocab.txt", ".target_vocab.txt", ".card.json", ".safetensors"):
        shutil.copy(out / f"{couplet.NAME}{suffix}", bundled / f"{couplet.NAME}{suffix}")
    couplet.register_model(bundled, couplet.NAME)
    store = ModelStore(Registry(bundled.parent))
    t = probes.translate(store, couplet.NAME, "白日依山盡")
    assert t.task == "couplet" and t.source_tokens[-1] == "，" and len(t.output_tokens) <= 2 * 6 + 2
    assert "<unk>" not in t.output_tokens and t.output == "".join(t.output_tokens)
    assert t.cross_attention.shape[2:] == (len(t.output_tokens), 6)


def test_the_lesson_job_runs_on_the_workers_device_and_says_so(tiny):
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons import transformer as lesson

    ctx = JobContext(Request("transformer", None), "cpu", tiny)
    t = lesson.transformer_job(ctx, "tiny", "je suis étudiant .")
    assert t.device == "cpu" and t.task == "translate"
    model = tiny.peek("tiny").model
    assert {p.device.type for p in model.parameters()} == {"cpu"}
    if torch.cuda.is_available():  # on a GPU machine: the same job on CUDA, the same words
        on_gpu = lesson.transformer_job(
            JobContext(Request("transformer", None), "cuda", tiny), "tiny", "je suis étudiant ."
        )
        assert on_gpu.device == "cuda" and on_gpu.output_tokens == t.output_tokens
        assert np.allclose(on_gpu.cross_attention, t.cross_attention, atol=1e-4)
        lesson.transformer_job(ctx, "tiny", "je")  # and back


def test_incremental_decoding_gives_the_logits_of_the_whole_prefix():
    """decode_step keeps each layer's keys and values; its logits are those of decode() on the whole prefix."""
    torch.manual_seed(0)
    model = Transformer(TransformerConfig(30, 40, d_model=32, heads=4, encoder_layers=2, decoder_layers=2, d_ff=64))
    model.eval()
    with torch.no_grad():
        memory, mask = model.encode(torch.tensor([[5, 6, 7, 8, 9]]))
        words, cache = [1, 12, 3, 25, 7, 30], {}
        for t in range(len(words)):
            step = model.decode_step(torch.tensor([[words[t]]]), t, memory, cache)[0]
            whole = model.decode(torch.tensor([words[: t + 1]]), memory, mask)[0, -1]
            assert torch.allclose(step, whole, atol=1e-5)
        last = model.decode(torch.tensor([words]), memory, mask, last_only=True)
        assert last.shape == (1, 1, 40) and torch.allclose(last[0, 0], whole, atol=1e-6)


def test_checking_a_draft_first_gives_greedy_decodings_words():
    """greedy_checking keeps a guessed output only as far as each word is the decoder's own greedy pick: any
    draft (right, a prefix, too long, wrong in the middle, random) ends in the words greedy decoding gives."""
    import random

    from viz_app.core.transformer.decode import greedy, greedy_checking

    torch.manual_seed(1)
    model = Transformer(TransformerConfig(30, 40, d_model=32, heads=4, encoder_layers=2, decoder_layers=2, d_ff=64))
    model.eval()
    vocab = data.Vocab(list(data.SPECIALS) + [f"w{i}" for i in range(40 - len(data.SPECIALS))])
    rng = random.Random(0)
    for src in ([5, 6, 7, 8, 9], [11, 4, 20], [7] * 12):
        with torch.no_grad():
            memory, mask = model.encode(torch.tensor([src]))
        for limit, banned in ((12, ()), (3, ()), (12, (vocab.unk,))):
            want, _ = greedy(model, src, vocab, limit, banned=banned, memory=memory)
            drafts = [
                [],
                want,
                want[:2],
                want + [9, 9],
                want[:1] + [33] + want[2:],
                [rng.randrange(4, 40) for _ in range(20)],
            ]
            for draft in drafts:
                out, logits, record = greedy_checking(model, memory, mask, vocab, limit, draft, banned)
                assert out == want, (src, limit, draft)
                with torch.no_grad():
                    whole = model.decode(torch.tensor([[vocab.start, *out]]), memory, mask)[0]
                assert logits.shape[0] == len(out) + 1 and torch.equal(logits, whole)  # one pass over exactly that
                assert record["layers"][0]["cross"]["weights"].shape[2] == len(out) + 1


def test_translate_checks_the_last_translation_first_and_reads_the_same_numbers(tiny):
    """The Transformer lesson's keystrokes: the last output is checked first; the result is the one a fresh
    model gives (words, probabilities and attention), whatever was translated before."""
    from viz_app.core.registry import ModelStore
    from viz_app.core.transformer import probes

    fresh = ModelStore(tiny.registry)
    for before in ("", "je suis étudiant .", "tu es", "le chat noir dort sur le canapé ."):
        if before:
            probes.translate(tiny, "tiny", before)
        got = probes.translate(tiny, "tiny", "je suis étudiant")
        fresh.clear()
        want = probes.translate(fresh, "tiny", "je suis étudiant")
        assert got.output_tokens == want.output_tokens
        assert got.probabilities == want.probabilities  # the same numbers, to the bit
        assert np.array_equal(got.decoder_attention, want.decoder_attention)
        assert np.array_equal(got.cross_attention, want.cross_attention)
