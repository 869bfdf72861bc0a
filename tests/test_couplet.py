"""The couplet writer (對對子): character tokens, a tiny training run that resumes, the bundled model, the lesson's
automatic choice of it for Chinese input, and the command line."""

from __future__ import annotations

import argparse
import json

import pytest

from viz_app.core.lessons import seq2seq as lesson
from viz_app.core.lm import tang
from viz_app.core.seq2seq import couplet, data

needs_poems = pytest.mark.skipif(not tang.DEFAULT_TSV.is_file(), reason="the Tang corpus is not here")


def test_characters_punctuation_and_joining():
    assert data.char_tokens("白日 依山盡,") == list("白日依山盡，")
    assert data.source_tokens("白日依山盡", "couplet") == list("白日依山盡，")  # the first line's ， added
    assert data.source_tokens("白日依山盡？", "couplet") == list("白日依山盡？")
    assert data.detokenize(list("黃河入海流。")) == "黃河入海流。"
    assert data.detokenize(["i", "am", "a", "student", "."]) == "i am a student."
    assert lesson.is_chinese("白日依山盡，") and not lesson.is_chinese("je suis 白") and not lesson.is_chinese("je")


def test_the_shape_of_a_second_line():
    src = list("白日依山盡，")
    assert couplet.right_shape(src, list("黃河入海流。")) and couplet.right_shape(src, list("黃河入海流？"))
    assert not couplet.right_shape(src, list("黃河入海。"))  # too short
    assert not couplet.right_shape(src, list("黃河入海流，"))  # a first line's mark
    assert not couplet.right_shape(src, list("黃河，海流。"))


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "type the first line"), ("   ", "type the first line"), ("白日😀山盡，", "cannot read"),
     ("hello", "cannot read"), ("白" * 17, "at most"), ("床前明月光，疑是地上霜。", "one line")],
)  # fmt: skip
def test_a_bad_first_line_is_refused_with_a_reason(text, why):
    with pytest.raises(ValueError, match=why):
        couplet.check_first_line(text)


def test_a_good_first_line_passes():
    for text in ("白日依山盡，", "白日依山盡", "故人西辭黃鶴樓，", " 春眠不覺曉 "):
        couplet.check_first_line(text)


def _args(out, **kw):
    p = argparse.ArgumentParser()
    couplet.add_arguments(p)
    argv = ["--out", str(out), "--limit", "300", "--epochs", "2", "--dim", "16", "--checkpoint-minutes", "1e-9"]
    for k, v in kw.items():
        argv += [f"--{k}"] if v is True else [f"--{k}", str(v)]
    return p.parse_args(argv)


def _weights(path):
    from safetensors.torch import load_file

    return load_file(str(path))


@needs_poems
def test_a_tiny_training_run_works_and_resumes_to_the_same_weights(tmp_path):
    import torch

    whole = couplet.run_logged(couplet.training(_args(tmp_path / "a"), "test"), open("/dev/null", "w"))
    assert whole["config"]["task"] == "couplet" and whole["epochs_completed"] == 2
    assert [h["epoch"] for h in whole["history"]] == [1, 2] and "shape_check" in whole["history"][0]
    vocab = (tmp_path / "a" / "couplet.target_vocab.txt").read_text(encoding="utf-8").split("\n")
    assert vocab[:4] == list(data.SPECIALS) and "。" in vocab
    # Stopped after the first step of epoch 2 (a checkpoint is written after every step here), then resumed.
    gen = couplet.training(_args(tmp_path / "b"), "test")
    for p in gen:
        if p.message.startswith("epoch 2/2, step 0/"):
            break
    gen.close()
    state = torch.load(tmp_path / "b" / "couplet.checkpoint.pt", weights_only=False)
    assert (state["epoch"], state["step"]) == (1, 1)
    resumed = couplet.training(_args(tmp_path / "b", resume=True), "test")
    first = next(resumed)
    assert "resumed at epoch 2, step 1" in first.message
    card = couplet.run_logged(resumed, open("/dev/null", "w"))
    assert card["history"] == whole["history"]
    a, b = _weights(tmp_path / "a" / "couplet.safetensors"), _weights(tmp_path / "b" / "couplet.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    # Another configuration cannot resume this checkpoint.
    with pytest.raises(ValueError, match="another configuration"):
        next(couplet.training(_args(tmp_path / "b", resume=True, dim=24), "test"))


def test_the_trainer_refuses_bad_options(tmp_path):
    with pytest.raises(ValueError, match="positive"):
        couplet.training(_args(tmp_path, epochs=0), "test")
    assert couplet.main(["--out", str(tmp_path), "--poems", str(tmp_path / "none.tsv")]) == 2


def test_the_module_command_trains(tmp_path, capsys):
    if not tang.DEFAULT_TSV.is_file():
        pytest.skip("the Tang corpus is not here")
    argv = ["--out", str(tmp_path), "--limit", "100", "--epochs", "1", "--dim", "8", "--threads", "1"]
    assert couplet.main(argv) == 0
    out = capsys.readouterr().out
    assert json.loads(out.strip().split("\n")[-1])["best_epoch"] == 1 and "epoch 1/1, step 0/2" in out
    card = json.loads((tmp_path / "couplet.card.json").read_text(encoding="utf-8"))
    assert card["training_command"].startswith("python -m viz_app.core.seq2seq.couplet --out ")


def test_the_cli_subcommand_trains_and_refuses_bad_options(tmp_path, capsys):
    from viz_app.cli import main

    assert main(["train-couplet", "--out", str(tmp_path), "--poems", str(tmp_path / "none.tsv")]) == 2
    assert "none.tsv: no such file" in capsys.readouterr().err
    if not tang.DEFAULT_TSV.is_file():
        pytest.skip("the Tang corpus is not here")
    argv = ["train-couplet", "--out", str(tmp_path), "--limit", "100", "--epochs", "1", "--dim", "8", "--threads", "1"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out.strip().split("\n")[-1])["best_epoch"] == 1
    card = json.loads((tmp_path / "couplet.card.json").read_text(encoding="utf-8"))
    assert card["training_command"].startswith("viz-app train-couplet")


# --- the bundled model ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store():
    from viz_app.core.registry import ModelStore

    return ModelStore()


def test_the_bundled_model_answers_a_first_line_with_a_line_of_its_length(store):
    from viz_app.core.seq2seq import probes

    card = store.registry.card(couplet.NAME)
    assert card.kind == "seq2seq" and card.extra["config"]["task"] == "couplet"
    assert card.metrics["greedy"]["right_length_and_end_mark"] > 0.9
    for line in ("白日依山盡，", "故人西辭黃鶴樓，", "春眠不覺曉"):
        t = probes.translate(store, couplet.NAME, line)
        first = data.source_tokens(line, "couplet")
        assert couplet.right_shape(first, t.output_tokens), (line, t.output)
        assert t.output == "".join(t.output_tokens) and t.output[-1] in couplet.END_MARKS
        assert t.attention.shape == (len(first) + 1, len(first))  # a row per character, its end mark and <end>
        b = probes.translate(store, couplet.NAME, line, beam_width=5)
        assert couplet.right_shape(first, b.output_tokens), (line, b.output)


def test_the_lesson_decodes_characters_step_by_step_and_by_beam(store):
    trace = lesson.decode_steps(store, couplet.NAME, "白日依山盡，")
    assert trace.task == "couplet" and list(trace.source_tokens) == list("白日依山盡，") and not trace.hint
    assert len(trace.output_tokens) == 6 and trace.output == "".join(trace.output_tokens)
    assert trace.attention_matrix().shape == (6, 6)
    forced = lesson.decode_steps(store, couplet.NAME, "白日依山盡，", forced=("青",))
    assert forced.output_tokens[0] == "青" and forced.steps[0].forced
    beam = lesson.beam_tree(store, couplet.NAME, "白日依山盡，", 3)
    assert beam.decoded.tree and beam.to_json()["output"] == "".join(beam.decoded.tokens)
    assert "Chinese characters" in lesson.decode_steps(store, couplet.NAME, "je suis étudiant .").hint
    assert "one line" in lesson.decode_steps(store, couplet.NAME, "床前明月光，疑是地上霜。").hint
    assert "5 or 7" in lesson.decode_steps(store, couplet.NAME, "白日依山，").hint
    odd = lesson.decode_steps(store, couplet.NAME, "白日😀山盡，")  # no crash: the emoji is <unk>, said so
    assert odd.unknown == ["😀"] and "<unk>" not in odd.output_tokens


def test_the_lesson_job_runs_the_couplet_model_on_the_device_asked_for(store):
    from viz_app.core.jobs import JobContext, Request

    ctx = JobContext(request=Request("t", lesson.seq2seq_lesson_job), device="cpu", models=store)
    result = lesson.seq2seq_lesson_job(ctx, lesson.COUPLET_MODEL, "白日依山盡，", (), 3)
    assert isinstance(result, lesson.Seq2SeqResult) and result.device == "cpu" and result.missing == ()
    assert result.trace.task == "couplet" and result.comparison is None and result.beam.width == 3
    assert result.couplet_attention == lesson.couplet_attention(store.registry, lesson.COUPLET_MODEL)
    later = lesson.seq2seq_lesson_job(ctx, lesson.COUPLET_MODEL, "白日依山盡，", (), 3, ())
    assert later.device == "cpu" and later.missing == ("beam",) and later.beam is None
    filled = lesson.seq2seq_part_job(ctx, later, "beam")
    assert filled.device == "cpu" and filled.beam.to_json() == result.beam.to_json()


def _redrawn(qtbot, view, action):
    before = view.last_request_drawn
    action()
    qtbot.waitUntil(lambda: view.last_request_drawn != before and view.drawn, timeout=30000)


def _type(qtbot, view, text):
    window = view.window()
    _redrawn(qtbot, view, lambda: (window.set_input_text(text), window.flush_input()))


def test_chinese_input_chooses_the_couplet_model_and_the_user_can_switch_back(open_lesson, qtbot):
    from viz_app.core import examples

    view = open_lesson("attention", "je suis étudiant .")
    assert view.model_name == lesson.ATTENTION_MODEL and not view.auto_selected
    _type(qtbot, view, "白日依山盡，")
    assert view.model_name == lesson.COUPLET_MODEL and view.result.trace.model == lesson.COUPLET_MODEL
    assert view.auto_selected and "Chinese input" in view.notice.text() and view.notice.isVisible()
    assert [b.text() for b in view.example_buttons] == list(examples.texts("attention", "couplet"))
    assert view.alignment_map.col_labels == list("白日依山盡，")
    assert view.alignment_map.matrix.shape == (6, 6) and "diagonal" in view.alignment_caption.text()
    figures = view.result.couplet_attention
    assert f"gives {100 * figures['same']:.0f}% of a character's attention" in view.alignment_caption.text()
    assert "白日依山盡， → " in view.output_label.text()
    view.select_tab("step")
    assert "Step 1 of 7" in view.step_title.text()
    view.select_tab("beam")  # the beam is asked for when its tab opens
    qtbot.waitUntil(lambda: bool(view.beam_tree.nodes), timeout=30000)
    assert view.beam_tree.nodes and view.result.beam.to_json()["output"] in view.beam_summary.text()
    view.select_tab("with")
    assert "French" in view.compare_text.text()
    # The user goes back to the French translator: it stays while more Chinese is typed.
    _redrawn(qtbot, view, lambda: view.model_select.setCurrentIndex(0))
    assert view.model_name == lesson.ATTENTION_MODEL and "Chinese input" not in view.notice.text()
    _type(qtbot, view, "海上生明月，")
    assert view.model_name == lesson.ATTENTION_MODEL and view.result.trace.model == lesson.ATTENTION_MODEL
    # French, then Chinese again: chosen again; French after that gives the translator back.
    _type(qtbot, view, "je suis étudiant .")
    _type(qtbot, view, "國破山河在，")
    assert view.model_name == lesson.COUPLET_MODEL and view.auto_selected
    _type(qtbot, view, "il fait froid .")
    assert view.model_name == lesson.ATTENTION_MODEL and view.result.trace.output
    assert [b.text() for b in view.example_buttons] == list(examples.texts("attention", "translate"))


def test_a_couplet_try_button_runs_the_couplet_model(open_lesson, qtbot):
    view = open_lesson("seq2seq", "je suis étudiant .")
    _redrawn(qtbot, view, lambda: view.model_select.setCurrentIndex(view.model_select.findData("couplet")))
    assert not view.auto_selected and "Chinese input" not in view.notice.text()
    window = view.window()
    _redrawn(qtbot, view, lambda: (view.example_buttons[1].click(), window.flush_input()))
    trace = view.result.trace
    assert trace.model == "couplet" and couplet.right_shape(trace.source_tokens, trace.output_tokens)


# --- the command line -------------------------------------------------------------------------------------


def test_cli_translate_answers_in_the_english_json_shape(capsys, tmp_path):
    from viz_app.cli import main

    assert main(["translate", "je suis étudiant .", "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert main(["translate", "白日依山盡，", "--model", "couplet", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out.keys() == english.keys() and out["source_tokens"] == list("白日依山盡，")
    assert couplet.right_shape(out["source_tokens"], out["output_tokens"]) and out["output"] == "".join(
        out["output_tokens"]
    )
    assert len(out["attention"]) == 6 and all(abs(sum(r) - 1) < 1e-4 for r in out["attention"])
    assert main(["translate", "白日依山盡，", "--model", "couplet", "--beam", "5"]) == 0
    assert len(capsys.readouterr().out.strip()) == 6
    f = tmp_path / "lines.txt"
    f.write_text("白日依山盡，\n\n海上生明月，\n", encoding="utf-8")
    assert main(["translate", "--file", str(f), "--model", "couplet", "--json"]) == 0
    outputs = json.loads(capsys.readouterr().out)["outputs"]
    assert len(outputs) == 3 and outputs[1] == "" and len(outputs[2]) == 6


@pytest.mark.parametrize(
    "text", ["", "  ", "😀😀😀", "白日😀山盡，", "白" * 40, "hello world", "床前明月光，疑是地上霜。"]
)
def test_cli_translate_refuses_what_the_couplet_model_cannot_read(capsys, tmp_path, text):
    from viz_app.cli import main

    assert main(["translate", text, "--model", "couplet", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    f = tmp_path / "bad.txt"
    f.write_text(f"白日依山盡，\n{text}x😀\n", encoding="utf-8")
    assert main(["translate", "--file", str(f), "--model", "couplet"]) == 2
    assert "line 2" in capsys.readouterr().err


@needs_poems
def test_the_try_lines_are_where_the_examples_say():
    split = tang.load_split()
    train, valid = data.couplet_pairs(split.train), data.couplet_pairs(split.validation)
    from viz_app.core import examples

    lines = examples.texts("seq2seq", "couplet")
    assert len(lines) == 3
    assert couplet.where(lines[0], train, valid).startswith("a first line in the training poems")
    assert all(couplet.where(line, train, valid).startswith("a first line in the validation") for line in lines[1:])


def test_the_caption_figures_come_from_the_card(store):
    figures = lesson.couplet_attention(store.registry)
    rows = store.registry.card(couplet.NAME).metrics["attention_teacher_forced_by_line_length"]
    assert set(rows) == {"5 characters", "7 characters"}
    assert figures["uniform"] < figures["same"] < 1 and 0 < figures["mark"] < 1
    assert lesson.couplet_attention(store.registry, lesson.ATTENTION_MODEL) is None


# --- the Transformer lesson's couplet writer ------------------------------------------------------------------


def test_the_transformer_lesson_writes_couplets_for_chinese_and_gives_the_translator_back(open_lesson, qtbot):
    from viz_app.core import examples
    from viz_app.core.lessons import transformer as transformer_lesson

    view = open_lesson("transformer", "je suis étudiant .")
    assert view.model_name == transformer_lesson.MODEL and not view.notice.isVisible()
    _type(qtbot, view, "白日依山盡，")
    t = view.result
    assert view.model_name == transformer_lesson.COUPLET_MODEL and view.shown_model == transformer_lesson.COUPLET_MODEL
    assert t.task == "couplet" and couplet.right_shape(t.source_tokens, t.output_tokens)
    assert "Chinese text" in view.notice.text() and view.notice.isVisible()
    assert f"白日依山盡， → <b>{t.output}</b>" in view.output_label.text()
    assert [b.text() for b in view.example_buttons] == list(examples.texts("transformer", "couplet"))
    view.select_tab("cross")
    assert view.maps["cross"].matrix.shape == (len(t.output_tokens), 6)
    assert "second-line character" in view.captions["cross"].text()
    best = view.service.store.registry.card(transformer_lesson.COUPLET_MODEL).metrics[
        "cross_attention_same_position_best_head"
    ]
    assert f"head {best['head']} of layer {best['layer']}" in view.captions["cross"].text()
    view.select_tab("step")
    assert "Step 1 of 6" in view.step_title.text() and view.step_top.rowCount() == 5
    # A line the couplet writer cannot read: a message, and the page keeps working.
    window = view.window()
    window.set_input_text("白日依山盡，黃河入海流。")
    window.flush_input()
    qtbot.waitUntil(lambda: view.error_banner.isVisible(), timeout=30000)
    assert "one line at a time" in view.error_banner.text()
    # French again: the translator comes back.
    _type(qtbot, view, "il fait beau aujourd'hui .")
    assert view.model_name == transformer_lesson.MODEL and view.result.task == "translate"
    assert "Chinese text" not in view.notice.text() and not view.error_banner.isVisible()
