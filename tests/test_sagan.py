"""The SAGAN of the vision part: trains on scikit-learn's digits, attention maps are distributions."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.vision import sagan


def test_a_few_training_steps_and_generation(tmp_path):
    run = sagan.train(tmp_path, steps=3, batch=16)
    while True:
        try:
            step, d_loss, g_loss = next(run)
            assert np.isfinite(d_loss) and np.isfinite(g_loss)
        except StopIteration as stop:
            card = stop.value
            break
    assert card["steps"] == 3 and (tmp_path / "sagan.safetensors").stat().st_size > 10_000

    class Registry:
        def verified_path(self, name, index):
            return tmp_path / "sagan.safetensors"

    gen = sagan.load(Registry(), "sagan")
    out = sagan.generate(gen, [0, 1, 7], seed=3)
    assert out.images.shape == (3, 8, 8) and out.images.min() >= 0 and out.images.max() <= 1
    assert out.attention.shape == (3, 64, 64)
    assert np.allclose(out.attention.sum(-1), 1.0, atol=1e-5)
    again = sagan.generate(gen, [0, 1, 7], seed=3)
    assert np.array_equal(out.images, again.images)  # the same seed draws the same digits


def test_digits_come_from_scikit_learn():
    images, labels = sagan.load_digits_tensor()
    assert images.shape == (1797, 1, 8, 8) and float(images.min()) == -1.0 and float(images.max()) == 1.0
    assert sorted(set(labels.tolist())) == list(range(10))


def test_bundled_generator_draws_the_digits_it_is_asked_for():
    from viz_app.core.registry import Registry

    registry = Registry()
    card = registry.card("sagan-digits")
    gen = sagan.load(registry, "sagan-digits")
    metrics = sagan.evaluate(gen, per_class=20)
    # Recomputed here on fewer samples: close to the card's figure, and far above chance (0.1).
    assert metrics["class_accuracy"] > 0.9 and abs(metrics["class_accuracy"] - card.metrics["class_accuracy"]) < 0.05


def test_lesson_job_on_cpu_records_the_device():
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons.self_attention import SAGAN_MODEL, SaganDigits, sagan_job
    from viz_app.core.registry import ModelStore

    store = ModelStore()
    if SAGAN_MODEL not in store.registry.cards():
        pytest.skip("the SAGAN is not bundled")
    ctx = JobContext(request=Request("t", sagan_job), device="cpu", models=store)
    result = sagan_job(ctx, [3, 7], 5)
    assert isinstance(result, SaganDigits) and result.device == "cpu"
    assert result.images.shape == (2, 8, 8) and result.attention.shape == (2, 64, 64)
    assert result.labels.tolist() == [3, 7] and set(result.to_json()) == {"images", "labels", "sigma"}
    same = sagan.generate(store.get(SAGAN_MODEL, sagan.load), [3, 7], 5)  # the job draws what generate draws
    assert np.allclose(same.images, result.images)
