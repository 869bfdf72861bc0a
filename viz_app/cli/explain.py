"""``viz-app explain``: why this prediction? Each input token's share of a model's prediction, by gradient x
input, integrated gradients, the last layer's attention or attention rollout (``viz_app.core.explain``)."""

from __future__ import annotations

from viz_app.cli._common import EXIT_OK, UsageError, print_json

METHODS = ("grad-x-input", "integrated-gradients", "attention", "rollout")  # as viz_app.core.explain.METHODS
KINDS = ("gpt", "bert", "bert-sentiment", "transformer")


def add_parsers(sub) -> None:
    p = sub.add_parser("explain", help="why this prediction? how much each input token counted for it")
    p.add_argument("text")
    p.add_argument(
        "--model",
        default="gpt-tiny",
        help="gpt-tiny (the next word), bert-tiny (the word at a [MASK]), bert-sentiment (the label), "
        "transformer (a word of its translation), gpt-tang, bert-tang",
    )
    p.add_argument("--method", default="integrated-gradients", choices=METHODS)
    p.add_argument("--target", default=None, help="the token (or output word) to explain, default the top guess")
    p.add_argument("--mask-index", type=int, default=None, help="BERT: which [MASK], from 0 (default the first)")
    p.add_argument("--label", default=None, help="bert-sentiment: negative or positive (default the predicted one)")
    p.add_argument("--position", type=int, default=None, help="transformer: which output word, from 0")
    p.add_argument("--steps", type=int, default=None, help="integrated gradients' path points (default: enough)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))
    p.add_argument("--json", action="store_true")


def _kind(name: str) -> str:
    from viz_app.core.registry import Registry, RegistryError

    try:
        cards = Registry().cards()
    except RegistryError:
        cards = {}
    card = cards.get(name)
    if card is None or card.kind not in KINDS:
        known = ", ".join(n for n, c in cards.items() if c.kind in KINDS)
        raise UsageError(f"{name} is not a model explain can read (bundled: {known})")
    return card.kind


def _check(args, kind: str) -> None:
    if args.steps is not None and args.method != "integrated-gradients":
        raise UsageError("--steps is for --method integrated-gradients")
    if args.steps is not None and not 1 <= args.steps <= 4096:
        raise UsageError("--steps must be between 1 and 4096")
    if args.mask_index is not None and kind != "bert":
        raise UsageError("--mask-index picks a [MASK]: it needs a BERT model (bert-tiny, bert-tang)")
    if args.label is not None and kind != "bert-sentiment":
        raise UsageError("--label needs a sentiment classifier (bert-sentiment)")
    if args.target is not None and kind == "bert-sentiment":
        raise UsageError("a sentiment classifier explains a label: give --label negative or positive")
    if args.position is not None and kind != "transformer":
        raise UsageError("--position picks a word of a translation: it needs the transformer model")
    if args.device != "cpu":
        from viz_app.core.devices import available_devices

        if args.device not in available_devices():
            raise UsageError(f"no {args.device} device on this machine (use --device cpu)")


def cmd_explain(args) -> int:
    from viz_app.core import claims
    from viz_app.core.explain import explain_job
    from viz_app.core.registry import ModelFileError, ModelLoadError, RegistryError

    kind = _kind(args.model)
    _check(args, kind)
    ctx = claims.context()
    ctx.device = args.device
    try:
        result = explain_job(
            ctx, args.model, args.text, args.method, args.target, args.mask_index, args.label, args.position or 0,
            args.steps,
        )  # fmt: skip
    except (ModelFileError, ModelLoadError, RegistryError):
        raise
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    line = f"{result.method} for “{result.target}” (log-probability {result.target_score:.3f})"
    if result.completeness_error is not None:
        line += f", {result.steps} steps, completeness error {100 * result.completeness_error:.2f}%"
    print(line)
    if result.context:
        print(f"output word {result.position + 1} (position {result.position}), after: {' '.join(result.context)}")
    width = max((len(t) for t in result.tokens), default=0)
    for token, value in zip(result.tokens, result.attributions, strict=True):
        print(f"{token.ljust(width)}  {value:+.4f}")
    return EXIT_OK


COMMANDS = {"explain": cmd_explain}
