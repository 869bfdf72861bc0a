"""The headless command line: same core functions, one JSON object, exit statuses 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from viz_app.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lessons_json(capsys):
    code, out, _ = run_cli(capsys, "lessons", "--json")
    ids = [x["id"] for x in json.loads(out)["lessons"]]
    assert code == 0 and "bow" in ids and "rnn-toy" in ids


def test_models_json(capsys):
    code, out, _ = run_cli(capsys, "models", "--json")
    models = json.loads(out)["models"]
    assert code == 0 and {m["name"]: m["status"] for m in models}["rnn-toy"] == "ok"


def test_models_reports_a_missing_file(capsys, resources_copy):
    (resources_copy / "models" / "rnn_toy.safetensors").unlink()
    code, out, _ = run_cli(capsys, "models", "--json")
    model = json.loads(out)["models"][0]
    assert code == 1 and model["status"] == "missing" and "rnn_toy.safetensors" in model["problems"][0]


def test_bow_json(capsys):
    code, out, _ = run_cli(capsys, "bow", "dog bites man", "man bites dog", "--metric", "cosine", "--json")
    data = json.loads(out)
    assert code == 0 and data["metric"] == "cosine"
    assert data["documents"][0]["counts"] == [["dog", 1], ["bites", 1], ["man", 1]]
    assert data["matrix"][0][1] == pytest.approx(1.0)


@pytest.mark.parametrize("metric", ["euclidean", "dot"])
def test_bow_metrics(capsys, metric):
    code, out, _ = run_cli(capsys, "bow", "a a", "a b", "--metric", metric, "--json")
    matrix = json.loads(out)["matrix"]
    assert code == 0
    assert matrix[0][1] == pytest.approx(2.0 if metric == "dot" else 2**0.5)


def test_rnn_toy_json(capsys):
    code, out, _ = run_cli(capsys, "rnn-toy", "1,1;1,1;2,2", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["outputs"] == [[4, 4], [12, 12], [32, 32]]
    assert data["memory"] == [[2, 2], [6, 6], [16, 16]]


def test_rnn_toy_bidirectional_json(capsys):
    code, out, _ = run_cli(capsys, "rnn-toy", "1,1;1,1;2,2", "--bidirectional", "--json")
    data = json.loads(out)
    assert code == 0 and data["bidirectional"] is True
    assert data["forward"]["outputs"] == [[4, 4], [12, 12], [32, 32]]
    assert data["backward"]["outputs"] == [[44, 44], [20, 20], [8, 8]]


@pytest.mark.parametrize(
    "argv",
    [
        ["bow"],
        ["bow", "a", "--metric", "manhattan"],
        ["rnn-toy", "1,1;x"],
        ["rnn-toy", ""],
        ["no-such-command"],
        ["screenshot", "--lesson", "nope", "--out", "x.png"],
        ["screenshot", "--lesson", "bow", "--out", "x.png", "--size", "big"],
        ["screenshot", "--step", "3", "--out", "x.png"],
        ["screenshot", "--tour", "lecture", "--step", "99", "--out", "x.png"],
        ["screenshot", "--tour", "no-such-tour.json", "--step", "1", "--out", "x.png"],
        ["screenshot", "--out", "x.png"],
        ["models", "--bogus"],
    ],
)
def test_bad_arguments_give_one_line_and_status_2(capsys, argv):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("viz-app: error:")
    assert out == ""


def test_broken_manifest_gives_status_1(capsys, resources_copy):
    (resources_copy / "models" / "manifest.json").write_text("{oops")
    code, _, err = run_cli(capsys, "rnn-toy", "1,1", "--json")
    assert code == 1 and "manifest.json" in err


def test_self_test_passes(capsys):
    code, out, _ = run_cli(capsys, "self-test", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"]
    assert {c["name"] for c in report["checks"]} >= {
        "model rnn-toy",
        "lesson bow",
        "lesson rnn-toy",
        "lesson word-embedding",
        "lesson lstm",
    }


def test_self_test_fails_on_an_altered_model(capsys, resources_copy):
    path = resources_copy / "models" / "rnn_toy.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x10
    path.write_bytes(bytes(data))
    code, _, _ = run_cli(capsys, "self-test")
    assert code == 1


@pytest.mark.parametrize(
    "lesson, text", [("bow", "dog bites man\nman bites dog"), ("rnn-toy", "1,1;1,1;2,2"), ("gpt", "hello")]
)
def test_screenshot_writes_a_png(tmp_path, lesson, text):
    out = tmp_path / f"{lesson}.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "viz_app",
            "screenshot",
            "--lesson",
            lesson,
            "--text",
            text,
            "--out",
            str(out),
            "--size",
            "900x600",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


def test_screenshot_of_a_tour_step_in_presentation_mode(tmp_path):
    out = tmp_path / "step.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    argv = ["screenshot", "--tour", "lecture", "--step", "9", "--presentation", "--out", str(out), "--size", "900x600"]
    proc = subprocess.run(
        [sys.executable, "-m", "viz_app", *argv], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    assert QImage(str(out)).width() == 900
