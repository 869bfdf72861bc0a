"""Who wrote this poem? A discriminative model for the Tang poems: the character BERT (bert-tang) fine-tuned to
name the poet among the most prolific poets of the training poems, beside a bag-of-characters logistic
regression (scikit-learn) fitted on the same poems.

Data (``tang.load_split``): the training poems of the POETS most prolific poets, of which those whose hash falls
in a fixed 10% are held out to choose the epoch (and the regression's C); test: the same poets' validation poems
(5% by poem hash, no line shared with a training poem), never seen in training or model selection.

Recipe (the lecture's fine-tuning): pre-trained bert-tang, its last Transformer block, the pooler and a new
head (one output per poet) on [CLS] trained, the rest frozen (``recipe="whole"`` trains every weight). The
bundled file holds only what fine-tuning changed; it loads on top of bert-tang.

``viz-app finetune-author --out DIR`` trains; ``python -m viz_app.core.lm.author --bundle DIR`` stores it int8
in resources/models/lm, measures it there and registers the card.
"""

from __future__ import annotations

import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress

NAME = "bert-tang-author"
BASE = "bert-tang"
POETS = 6
PUNCTUATION = "，。？！；、"


@dataclass(frozen=True)
class AuthorConfig:
    poets: int = POETS
    epochs: int = 6
    batch: int = 32
    lr: float = 2e-4
    recipe: str = "last"  # "last": last block, pooler and head; "whole": every weight
    dev_percent: int = 10
    seed: int = 0


@dataclass(frozen=True)
class AuthorData:
    poets: tuple[str, ...]
    train: list[tuple[str, int]]  # (poem text, poet index)
    dev: list[tuple[str, int]]
    test: list[tuple[str, int]]


def author_data(split, poets: int = POETS, dev_percent: int = 10) -> AuthorData:
    """The ``poets`` most prolific poets of the training poems (ties by name) and their poems, split as above."""
    from collections import Counter

    from viz_app.core.lm import tang

    counts = Counter(p.author for p in split.train)
    chosen = tuple(a for a, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:poets])
    index = {a: k for k, a in enumerate(chosen)}
    train, dev = [], []
    for p in split.train:
        if p.author in index:
            side = dev if (tang.poem_hash(p.text) // 100) % 100 < dev_percent else train
            side.append((p.text, index[p.author]))
    test = [(p.text, index[p.author]) for p in split.validation if p.author in index]
    return AuthorData(chosen, train, dev, test)


def characters(text: str) -> str:
    """The poem's characters without punctuation and spaces, one "word" each for the bag of characters."""
    return " ".join(ch for ch in text if not ch.isspace() and ch not in PUNCTUATION)


def bag_of_characters(d: AuthorData, grid=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0)) -> dict:
    """The baseline: counts of each character (min_df 2), logistic regression with C chosen on the dev poems,
    refitted on train + dev; accuracy on the test poems (and the majority class's share for scale)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def pipeline(c):
        return make_pipeline(CountVectorizer(analyzer=str.split, min_df=2), LogisticRegression(C=c, max_iter=3000))

    x_tr, y_tr = [characters(t) for t, _ in d.train], [y for _, y in d.train]
    x_dev, y_dev = [characters(t) for t, _ in d.dev], [y for _, y in d.dev]
    scores = {c: float(np.mean(pipeline(c).fit(x_tr, y_tr).predict(x_dev) == np.array(y_dev))) for c in grid}
    best = max(scores, key=lambda c: (scores[c], -c))
    model = pipeline(best).fit(x_tr + x_dev, y_tr + y_dev)
    x_te, y_te = [characters(t) for t, _ in d.test], np.array([y for _, y in d.test])
    majority = np.bincount(y_tr + y_dev, minlength=len(d.poets)).argmax()
    return {
        "accuracy": round(float(np.mean(model.predict(x_te) == y_te)), 4),
        "c": best,
        "dev_accuracy_by_c": {str(c): round(v, 4) for c, v in scores.items()},
        "majority_class_accuracy": round(float(np.mean(y_te == majority)), 4),
    }


class AuthorModel:
    """bert-tang (an ``probes.OwnModel``) with a head: [CLS] -> pooler -> one score per poet."""

    def __init__(self, lm, head, poets: tuple[str, ...], name: str = NAME):
        self.lm, self.head, self.poets, self.name = lm, head, tuple(poets), name

    def logits(self, ids):
        return self.head(self.lm.model.pooled(self.lm.model(ids)))

    def classify(self, text: str) -> dict:
        """-> {"probs": {poet: p}, "cut_tokens", "unknown_tokens", "read"}: the poem cut to the context."""
        import torch

        from viz_app.core.lm import probes

        p = probes.prepare(self.lm, text)
        with torch.no_grad():
            logits = self.logits(torch.tensor([p.ids], device=self.lm.device))
            probs = torch.softmax(logits.float(), -1)[0].cpu().numpy()
        body = p.ids[len(self.lm.start_ids) : len(p.ids) - len(self.lm.end_ids)]
        return {
            "probs": {poet: float(v) for poet, v in zip(self.poets, probs, strict=True)},
            "cut_tokens": p.cut,
            "unknown_tokens": sum(1 for i in body if i == self.lm.unk_id),
            "read": len(body),
        }

    def to(self, device: str) -> AuthorModel:
        self.lm.to(device)
        self.head.to(device)
        return self


def _trainable(model, recipe: str) -> list[str]:
    if recipe == "whole":
        skip = ("nsp.", "mlm_transform.", "out_bias", "sentiment.")
        return [n for n, _ in model.named_parameters() if not n.startswith(skip)]
    last = len(model.blocks) - 1
    return [n for n, _ in model.named_parameters() if n.startswith((f"blocks.{last}.", "pooler."))]


def _batches(lm, rows, batch: int, rng=None):
    import torch

    from viz_app.core.lm import probes

    order = rng.permutation(len(rows)) if rng is not None else np.arange(len(rows))
    for k in range(0, len(rows), batch):
        part = [rows[i] for i in order[k : k + batch]]
        ids = [probes.prepare(lm, t).ids for t, _ in part]
        width = max(len(r) for r in ids)
        x = torch.zeros(len(ids), width, dtype=torch.long)
        for i, r in enumerate(ids):
            x[i, : len(r)] = torch.tensor(r)
        yield x.to(lm.device), torch.tensor([y for _, y in part], device=lm.device)


def accuracy(model: AuthorModel, rows, batch: int = 64) -> float:
    import torch

    if not rows:
        return 0.0
    right = 0
    model.lm.model.eval()
    with torch.no_grad():
        for x, y in _batches(model.lm, rows, batch):
            right += int((model.logits(x).argmax(-1) == y).sum())
    return right / len(rows)


def finetune(base, out: Path, config: AuthorConfig, tsv=None, device: str = "cpu", command: str = "", limit: int = 0):
    """Generator: yields Progress, returns the card. ``base``: a loaded bert-tang (``probes.OwnModel``);
    ``limit`` > 0 keeps only that many training poems (tests). Writes NAME.safetensors (float16: the fine-tuned
    block, pooler and head) and NAME.card.json after every better epoch."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.lm import tang

    if config.recipe not in ("last", "whole") or min(config.epochs, config.batch, config.poets - 1) < 1:
        raise ValueError("--recipe is last or whole; --epochs and --batch positive; at least 2 --poets")
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    split = tang.load_split(tsv or tang.DEFAULT_TSV)
    d = author_data(split, config.poets, config.dev_percent)
    if limit:
        d = AuthorData(d.poets, d.train[:limit], d.dev[:100], d.test[:100])
    yield Progress(0.0, f"{len(d.train)} training poems, {len(d.dev)} dev, {len(d.test)} test; fitting the baseline")
    baseline = bag_of_characters(d)
    base.to(device)
    model = AuthorModel(base, torch.nn.Linear(base.model.config.d_model, len(d.poets)).to(device), d.poets)
    names = set(_trainable(base.model, config.recipe))
    for n, p in base.model.named_parameters():
        p.requires_grad_(n in names)
    params = [p for n, p in base.model.named_parameters() if n in names] + list(model.head.parameters())
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps = math.ceil(len(d.train) / config.batch)
    best, history, start = None, [], time.perf_counter()
    for epoch in range(config.epochs):
        base.model.train()
        for k, (x, y) in enumerate(_batches(base, d.train, config.batch, rng)):
            loss = loss_fn(model.logits(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if k % 20 == 0:
                yield Progress(
                    (epoch + k / steps) / config.epochs, f"epoch {epoch + 1}/{config.epochs}, loss {loss.item():.3f}"
                )
        dev = accuracy(model, d.dev)
        history.append({"epoch": epoch + 1, "dev_accuracy": round(dev, 4)})
        yield Progress((epoch + 1) / config.epochs, f"epoch {epoch + 1}: dev accuracy {dev:.3f} on {len(d.dev)} poems")
        if best is None or dev > best[0]:
            best = (dev, epoch + 1)
            state = {f"bert.{n}": v for n, v in base.model.state_dict().items() if n in names}
            state |= {f"head.{n}": v for n, v in model.head.state_dict().items()}
            save_file(
                {k: v.detach().cpu().half().contiguous() for k, v in state.items()}, str(out / f"{NAME}.safetensors")
            )
            test = accuracy(model, d.test)
            card = {
                "name": NAME,
                "base": BASE,
                "poets": list(d.poets),
                "config": asdict(config),
                "train_poems": len(d.train),
                "dev_poems": len(d.dev),
                "test_poems": len(d.test),
                "best_epoch": epoch + 1,
                "dev_accuracy": round(dev, 4),
                "test_accuracy_at_training": round(test, 4),
                "baseline_bag_of_characters": baseline,
                "history": history,
                "training_seconds": round(time.perf_counter() - start, 1),
                "device": device,
                "training_command": command,
                "tensors": sorted(state),
            }
            (out / f"{NAME}.card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", "utf-8")
    card = json.loads((out / f"{NAME}.card.json").read_text(encoding="utf-8"))
    card["history"] = history
    (out / f"{NAME}.card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return card


def load(registry, name: str = NAME) -> AuthorModel:
    """The bundled classifier: bert-tang (its own copy) with the fine-tuned tensors on top and the head."""
    import torch
    from safetensors.torch import load_file

    from viz_app.core.lm import probes
    from viz_app.core.quantize import dequantize

    card = registry.card(name)
    if card.kind != "bert-author":
        raise ValueError(f"model {name!r} is a {card.kind}, not a poet classifier")
    lm = probes.load(registry, card.extra["base"])
    state = dequantize(load_file(str(registry.verified_path(name, 0))))
    bert = {k[len("bert.") :]: v for k, v in state.items() if k.startswith("bert.")}
    missing, unexpected = lm.model.load_state_dict(bert, strict=False)
    if unexpected:
        raise ValueError(f"{name}: tensors that bert-tang does not have: {unexpected[:3]}")
    poets = tuple(card.extra["poets"])
    head = torch.nn.Linear(lm.model.config.d_model, len(poets))
    head.load_state_dict({k[len("head.") :]: v.float() for k, v in state.items() if k.startswith("head.")})
    lm.model.eval()
    head.eval()
    return AuthorModel(lm, head, poets, name)


def measure(store, name: str = NAME, tsv=None) -> dict:
    """The card's figures from the bundled files: accuracy on the test poems, per poet, beside the baseline."""
    from viz_app.core.lm import tang

    model = store.get(name, load)
    card = store.registry.card(name)
    config = card.extra["config"]
    d = author_data(tang.load_split(tsv or tang.DEFAULT_TSV), config["poets"], config["dev_percent"])
    if tuple(d.poets) != model.poets:
        raise ValueError(f"the poets changed: {d.poets} vs {model.poets}")
    preds = []
    for text, _ in d.test:
        probs = model.classify(text)["probs"]
        preds.append(model.poets.index(max(probs, key=probs.get)))
    y = np.array([label for _, label in d.test])
    preds = np.array(preds)
    per_poet = {p: {"poems": int(np.sum(y == k)), "accuracy": round(float(np.mean(preds[y == k] == k)), 4)}
                for k, p in enumerate(model.poets)}  # fmt: skip
    return {
        "test_accuracy": round(float(np.mean(preds == y)), 4),
        "test_poems": len(d.test),
        "per_poet": per_poet,
        "baseline_bag_of_characters": card.extra["baseline_bag_of_characters"],
        "validation": "the validation poems of tang.load_split (5% by poem hash, no line shared with a training "
        "poem) by these poets, never seen in training or model selection; the epoch and the baseline's C were "
        "chosen on a fixed 10% of their training poems",
    }


def bundle(trained: Path, folder: Path = Path("resources/models/lm")) -> dict:
    from viz_app.core.registry import ModelStore, Registry, register
    from viz_app.core.seq2seq.register import store_int8

    card = json.loads((trained / f"{NAME}.card.json").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    store_int8(trained / f"{NAME}.safetensors", folder / f"{NAME}.safetensors")
    cfg = card["config"]
    entry = {
        "name": NAME,
        "kind": "bert-author",
        "description": (
            f"bert-tang fine-tuned to name the poet of a Tang poem among the {cfg['poets']} most prolific poets of "
            f"the training poems ({'its last block, the pooler and' if cfg['recipe'] == 'last' else 'every weight and'}"
            " a new head on [CLS])."
        ),
        "base": BASE,
        "poets": card["poets"],
        "parameters": 0,
        "training_data": f"../shared/data/zh_tw_tang_poems/tang_regular_verse.tsv: {card['train_poems']:,} training "
        f"poems of these poets ({card['dev_poems']:,} more held out to choose the epoch)",
        "license": "MIT (chinese-poetry/chinese-poetry); the poems are in the public domain",
        "training_command": card["training_command"],
        "config": cfg,
        "baseline_bag_of_characters": card["baseline_bag_of_characters"],
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": card["device"],
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize); loads on top of bert-tang",
        "metrics": {},
    }
    register(folder.parent, entry, [folder / f"{NAME}.safetensors"])
    entry["metrics"] = measure(ModelStore(Registry(folder.parent)), NAME)
    return register(folder.parent, entry, [folder / f"{NAME}.safetensors"])


def add_arguments(p) -> None:
    p.add_argument("--out", required=True)
    p.add_argument("--bert", default=BASE, help="a bundled character BERT (default bert-tang)")
    p.add_argument("--poems", default=None, help="the Tang TSV (default: ../shared/data/zh_tw_tang_poems/...)")
    p.add_argument("--poets", type=int, default=POETS)
    p.add_argument("--epochs", type=int, default=AuthorConfig.epochs)
    p.add_argument("--batch", type=int, default=AuthorConfig.batch)
    p.add_argument("--lr", type=float, default=AuthorConfig.lr)
    p.add_argument("--recipe", default="last", choices=("last", "whole"))
    p.add_argument("--limit", type=int, default=0, help="train on only the first N poems (tests)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:2] == ["--bundle"]:
        print(json.dumps(bundle(Path(sys.argv[2]))["metrics"], ensure_ascii=False, indent=1))
