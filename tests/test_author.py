"""Who wrote this poem: the poet classifier fine-tuned from the character BERT, and its bag-of-characters baseline."""

from __future__ import annotations

import json

import numpy as np
import pytest

from viz_app.core.lm import author, tang

needs_poems = pytest.mark.skipif(not tang.DEFAULT_TSV.is_file(), reason="the Tang corpus is not here")


@pytest.fixture(scope="module")
def split():
    return tang.load_split()


@needs_poems
def test_the_poets_are_the_most_prolific_and_the_splits_are_apart(split):
    from collections import Counter

    d = author.author_data(split)
    counts = Counter(p.author for p in split.train)
    assert list(d.poets) == [a for a, _ in counts.most_common(author.POETS)]
    texts = [{t for t, _ in rows} for rows in (d.train, d.dev, d.test)]
    assert not (texts[0] & texts[1]) and not (texts[0] & texts[2]) and not (texts[1] & texts[2])
    validation = {p.text for p in split.validation}
    assert texts[2] <= validation and not ((texts[0] | texts[1]) & validation)
    assert len(d.test) == sum(1 for p in split.validation if p.author in d.poets)
    assert all(0 <= y < len(d.poets) for rows in (d.train, d.dev, d.test) for _, y in rows)


def test_the_bag_of_characters_leaves_out_punctuation():
    assert author.characters("床前明月光，疑是地上霜。") == "床 前 明 月 光 疑 是 地 上 霜"


@needs_poems
def test_the_baseline_learns_something(split):
    d = author.author_data(split)
    small = author.AuthorData(d.poets, d.train[:800], d.dev[:200], d.test)
    base = author.bag_of_characters(small, grid=(0.1, 1.0))
    assert base["accuracy"] > base["majority_class_accuracy"] and base["c"] in (0.1, 1.0)


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory, split):
    """A small untrained character BERT registered like bert-tang."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.lm.model import LMConfig, TinyLM
    from viz_app.core.quantize import quantize
    from viz_app.core.registry import register

    root = tmp_path_factory.mktemp("models")
    folder = root / "lm"
    folder.mkdir()
    tok = tang.CharTokenizer.train(p.text for p in split.train[:3000])
    tok.save(folder / "tiny.tokenizer.json")
    torch.manual_seed(0)
    config = LMConfig(len(tok), causal=False, d_model=16, heads=2, layers=2, d_ff=32, max_len=128)
    save_file(quantize(TinyLM(config).state_dict()), str(folder / "tiny.safetensors"))
    register(
        root,
        {"name": author.BASE, "kind": "bert", "tokenizer": "char", "model_config": config.to_json(),
         "training_command": "tests"},
        [folder / "tiny.safetensors", folder / "tiny.tokenizer.json"],
    )  # fmt: skip
    return root


@needs_poems
def test_a_tiny_fine_tuning_run_bundles_and_classifies(tiny_bert, tmp_path):
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons import generative as gen_lesson
    from viz_app.core.lm import probes
    from viz_app.core.registry import ModelStore, Registry

    registry = Registry(tiny_bert)
    config = author.AuthorConfig(epochs=2, batch=16)
    gen = author.finetune(probes.load(registry, author.BASE), tmp_path / "run", config, limit=64, command="tests")
    messages = []
    while True:
        try:
            messages.append(next(gen).message)
        except StopIteration as stop:
            card = stop.value
            break
    assert any("dev accuracy" in m for m in messages) and [h["epoch"] for h in card["history"]] == [1, 2]
    assert card["poets"] == list(author.author_data(tang.load_split()).poets)
    # Only what fine-tuning changed is written: the last block, the pooler and the head.
    assert {t.split(".")[0] for t in card["tensors"]} == {"bert", "head"}
    assert all(t.startswith(("bert.blocks.1.", "bert.pooler.", "head.")) for t in card["tensors"])
    entry = author.bundle(tmp_path / "run", tiny_bert / "lm")
    assert entry["kind"] == "bert-author" and 0.0 <= entry["metrics"]["test_accuracy"] <= 1.0
    assert sum(v["poems"] for v in entry["metrics"]["per_poet"].values()) == entry["metrics"]["test_poems"]
    store = ModelStore(Registry(tiny_bert))
    ctx = JobContext(Request("generative", None), "cpu", store)
    r = gen_lesson.author_job(ctx, "床前明月光，疑是地上霜。")
    assert list(r.probs) == card["poets"] and np.isclose(sum(r.probs.values()), 1.0, atol=1e-4)
    assert r.verdict in card["poets"] and r.read == 12
    assert gen_lesson.author_job(ctx, "🙂🙂").verdict == "unreadable"
    json.dumps(r.to_json())
