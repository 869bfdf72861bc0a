"""Bundle a trained encoder-decoder: ``python -m viz_app.core.seq2seq.register TRAINED_DIR NAME [BUNDLE_DIR]``.

Copies TRAINED_DIR/NAME.* (written by ``viz-app train-seq2seq``) into BUNDLE_DIR (default
resources/models/seq2seq) with the weights stored as int8, scores the bundled files on the
validation split (BLEU overall, by source length and with beam 5; for the chatbot perplexity, BLEU
and example replies) and records the card with those metrics in the manifest.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from viz_app.core.registry import register


def register_model(
    folder: Path, name: str, metrics: dict | None = None, extra: dict | None = None, stored_as: str = "float16"
) -> dict:
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    cfg = card["config"]
    chat = cfg.get("task") == "chat"
    couplet = cfg.get("task") == "couplet"
    if couplet:
        poems = card["pairs_file"]
        if "/shared/data/" in poems:  # the corpus where the project keeps it, not this machine's absolute path
            poems = "../shared/data/" + poems.split("/shared/data/", 1)[1]
        data_note = (
            f"{poems} (全唐詩 regular verse, chinese-poetry/chinese-poetry): {card['train_pairs']:,} "
            "couplets (line 1 -> line 2, line 3 -> line 4, ...) of the training poems of tang.load_split; "
            f"validation: the {card['validation_pairs']:,} couplets of its validation poems (5% by poem hash, no "
            "line shared with a training poem; never trained on)"
        )
        licence = "MIT (chinese-poetry/chinese-poetry); the poems are in the public domain"
    elif chat:
        data_note = (
            f"{card['pairs_file']} (DailyDialog, Li et al. 2017, a 2,624-dialogue subset): "
            f"{card['train_pairs']:,} (turn, reply) pairs; validation: {card['validation_pairs']:,} pairs from the "
            "dialogues that hash into a fixed 5% (whole dialogues, never trained on)"
        )
        licence = (
            "CC BY-NC-SA 4.0 (DailyDialog): non-commercial, share-alike; this model is shared under the same terms"
        )
    else:
        data_note = (
            f"{card['pairs_file']} (Tatoeba via manythings): {card['train_pairs']:,} training pairs; "
            f"validation: {card['validation_pairs']:,} pairs whose French sentence hashes into a fixed 5% (never "
            "trained on)"
        )
        licence = "CC-BY 2.0 FR (Tatoeba)"
    entry = {
        "name": name,
        "kind": "seq2seq",
        "description": (
            "GRU encoder-decoder with attention"
            if cfg["attention"]
            else "GRU encoder-decoder without attention (the decoder sees only the final context vector)"
        )
        + f", {cfg['dim']} units; "
        + (
            "a couplet writer (對對子): the first line of a Tang-poem couplet -> its second line, one token per "
            "character."
            if couplet
            else "a chatbot: an English utterance -> a reply."
            if chat
            else "French -> English."
        ),
        "task": cfg.get("task", "translate"),
        "parameters": card["parameters"],
        "training_data": data_note,
        "license": licence,
        "training_command": card["training_command"]  # the couplets' as run (bundled by ``couplet --bundle``)
        if couplet
        else re.sub(r"--out \S+", f"--out {folder.as_posix()}", card["training_command"]),
        "metrics": metrics or {},
        "config": cfg,
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": card["device"],
        "stored_as": stored_as,
        **(
            {
                "epochs_completed": card.get("epochs_completed"),
                "training_note": (
                    f"stopped after epoch {card.get('epochs_completed')} of {cfg['epochs']} by --max-minutes "
                    f"{cfg.get('max_minutes')}; the same command with --epochs {card.get('epochs_completed')} and "
                    f"without --max-minutes runs the same {card.get('epochs_completed')} epochs (same data, seed and "
                    "batch order; on the same software, the same weights)"
                    if cfg.get("max_minutes") and card.get("epochs_completed", cfg["epochs"]) < cfg["epochs"]
                    else ""
                ),
                "bundle_command": "python -m viz_app.core.seq2seq.couplet --bundle "
                + (re.search(r"--out (\S+)", card["training_command"]) or [None, "DIR"])[1],
            }
            if couplet
            else {}
        ),
        **(extra or {}),
    }
    return register(
        folder.parent,
        entry,
        [folder / f"{name}.safetensors", folder / f"{name}.source_vocab.txt", folder / f"{name}.target_vocab.txt"],
    )


def store_int8(source: Path, target: Path) -> None:
    """Re-save trained float16 weights as int8 with per-row scales (``viz_app.core.quantize``)."""
    from safetensors.torch import load_file, save_file

    from viz_app.core.quantize import quantize

    save_file(quantize(load_file(str(source))), str(target))


def evaluate_card(folder: Path, name: str, data_root: str = "../shared/data") -> dict:
    """The card's metrics, computed from the bundled (int8) files on the validation split."""
    import math

    import sacrebleu

    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq import data, probes
    from viz_app.core.seq2seq.train import target_tokens

    store = ModelStore(Registry(folder.parent))
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    if card["config"].get("task") == "couplet":
        from viz_app.core.seq2seq import couplet

        return couplet.evaluate(store, name)
    if card["config"].get("task", "translate") == "translate":
        _, valid = data.split(data.read_pairs(Path(data_root) / "eng_fra" / "fra.txt"))
        metrics = probes.evaluate(store, name, valid)
        if store.registry.card(name).kind == "transformer":  # it decodes greedily only
            metrics["validation"] = "greedy decoding, detokenised lowercase text, sacrebleu corpus BLEU"
        else:
            metrics["beam5_bleu"] = round(probes.evaluate(store, name, valid, beam_width=5)["bleu"], 2)
            metrics["validation"] = (
                "greedy decoding (beam5_bleu: beam search, width 5), detokenised lowercase text, sacrebleu corpus BLEU"
            )
        metrics["je suis étudiant ."] = probes.translate(store, name, "je suis étudiant .").output
        return metrics
    _, _, valid = data.load_task(Path(data_root) / "dailydialog" / "dialogues_subset.txt")
    hyps = [probes.translate(store, name, s).output for s, _ in valid]
    refs = [data.detokenize(target_tokens(r, "chat")) for _, r in valid]
    best = next(h for h in card["history"] if h["epoch"] == card["best_epoch"])
    prompts = ("how are you ?", "what would you like to eat ?", "i lost my wallet .", "do you like music ?")
    return {
        "validation_pairs": len(valid),
        "validation_loss": best["validation_loss"],
        "validation_perplexity_per_token": round(math.exp(best["validation_loss"]), 1),
        "bleu": round(sacrebleu.corpus_bleu(hyps, [refs]).score, 2),
        "distinct_replies": len(set(hyps)),
        "examples": {q: probes.translate(store, name, q).output for q in (*prompts, "thank you very much .")},
        "validation": "turns of the dialogues that hash into a fixed 5% (whole dialogues); greedy decoding. BLEU "
        "against the one real reply is low for any chatbot (many replies would do); perplexity is the fairer number.",
    }


def bundle(trained: Path, name: str, folder: Path, data_root: str = "../shared/data") -> dict:
    """Copy a trained model into ``folder`` (weights as int8), evaluate it there, and register it with its metrics."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    if trained.resolve() != folder.resolve():  # trained straight into the bundle folder: convert in place
        for suffix in (".source_vocab.txt", ".target_vocab.txt", ".card.json"):
            shutil.copy(trained / f"{name}{suffix}", folder / f"{name}{suffix}")
    store_int8(trained / f"{name}.safetensors", folder / f"{name}.safetensors")
    stored = "int8 with one float32 scale per row (viz_app.core.quantize)"
    register_model(folder, name, stored_as=stored)  # registered first, so that it can be loaded to be scored
    metrics = evaluate_card(folder, name, data_root)
    return register_model(folder, name, metrics, stored_as=stored)


if __name__ == "__main__":  # pragma: no cover
    # python -m viz_app.core.seq2seq.register TRAINED_DIR NAME [BUNDLE_DIR]
    entry = bundle(
        Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3] if len(sys.argv) > 3 else "resources/models/seq2seq")
    )
    print(json.dumps(entry["metrics"], ensure_ascii=False, indent=1))
