import json
from pathlib import Path

import pytest

from viz_app.core.registry import ModelFileError, ModelStore, Registry, RegistryError, UnknownModelError
from viz_app.core.rnn import toy as toy_rnn
from viz_app.core.self_test import run_self_test

MODELS = Path(__file__).resolve().parent.parent / "resources" / "models"


def test_bundled_manifest_is_complete_and_ok():
    registry = Registry(MODELS)
    statuses = registry.statuses()
    assert statuses, "the manifest lists no model"
    for status in statuses:
        assert status.status == "ok", status.problems
        card = status.card.to_json()
        for key in ("name", "kind", "files", "parameters", "training_data", "license", "training_command", "metrics"):
            assert key in card
        assert status.card.files[0].path.endswith(".safetensors"), "weights are safetensors"
        for f in status.card.files:
            assert not f.path.endswith((".pt", ".pth", ".pkl", ".pickle", ".bin", ".ckpt")), "never pickles"
            assert len(f.sha256) == 64


def test_models_stay_under_the_size_budget():
    total = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert total < 90 * 1000 * 1000  # the project's budget for resources/models: 90 MB


def _broken(resources_copy, how: str):
    path = resources_copy / "models" / "rnn_toy.safetensors"
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif how == "altered":
        data = bytearray(path.read_bytes())
        data[-1] ^= 0x01  # same size, one bit changed in the weights
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how, status", [("missing", "missing"), ("truncated", "corrupt"), ("altered", "corrupt")])
def test_bad_file_gives_an_error_naming_it(resources_copy, how, status):
    path = _broken(resources_copy, how)
    registry = Registry(resources_copy / "models")
    result = registry.status("rnn-toy")
    assert result.status == status
    assert str(path) in result.problems[0]
    with pytest.raises(ModelFileError) as info:
        toy_rnn.run_bundled(ModelStore(registry), toy_rnn.LECTURE_INPUTS)
    assert str(path) in str(info.value) and info.value.status == status


def test_a_bad_model_leaves_the_rest_working(resources_copy):
    _broken(resources_copy, "altered")
    report = run_self_test(Registry(resources_copy / "models"))
    by_name = {c["name"]: c for c in report["checks"]}
    assert not report["ok"]
    assert not by_name["model rnn-toy"]["ok"] and "rnn_toy.safetensors" in by_name["model rnn-toy"]["detail"]
    assert by_name["lesson bow"]["ok"]


def test_valid_hash_but_not_safetensors_is_reported(tmp_path):
    from viz_app.core.registry import describe_file

    bogus = tmp_path / "bogus.safetensors"
    bogus.write_bytes(b"this is not a safetensors file at all")
    manifest = {"models": [{"name": "bogus", "kind": "test", "files": [describe_file(bogus, tmp_path)]}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    registry = Registry(tmp_path)
    status = registry.status("bogus")  # the bytes are the ones recorded, but the header is checked too
    assert status.status == "corrupt" and "bogus.safetensors" in status.problems[0] and "'bogus'" in status.problems[0]
    with pytest.raises(ModelFileError, match="bogus.safetensors"):
        registry.load_numpy_tensors("bogus")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "missing"),
        ("{not json", "cannot be read"),
        ('{"models": 3}', 'no "models" list'),
    ],
)
def test_broken_manifest(tmp_path, content, message):
    if content is not None:
        (tmp_path / "manifest.json").write_text(content)
    with pytest.raises(RegistryError, match=message):
        Registry(tmp_path).cards()


def test_a_malformed_entry_is_reported_under_its_name_and_hides_nothing(tmp_path):
    from viz_app.core.registry import ModelLoadError

    (tmp_path / "manifest.json").write_text('{"models": [{"name": "x"}]}')
    registry = Registry(tmp_path)
    assert registry.cards() == {}
    assert [(s.card.name, s.status) for s in registry.statuses()] == [("x", "malformed")]
    with pytest.raises(ModelLoadError, match="'x'.*malformed"):
        registry.card("x")


def test_unknown_model_lists_the_bundled_ones():
    with pytest.raises(UnknownModelError, match="rnn-toy"):
        Registry(MODELS).card("no-such-model")


def test_model_store_loads_once():
    calls = []

    def loader(registry, name):
        calls.append(name)
        return object()

    store = ModelStore(Registry(MODELS))
    assert store.get("rnn-toy", loader) is store.get("rnn-toy", loader)
    assert calls == ["rnn-toy"]
