"""Each model card's config against its weights, read from the safetensors headers without loading them: a
card whose config does not fit its files, or whose tokenizer or base model is missing, is named before any
lesson tries to load it (``Registry.config_problems``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from viz_app.core.registry import describe_exception

if TYPE_CHECKING:
    from viz_app.core.registry import ModelCard, Registry


def safetensors_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """{tensor name: shape} from a safetensors file's header (8 bytes of length, then JSON), without reading
    the tensors; int8-stored tensors ("x.int8" + "x.scale") are reported as "x"."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise ValueError("shorter than a safetensors header")
        n = int.from_bytes(head, "little")
        if n > min(path.stat().st_size - 8, 100 << 20):
            raise ValueError("its header length does not fit the file")
        header = json.loads(fh.read(n).decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("its header is not a JSON object")
    shapes = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        if key.endswith(".scale"):
            continue
        shapes[key.removesuffix(".int8")] = tuple(int(v) for v in info["shape"])
    return shapes


def _whole(config: dict, key: str, low: int = 1) -> int:
    value = config.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"model_config {key} is {value!r}, not a whole number of at least {low}")
    return value


def lm_expected_shapes(config: dict) -> dict[str, tuple[int, ...]]:
    """The tensors (and shapes) of ``viz_app.core.lm.model.TinyLM`` for a card's model_config."""
    if not isinstance(config, dict):
        raise ValueError("model_config is missing or not a JSON object")
    v, d, heads = _whole(config, "vocab", 6), _whole(config, "d_model"), _whole(config, "heads")
    layers, d_ff, max_len = _whole(config, "layers"), _whole(config, "d_ff"), _whole(config, "max_len", 2)
    if d % heads:
        raise ValueError(f"model_config d_model {d} is not a multiple of heads {heads}")
    if not isinstance(config.get("causal"), bool):
        raise ValueError("model_config causal must be true or false")
    dropout = config.get("dropout", 0.1)
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"model_config dropout {dropout!r} is not in [0, 1)")
    shapes = {
        "tokens.weight": (v, d),
        "positions.weight": (max_len, d),
        "embed_norm.weight": (d,),
        "embed_norm.bias": (d,),
        "out_bias": (v,),
    }
    for i in range(layers):
        b = f"blocks.{i}."
        for w in ("w_q", "w_k", "w_v", "w_o"):
            shapes[f"{b}self_attn.{w}.weight"], shapes[f"{b}self_attn.{w}.bias"] = (d, d), (d,)
        for n in ("norm1", "norm2"):
            shapes[f"{b}{n}.weight"], shapes[f"{b}{n}.bias"] = (d,), (d,)
        shapes[f"{b}ff.net.0.weight"], shapes[f"{b}ff.net.0.bias"] = (d_ff, d), (d_ff,)
        shapes[f"{b}ff.net.3.weight"], shapes[f"{b}ff.net.3.bias"] = (d, d_ff), (d,)
    if not config["causal"]:
        shapes.update(
            {
                "segments.weight": (2, d),
                "mlm_transform.0.weight": (d, d),
                "mlm_transform.0.bias": (d,),
                "mlm_transform.2.weight": (d,),
                "mlm_transform.2.bias": (d,),
                "pooler.0.weight": (d, d),
                "pooler.0.bias": (d,),
                "nsp.weight": (2, d),
                "nsp.bias": (2,),
                "sentiment.weight": (2, d),
                "sentiment.bias": (2,),
            }
        )
    return shapes


def _fit(expected: dict, found: dict, optional=()) -> list[str]:
    problems = []
    unexpected = sorted(set(found) - set(expected))
    missing = sorted(k for k in set(expected) - set(found) if not k.startswith(tuple(optional)))
    wrong = sorted(k for k in set(expected) & set(found) if expected[k] != found[k])
    if wrong:
        k = wrong[0]
        problems.append(
            f"the card's config does not fit its weights ({k}: {found[k]} in the file, {expected[k]} by the config)"
        )
    if missing:
        problems.append(
            f"its weights lack {missing[0]}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
        )
    if unexpected:
        problems.append(f"its weights hold {unexpected[0]}, which the config has no place for")
    return problems


def _lm_problems(registry: Registry, card: ModelCard) -> list[str]:
    if card.kind == "bert-sentiment":
        base_name = card.extra.get("base")
        if not isinstance(base_name, str) or base_name not in registry.cards():
            return [f"its base model {base_name!r} is not in the manifest"]
        base = registry.card(base_name)
        if base.kind != "bert":
            return [f"its base model {base_name!r} is a {base.kind}, not a BERT"]
        base_problems = _lm_problems(registry, base)
        if base_problems:
            return [f"its base model {base_name!r}: {p}" for p in base_problems]
        if not card.files:
            return ["the card names no weights file"]
        expected = lm_expected_shapes(base.extra.get("model_config"))
        found = safetensors_shapes(registry.file_path(card, card.files[0]))
        return _fit(expected, {**expected, **found})  # it replaces some of the base model's tensors
    config = card.extra.get("model_config")
    expected = lm_expected_shapes(config)
    if (card.kind == "gpt") != config["causal"]:
        return [f"a {card.kind} card with causal {config['causal']}"]
    if len(card.files) < 2 or not card.files[1].path.endswith(".json"):
        return ["the card names no tokenizer file (weights first, then tokenizer.json)"]
    return _fit(expected, safetensors_shapes(registry.file_path(card, card.files[0])), optional=("sentiment.",))


_CONFIG_CHECKS = {"bert": _lm_problems, "gpt": _lm_problems, "bert-sentiment": _lm_problems}


def config_problems(registry: Registry, card: ModelCard) -> list[str]:
    problems = []
    for f in card.files:  # every weights file's header must be readable
        if f.path.endswith(".safetensors"):
            try:
                safetensors_shapes(registry.file_path(card, f))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                problems.append(f"file {f.path} is not a readable safetensors file ({describe_exception(exc)})")
    if problems:
        return problems
    check = _CONFIG_CHECKS.get(card.kind)
    return check(registry, card) if check else []
