"""Issue 20: bad settings files, typed special tokens, NaN, undecodable bytes, rounding, cuts, bad model
cards, orphaned child processes and long typed texts. Each test makes the failure the issue describes."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from viz_app import cli
from viz_app.core import settings as settings_mod
from viz_app.core.registry import ModelStore, Registry


def strict_json(text: str):
    """json.loads that refuses NaN and infinity (what allow_nan=False would have written)."""

    def refuse(name):
        raise ValueError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store():
    return ModelStore(Registry())


@pytest.fixture(scope="module")
def gpt(store):
    from viz_app.core.lm import probes

    return store.get("gpt-tiny", probes.load)


@pytest.fixture(scope="module")
def bert(store):
    from viz_app.core.lm import probes

    return store.get("bert-tiny", probes.load)


# --- 1. any settings file whatever ------------------------------------------------------------------------

BROKEN_SETTINGS = {
    "binary": bytes(range(256)) * 4,
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "object nested deep": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "not an object": b"[1, 2, 3]",
    "empty": b"",
    "truncated": b'{"theme": "da',
    "NaN": b'{"font_scale": NaN}',
    "UTF-16": '{"theme": "dark"}'.encode("utf-16"),
}
BAD_VALUES = {
    "400-digit font_scale": {"font_scale": int("9" * 400)},
    "geometry not ASCII": {"geometry": "é"},
    "splitter not ASCII": {"splitter": "ü"},
    "geometry not base64": {"geometry": "!!!not base64!!!"},
    "font_scale a string": {"font_scale": "big"},
    "theme unknown": {"theme": "x" * 1000},
    "lesson a list": {"lesson": ["bow"]},
}


@pytest.mark.parametrize("name", sorted(BROKEN_SETTINGS))
def test_any_broken_settings_file_gives_defaults_a_notice_and_is_set_aside(tmp_path, name):
    path = tmp_path / "settings.json"
    path.write_bytes(BROKEN_SETTINGS[name])
    s = settings_mod.Settings(path)
    assert s.values == settings_mod.DEFAULTS
    assert "broken" in s.notice
    assert not path.exists() and (tmp_path / "settings.json.broken").read_bytes() == BROKEN_SETTINGS[name]
    s.save()  # the next start reads a good file
    assert settings_mod.Settings(path).notice == ""


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_a_bad_value_falls_back_to_its_default_with_a_notice(tmp_path, name):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", **BAD_VALUES[name]}), encoding="utf-8")
    s = settings_mod.Settings(path)
    key = next(iter(BAD_VALUES[name]))
    assert s.get(key) == settings_mod.DEFAULTS[key]
    assert s.get("theme") == "dark" or key == "theme"  # the good values are kept
    assert key in s.notice and (tmp_path / "settings.json.broken").exists()
    assert s.blob("geometry") == b"" and s.blob("splitter") == b""


@pytest.mark.parametrize("name", ["binary", "nested 100,000 deep"])
def test_the_window_opens_after_a_broken_settings_file(make_window, config_dir, name):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_bytes(BROKEN_SETTINGS[name])
    window = make_window(settings_mod.Settings())
    assert window.isVisible() and window.current_lesson_id == "bow"
    assert "broken" in window.settings.notice


@pytest.mark.parametrize("name", ["geometry not ASCII", "splitter not ASCII", "400-digit font_scale"])
def test_the_window_opens_after_a_bad_value(make_window, config_dir, name):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(json.dumps(BAD_VALUES[name]), encoding="utf-8")
    window = make_window(settings_mod.Settings())
    assert window.isVisible() and window.width() > 0


# --- 10. a long typed text is kept whole ----------------------------------------------------------------


def test_a_typed_text_over_100000_characters_is_saved_whole(make_window, config_dir):
    text = "once upon a time " * 8000  # 136,000 characters
    window = make_window(settings_mod.Settings())
    window.input.setPlainText(text)
    window.save_settings()
    assert settings_mod.Settings().get("text") == text


def test_text_that_cannot_be_written_as_utf8_is_saved(tmp_path):
    s = settings_mod.Settings(tmp_path / "settings.json")
    s.set("text", "caf\udcff")
    s.save()
    assert settings_mod.Settings(tmp_path / "settings.json").get("text") == "caf\ufffd"


# --- 2. special tokens typed by the user ----------------------------------------------------------------


def test_typed_special_tokens_are_text_for_the_gpt(gpt):
    ids = gpt.encode("[PAD] [CLS] [SEP] [UNK] [MASK]")
    assert not set(ids) & {0, 2, 3, 4}


def test_bert_reads_a_typed_mask_and_nothing_else_as_control(bert):
    ids = bert.encode("[PAD] the [MASK] ran [mask] <mask> [SEP]")
    assert ids.count(bert.mask_id) == 3 and 0 not in ids and 3 not in ids


def test_generation_after_300_typed_pads_gives_finite_probabilities(gpt):
    from viz_app.core.lm import probes

    steps = list(probes.generate(gpt, "[PAD] " * 300, 3, probes.Sampling(), seed=0))
    assert steps and all(0 < s.prob <= 1 and math.isfinite(s.model_prob) for s in steps)


def test_no_attention_row_is_empty_even_for_pad_ids(gpt):
    out = gpt.forward([0] * 10 + [50, 60])  # pad ids reaching the model directly
    assert all(np.isfinite(a).all() and np.allclose(a.sum(-1), 1) for a in out.attention)
    assert np.isfinite(out.logits).all()


def test_generate_cli_with_pads_and_the_default_model(capsys):
    code, out, err = run_cli(capsys, "generate", "[PAD] " * 300, "--max-new-tokens", "2", "--json")
    assert code == 0, err
    assert len(strict_json(out)["steps"]) >= 1


# --- 3. no NaN or infinity in any JSON ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("score", "--model", "lstm-tinystories", "--text", "", "--json"),
        ("score", "--model", "bigram-tinystories", "--text", " ", "--json"),
        ("score", "--model", "gpt-tiny", "--text", "", "--json"),
    ],
)
def test_empty_input_scores_null_with_a_note(capsys, argv):
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    data = strict_json(out)
    if data.get("tokens") == 0:
        assert data["perplexity_per_token"] is None and data["notes"]


def test_print_json_turns_non_finite_numbers_into_null(capsys):
    cli.print_json({"a": float("nan"), "b": [1.0, float("inf")], "c": np.float32(2.5)})
    data = strict_json(capsys.readouterr().out)
    assert data["a"] is None and data["b"] == [1.0, None] and data["c"] == 2.5 and "a" in data["notes"][0]


# --- 4. undecodable bytes in arguments ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("fill-mask", "\udcff[MASK]", "--json"),
        ("bow", "caf\udcff", "--json"),
        ("generate", "once \udcff", "--max-new-tokens", "1", "--json"),
        ("score", "--model", "gpt-tiny", "--text", "\udcff\udcfe", "--json"),
        ("attention", "a \udcff b", "--model", "bert-tiny", "--json"),
    ],
)
def test_undecodable_bytes_become_u_fffd_with_a_note(capsys, argv):
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    strict_json(out)
    out.encode("utf-8")  # writable under a strict encoding
    assert "U+FFFD" in err


# --- 5. small probabilities are not rounded to 0 --------------------------------------------------------


def test_score_keeps_unrounded_log_probabilities(capsys):
    code, out, _ = run_cli(capsys, "score", "--model", "gpt-tiny", "--text", "Project Gutenberg", "--json")
    data = strict_json(out)
    assert code == 0 and all(p > 0 for p in data["probs"])
    assert min(data["probs"]) < 1e-6  # small enough that 6 decimals would have made it 0
    assert np.isclose(-sum(data["log_probs"]), data["nll_nats"])
    assert np.allclose(np.exp(data["log_probs"]), data["probs"])


# --- 6. every cut reported, scoring in windows ----------------------------------------------------------


def test_a_line_longer_than_the_context_is_scored_in_windows_not_cut(gpt, tmp_path, capsys):
    from viz_app.core.lm import probes

    line = " ".join(["the little dog ran to the park and played with a red ball ."] * 60)
    result = probes.score(gpt, line)
    ids = gpt.start_ids + gpt.encode(line) + gpt.end_of_text_ids()[:1]
    assert len(ids) > 2 * gpt.max_len and result["windows"] > 1 and result["cut_tokens"] == 0
    assert len(result["log_probs"]) == len(ids) - 1  # every token scored exactly once
    # the same numbers as the training code's held-out scorer (the card's figures)
    from viz_app.core.lm.train import line_nll

    nll, count = line_nll(gpt.model, gpt.tok, [line])
    gpt.model.eval()  # line_nll leaves the model in training mode
    assert count == len(result["log_probs"]) and np.isclose(nll, result["nll_nats"], rtol=1e-5)
    # the file scorer divides by exactly the words scored
    (tmp_path / "one.txt").write_text(line + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "score", "--model", "gpt-tiny", "--file", str(tmp_path / "one.txt"), "--json")
    data = strict_json(out)
    assert code == 0 and data["words"] == len(line.split()) and data["cut_tokens"] == 0
    assert np.isclose(data["nll_nats"], result["nll_nats"])


def test_windows_give_the_whole_text_score_when_it_fits(gpt):
    from viz_app.core.lm import probes

    ids = gpt.start_ids + gpt.encode("once upon a time there was a cat .") + gpt.end_of_text_ids()[:1]
    whole, windows = probes.window_log_probs(gpt, ids)
    assert windows == 1
    logits = gpt.forward(ids[:-1]).logits.astype(np.float64)
    ref = [float(np.log(probes.softmax(logits[i])[t])) for i, t in enumerate(ids[1:])]
    assert np.allclose(whole, ref, atol=1e-9)


def test_translate_reports_its_cut(capsys):
    code, out, err = run_cli(capsys, "translate", "je suis étudiant . " * 20, "--json")
    assert code == 0 and strict_json(out)["cut_tokens"] > 0 and "cut" in err


# --- 7. model cards -----------------------------------------------------------------------------------


def _edit_manifest(resources, edit):
    path = resources / "models" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit({m["name"]: m for m in manifest["models"]})
    path.write_text(json.dumps(manifest), encoding="utf-8")


MALFORMED = {
    "files a string": lambda c: c["gpt-tiny"].__setitem__("files", "x"),
    "bytes not a number": lambda c: c["gpt-tiny"]["files"][0].__setitem__("bytes", "abc"),
    "path leaves the folder": lambda c: c["gpt-tiny"]["files"][0].__setitem__("path", "../../README.md"),
    "absolute path": lambda c: c["gpt-tiny"]["files"][0].__setitem__("path", "/etc/passwd"),
    "name not a string": lambda c: c["gpt-tiny"].__setitem__("name", 5),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_one_malformed_entry_never_hides_the_other_models(resources_copy, capsys, name):
    entries = len(json.loads((resources_copy / "models" / "manifest.json").read_text(encoding="utf-8"))["models"])
    _edit_manifest(resources_copy, MALFORMED[name])
    code, out, _ = run_cli(capsys, "models", "--json")
    statuses = {m["name"]: m["status"] for m in strict_json(out)["models"]}
    assert code == 1
    assert statuses["bert-tiny"] == "ok" and statuses["lstm-tinystories"] == "ok" and len(statuses) == entries
    assert "malformed" in statuses.values()
    code, out, err = run_cli(capsys, "fill-mask", "the [MASK] ran", "--json")
    assert code == 0, err  # the other models keep working


BAD_CONFIGS = {
    "layers four": lambda c: c["gpt-tiny"]["model_config"].__setitem__("layers", "four"),
    "heads 0": lambda c: c["gpt-tiny"]["model_config"].__setitem__("heads", 0),
    "d_model 128 against the weights": lambda c: c["gpt-tiny"]["model_config"].__setitem__("d_model", 128),
    "no model_config": lambda c: c["gpt-tiny"].pop("model_config"),
    "no tokenizer": lambda c: c["gpt-tiny"].__setitem__("files", c["gpt-tiny"]["files"][:1]),
    "layers 5 against 4 in the file": lambda c: c["gpt-tiny"]["model_config"].__setitem__("layers", 5),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_a_card_whose_config_does_not_fit_is_reported_and_named(resources_copy, capsys, name):
    _edit_manifest(resources_copy, BAD_CONFIGS[name])
    code, out, _ = run_cli(capsys, "models", "--json")
    models = {m["name"]: m for m in strict_json(out)["models"]}
    assert code == 1 and models["gpt-tiny"]["status"] == "corrupt" and models["bert-tiny"]["status"] == "ok"
    assert all("gpt-tiny" in p for p in models["gpt-tiny"]["problems"])
    for argv in (("generate", "once", "--max-new-tokens", "1"), ("score", "--model", "gpt-tiny", "--text", "a")):
        code, _, err = run_cli(capsys, *argv)
        assert code == 1 and "gpt-tiny" in err and err.count("\n") == 1


def test_a_sentiment_card_whose_base_is_broken_names_itself(resources_copy, capsys):
    _edit_manifest(resources_copy, lambda c: c["bert-tiny"]["model_config"].__setitem__("max_len", 256))
    code, _, err = run_cli(capsys, "classify", "good film", "--model", "bert-sentiment")
    assert code == 1 and "bert-sentiment" in err and "bert-tiny" in err


def test_a_readable_but_wrong_weights_file_is_named(resources_copy, capsys):
    from viz_app.core.registry import sha256_of

    weights = resources_copy / "models" / "lm" / "gpt-tiny.safetensors"
    weights.write_bytes(b"\x00" * 64)

    def fix(c):
        c["gpt-tiny"]["files"][0].update(bytes=64, sha256=sha256_of(weights))

    _edit_manifest(resources_copy, fix)
    code, _, err = run_cli(capsys, "generate", "once", "--max-new-tokens", "1")
    assert code == 1 and "gpt-tiny" in err


def test_unknown_model_is_bad_input_and_missing_file_a_failure(resources_copy, capsys):
    assert run_cli(capsys, "score", "--model", "nope", "--text", "a")[0] == 2
    (resources_copy / "models" / "lm" / "gpt-tiny.safetensors").unlink()
    for argv in (
        ("generate", "once"),
        ("score", "--model", "gpt-tiny", "--text", "a"),
        ("attention", "a b", "--model", "gpt-tiny"),
    ):
        code, _, err = run_cli(capsys, *argv)
        assert code == 1 and "gpt-tiny" in err


def test_self_test_builds_every_model_and_reports_a_malformed_one(resources_copy):
    from viz_app.core.self_test import run_self_test

    _edit_manifest(resources_copy, lambda c: c["chatbot"].__setitem__("files", "x"))
    report = run_self_test()
    checks = {c["name"]: c for c in report["checks"]}
    assert "loaded as OwnModel" in checks["model bert-sentiment"]["detail"]
    assert not checks["model chatbot"]["ok"] and "chatbot" in checks["model chatbot"]["detail"]
    assert checks["model gpt-tiny"]["ok"] and not report["ok"]


# --- 9. the t-SNE child ends when the app dies ------------------------------------------------------------

ORPHAN_SCRIPT = """
import numpy as np
from viz_app.core.embeddings import projection
if __name__ == "__main__":
    x = np.random.default_rng(0).normal(size=(20000, 50)).astype(np.float32)
    def report(fraction, message=""):
        print(message, flush=True)
    projection.in_subprocess("tsne", x, report=report)
"""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    pairs = list(zip(out[::2], out[1::2], strict=True))
    return [int(p) for p, pp in pairs if int(pp) == pid]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return bool(state.strip()) and not state.startswith("Z")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and ps")
def test_the_tsne_child_and_the_resource_tracker_end_when_the_parent_is_killed(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while time.monotonic() < deadline:
            children = _children(parent.pid)
            if len(children) >= 2:  # the resource tracker and the t-SNE child
                break
            time.sleep(0.2)
        assert len(children) >= 2, children
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(c) for c in children):
        time.sleep(0.2)
    assert not [c for c in children if _alive(c)]


def test_every_command_family_exits_1_naming_a_missing_model(resources_copy, capsys):
    models = resources_copy / "models"
    for rel in (
        "seq2seq/seq2seq-attention.safetensors",
        "transformer/transformer.safetensors",
        "embeddings/embedding-skipgram.safetensors",
        "lstm/lstm.safetensors",
        "rnn_toy.safetensors",
        "embeddings/cooccurrence-counts.safetensors",
        "lm/bert-tiny.safetensors",
    ):
        (models / rel).unlink()
    for argv, model in (
        (("translate", "je"), "seq2seq-attention"),
        (("qkv", "je"), "transformer"),
        (("neighbors", "king", "--model", "embedding-skipgram"), "embedding-skipgram"),
        (("lstm-gates", "once"), "lstm-tinystories"),
        (("rnn-toy", "1,1"), "rnn-toy"),
        (("cooccur-ratio", "ice", "steam", "water"), "cooccurrence-counts"),
        (("fill-mask", "a [MASK]"), "bert-tiny"),
    ):
        code, _, err = run_cli(capsys, *argv)
        assert code == 1 and f"'{model}'" in err and err.count("\n") == 1, (argv, err)
