"""Property-based fuzzing (hypothesis) of every probe the lessons and the command line call.

For every generated input each probe either returns a result whose invariants hold (every number finite,
probabilities in [0, 1], attention rows summing to 1, LSTM gates in their ranges, JSON that a strict
parser accepts) or refuses with a readable ValueError-type message. Inputs: any Unicode text (emoji, CJK,
right-to-left, control characters, NUL), literal [MASK]/[CLS]/[PAD]/<unk>/<end>, HTML, numbers, and
texts of 10,000+ characters.

The default run is seeded (derandomize) and small; ``pytest -m slow tests/test_fuzz.py`` runs the large
one (FUZZ_EXAMPLES examples per probe; set VIZ_APP_FUZZ_REPORT=path to write the counts per probe).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viz_app.core.registry import ModelStore, Registry

QUICK = settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
FUZZ_EXAMPLES = int(os.environ.get("VIZ_APP_FUZZ_EXAMPLES", "400"))
LARGE = settings(QUICK, max_examples=FUZZ_EXAMPLES)

WORDS = [
    "[MASK]", "[mask]", "<mask>", "[CLS]", "[PAD]", "[SEP]", "[UNK]", "<unk>", "<end>", "<start>", "<pad>",
    "<b>bold</b>", "<script>x</script>", "&amp;", "&lt;end&gt;", "1e999", "NaN", "inf", "-0", "10**30",
    "9" * 60, "😀", "👩‍👩‍👧", "日本語", "猫", "مرحبا", "שלום", "\u202e", "\u200b", "\x00", "\x1b[31m", "\t", "\n",
    "once", "upon", "a", "time", "the", "dog", "ran", "king", "queen", "je", "suis", "étudiant", "nous",
    "cinéma", "how", "are", "you", ".", "?", "!", ",", "'", '"', "--", "...", "1,1;2,2", "1;2", "x,y",
]  # fmt: skip
short_texts = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)
# 10,000 characters and more: one word or a mix repeated (up to 3,000 times)
long_texts = st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), st.integers(10_000, 15_000)).map(
    lambda wn: ((" ".join(wn[0]) + " ") * (wn[1] // (len(" ".join(wn[0])) + 1) + 1))[: max(wn[1], 10_000)]
)
texts = st.one_of(short_texts, short_texts, short_texts, long_texts)  # one input in about six is long
LONG_TEXT = ("once upon a time there was a little [PAD] girl [MASK] called daisy 😀 日本 <end> " * 130)[:10_200]
words = st.one_of(st.sampled_from(WORDS), st.text(max_size=12, alphabet=st.characters(blacklist_categories=("Cs",))))

COUNTS: Counter = Counter()
REFUSED: Counter = Counter()


def _refuse_constant(name):
    raise ValueError(f"{name} in JSON")


def check_json(obj) -> None:
    """``obj`` dumps with allow_nan=False and a strict parser reads it back."""
    json.loads(json.dumps(obj, allow_nan=False, ensure_ascii=False), parse_constant=_refuse_constant)


def _is_prob_key(key: str) -> bool:
    k = key.lower()
    return ("prob" in k and "log" not in k) or k in ("p", "weights", "sampling_prob", "model_prob")


def check_numbers(obj, path: str = "result", seen=None) -> None:
    """Walk a result (dataclasses, dicts, lists, numpy arrays): every float finite; probabilities in [0, 1];
    attention rows sum to 1; LSTM gates in their ranges."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if isinstance(obj, (bool, int, str)) or obj is None:
        return
    if isinstance(obj, (float, np.floating)):
        assert math.isfinite(obj), f"{path} = {obj}"
        if _is_prob_key(key):
            assert -1e-9 <= obj <= 1 + 1e-9, f"{path} = {obj} is not a probability"
        return
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            assert np.isfinite(obj).all(), f"{path} holds NaN or infinity"
            low = key.lower()
            if obj.size and obj.ndim >= 2 and ("attention" in low or low in ("weights", "cross")):
                assert obj.min() >= -1e-6 and obj.max() <= 1 + 1e-6, f"{path} outside [0, 1]"
                sums = obj.sum(-1)
                assert np.allclose(sums, 1, atol=1e-3), f"{path}: rows sum to {sums.min()}..{sums.max()}"
        return
    seen.add(id(obj))
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            check_numbers(getattr(obj, f.name), f"{path}.{f.name}", seen)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_numbers(v, f"{path}.{k}", seen)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            check_numbers(v, f"{path}[{i}]", seen)


def check_gates(gates: dict) -> None:
    for name in ("i", "f", "o"):
        assert ((gates[name] >= 0) & (gates[name] <= 1)).all(), f"gate {name} outside [0, 1]"
    for name in ("g", "h"):
        assert (np.abs(gates[name]) <= 1 + 1e-6).all(), f"{name} outside [-1, 1]"


def run_probe(name: str, fn):
    """fn() -> result; a ValueError or LookupError (an unknown word: the readable refusals the app shows as
    they are, see ``viz_app.core.jobs.error_message``) is accepted when it says something."""
    COUNTS[name] += 1
    try:
        result = fn()
    except (ValueError, LookupError) as exc:
        assert not isinstance(exc, UnicodeError), f"{name}: {exc!r}"  # a Unicode failure is a defect
        assert str(exc).strip(), f"{name}: an empty refusal"
        REFUSED[name] += 1
        return None
    check_numbers(result, name)
    if hasattr(result, "to_json"):
        check_json(result.to_json())
    elif isinstance(result, (dict, list)):
        check_json(result)
    return result


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One torch thread: on a busy machine two threads per forward pass cost several times the time."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def store():
    return ModelStore(Registry())


@pytest.fixture(scope="module")
def lms(store):
    from viz_app.core.lm import probes

    return {n: store.get(n, probes.load) for n in ("bert-tiny", "gpt-tiny", "bert-sentiment")}


@pytest.fixture(autouse=True)
def report_counts():
    """With VIZ_APP_FUZZ_REPORT=path, the inputs tried (and refused) per probe so far, after every test."""
    yield
    path = os.environ.get("VIZ_APP_FUZZ_REPORT")
    if path:
        Path(path).write_text(
            json.dumps({"inputs": dict(COUNTS), "refused": dict(REFUSED), "total": sum(COUNTS.values())}, indent=1),
            encoding="utf-8",
        )


# --- the probes ------------------------------------------------------------------------------------------


def probes_for(store, lms) -> dict:
    from viz_app.core import explain
    from viz_app.core.ablation import scan
    from viz_app.core.documents import bag_of_words
    from viz_app.core.embeddings import ratio
    from viz_app.core.jobs import JobContext, Request, finish
    from viz_app.core.lessons import seq2seq as s2s
    from viz_app.core.lessons import word_embedding as embedding_lesson
    from viz_app.core.lm import branches, kv_trace
    from viz_app.core.lm import probes as lm
    from viz_app.core.lstm import probes as lstm
    from viz_app.core.rnn import toy as toy_rnn
    from viz_app.core.seq2seq import probes as s2s_probes
    from viz_app.core.transformer import probes as tr

    bert, gpt, sentiment = lms["bert-tiny"], lms["gpt-tiny"], lms["bert-sentiment"]
    ctx = JobContext(request=Request("fuzz", None, ()), device="cpu", models=store)

    emb = embedding_lesson.MODELS[0]

    def gates(t):
        result = lstm.lstm_gates(store, lstm.LSTM_NAME, t)
        check_gates(result.gates)
        return result

    def lstm_generate(t):
        gen = lstm.generate(store, lstm.LSTM_NAME, t, 3, 0.8, 0)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    def split3(t):
        parts = (t.split() + ["king", "man", "woman"])[:3]
        return parts

    return {
        "bow": lambda t: bag_of_words.analyze(bag_of_words.split_documents(t) or [t], "cosine"),
        "bow-euclidean": lambda t: bag_of_words.analyze([t, t[::-1]], "euclidean"),
        "rnn-toy": lambda t: toy_rnn.run(toy_rnn.parse_vectors(t), bidirectional=True),
        "word-embedding": lambda t: embedding_lesson.lesson_probe(store, emb, t),
        "neighbors": lambda t: embedding_lesson.neighbors_probe(store, emb, t.strip()[:40] or "king"),
        "analogy": lambda t: embedding_lesson.analogy_probe(store, emb, *split3(t)),
        "cooccur-ratio": lambda t: ratio.ratio_table(ratio.bundled_table(store), *split3(t)[:2], t.split()[:5]),
        "lstm-gates": gates,
        "lstm-score": lambda t: lstm.score(store, lstm.LSTM_NAME, t, alternatives=3),
        "bigram-score": lambda t: lstm.score(store, lstm.BIGRAM_NAME, t, alternatives=3),
        "lstm-next-words": lambda t: lstm.next_words(store, lstm.LSTM_NAME, t),
        "lstm-generate": lstm_generate,
        "seq2seq-steps": lambda t: s2s.decode_steps(store, s2s.ATTENTION_MODEL, t),
        "seq2seq-beam": lambda t: s2s.beam_tree(store, s2s.ATTENTION_MODEL, t, 3),
        "chatbot": lambda t: s2s_probes.translate(store, s2s.CHAT_MODEL, t),
        "transformer-translate": lambda t: tr.translate(store, "transformer", t),
        "transformer-qkv": lambda t: tr.head_numbers(store, "transformer", t, 0, 0),
        "fill-mask": lambda t: lm.fill_mask(bert, t, 5),
        "next-token": lambda t: lm.next_token(gpt, t, lm.Sampling(0.7, 40, 0.9)),
        "gpt-generate": lambda t: [dataclasses.asdict(s) for s in lm.generate(gpt, t, 3, lm.Sampling(1.0, 0, 0.95), 0)],
        "bert-attention": lambda t: lm.attention(bert, t),
        "gpt-attention": lambda t: lm.attention(gpt, t),
        "logit-lens": lambda t: lm.logit_lens(gpt, t),
        "contextual-vectors": lambda t: lm.contextual_vectors(bert, [t, t + " fly"], "fly", 2),
        "classify": lambda t: lm.classify(sentiment, t),
        "gpt-score": lambda t: lm.score(gpt, t),
        "bert-encoder-numbers": lambda t: lm.encoder_numbers(bert, t, 1, 2),
        "explain-gpt": lambda t: explain.explain_job(ctx, "gpt-tiny", t, "integrated-gradients", steps=8),
        "explain-bert": lambda t: explain.explain_job(ctx, "bert-tiny", t + " [MASK]", "grad-x-input"),
        "explain-transformer": lambda t: explain.explain_job(ctx, "transformer", t, "rollout"),
        "branch-typed": lambda t: branches.typed_job(ctx, "gpt-tiny", t),
        "branch-fork": lambda t: finish(branches.branch_job(ctx, "gpt-tiny", t, tuple(gpt.encode(t)[:2]), 2, "beam")),
        "heads-off": lambda t: scan.ablated_prediction_job(ctx, "gpt-tiny", t, ((0, 1), (3, 7)), "mean"),
        "kv-cache": lambda t: finish(kv_trace.kv_cache_job(ctx, "gpt-tiny", t, 3, lm.Sampling(), 0, timing=False)),
    }


PROBES = [
    "bow", "bow-euclidean", "rnn-toy", "word-embedding", "neighbors", "analogy", "cooccur-ratio", "lstm-gates",
    "lstm-score", "bigram-score", "lstm-next-words", "lstm-generate", "seq2seq-steps", "seq2seq-beam", "chatbot",
    "transformer-translate", "transformer-qkv", "fill-mask", "next-token", "gpt-generate", "bert-attention",
    "gpt-attention", "logit-lens", "contextual-vectors", "classify", "gpt-score", "bert-encoder-numbers",
    "explain-gpt", "explain-bert", "explain-transformer", "branch-typed", "branch-fork", "heads-off", "kv-cache",
]  # fmt: skip


def test_every_probe_is_fuzzed(store, lms):
    assert sorted(probes_for(store, lms)) == sorted(PROBES)


# The toy RNN reads vectors ("1,1;2,2"): numbers of every kind (NaN, infinity, 10**30, -0.0) in rows of
# 1 to 3, as well as any text.
vector_texts = st.lists(
    st.lists(st.one_of(st.floats(), st.integers(-(10**30), 10**30)), min_size=1, max_size=3), max_size=12
).map(lambda rows: ";".join(",".join(str(v) for v in row) for row in rows))
STRATEGIES = {"rnn-toy": vector_texts}


def _fuzz(store, lms, name, data, strategy):
    fn = probes_for(store, lms)[name]
    text = data.draw(st.one_of(STRATEGIES[name], strategy) if name in STRATEGIES else strategy, label="text")
    run_probe(name, lambda: fn(text))


@pytest.mark.parametrize("name", PROBES)
@QUICK
@given(data=st.data())
def test_probe_holds_its_invariants(store, lms, name, data):
    _fuzz(store, lms, name, data, short_texts)


@pytest.mark.parametrize("name", PROBES)
def test_probe_holds_its_invariants_on_a_long_text(store, lms, name):
    run_probe(name, lambda: probes_for(store, lms)[name](LONG_TEXT))


@pytest.mark.slow
@pytest.mark.parametrize("name", PROBES)
@LARGE
@given(data=st.data())
def test_probe_holds_its_invariants_large(store, lms, name, data):
    _fuzz(store, lms, name, data, texts)


# --- the command line --------------------------------------------------------------------------------------

cli_texts = st.one_of(
    short_texts,
    st.text(max_size=30),  # lone surrogates too: what Python makes of undecodable bytes in argv
)
COMMANDS = [
    lambda t: ["bow", t or "x", "--json"],
    lambda t: ["rnn-toy", t or "1,1", "--json"],
    lambda t: ["fill-mask", t, "--json"],
    lambda t: ["classify", t, "--json"],
    lambda t: ["generate", t, "--max-new-tokens", "2", "--json"],
    lambda t: ["generate", t, "--model", "lstm-tinystories", "--max-new-tokens", "2", "--json"],
    lambda t: ["score", "--model", "gpt-tiny", "--text", t, "--json"],
    lambda t: ["score", "--model", "lstm-tinystories", "--text", t, "--json"],
    lambda t: ["score", "--model", "bigram-tinystories", "--text", t, "--json"],
    lambda t: ["lstm-gates", t, "--json"],
    lambda t: ["translate", t, "--json"],
    lambda t: ["attention", t, "--model", "gpt-tiny", "--json"],
    lambda t: ["qkv", t, "--json"],
    lambda t: ["neighbors", t.strip() or "x", "--model", "embedding-skipgram", "--json"],
    lambda t: ["embed", t.strip() or "x", "--model", "embedding-cbow", "--json"],
    lambda t: ["cooccur-ratio", "ice", "steam", t.strip() or "x", "--json"],
    lambda t: ["explain", t, "--model", "bert-tiny", "--method", "integrated-gradients", "--steps", "8", "--json"],
    lambda t: ["explain", t, "--model", "gpt-tiny", "--method", "rollout", "--json"],
]


def _fuzz_cli(capsys, data):
    from viz_app import cli

    make = data.draw(st.sampled_from(COMMANDS), label="command")
    argv = make(data.draw(cli_texts, label="text"))
    COUNTS[f"cli {argv[0]}"] += 1
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 2), f"{argv[:1]} exited {code}: {err}"
    if code == 0:
        json.loads(out, parse_constant=_refuse_constant)
        out.encode("utf-8")
    else:
        assert err.startswith("viz-app: error: ") and err.count("\n") == 1, err
        REFUSED[f"cli {argv[0]}"] += 1


@settings(QUICK, max_examples=12)
@given(data=st.data())
def test_command_line_gives_json_or_a_one_line_refusal(capsys, data):
    _fuzz_cli(capsys, data)


@pytest.mark.slow
@settings(QUICK, max_examples=FUZZ_EXAMPLES * 4)
@given(data=st.data())
def test_command_line_gives_json_or_a_one_line_refusal_large(capsys, data):
    _fuzz_cli(capsys, data)


# --- the settings file ---------------------------------------------------------------------------------------


@settings(QUICK, max_examples=60)
@given(raw=st.one_of(st.binary(max_size=300), st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(
        st.sampled_from(["font_scale", "theme", "geometry", "splitter", "text", "lesson", "language", "x"]),
        children, max_size=6)),
    max_leaves=20,
).map(lambda v: json.dumps(v, allow_nan=True).encode())))  # fmt: skip
def test_any_settings_file_gives_usable_settings(tmp_path_factory, raw):
    from viz_app.core import settings as settings_mod

    COUNTS["settings file"] += 1
    path = tmp_path_factory.mktemp("settings") / "settings.json"
    path.write_bytes(raw)
    s = settings_mod.Settings(path)
    for key, default in settings_mod.DEFAULTS.items():
        assert type(s.get(key)) is type(default), key
    assert settings_mod.FONT_SCALE_MIN <= s.get("font_scale") <= settings_mod.FONT_SCALE_MAX
    assert s.get("theme") in ("light", "dark")
    assert isinstance(s.blob("geometry"), bytes)
    s.save()
    assert settings_mod.Settings(path).notice == ""
