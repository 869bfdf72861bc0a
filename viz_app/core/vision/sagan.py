"""Self-attention in vision: a small class-conditional SAGAN (Zhang et al. 2018) for 8x8 handwritten digits.

Trained here on the 1,797 digits that ship inside scikit-learn (``sklearn.datasets.load_digits``,
no download). The generator draws an 8x8 image from noise and a digit class; between its
convolutions a self-attention layer lets every pixel position look at every other one, named as in
the lecture's code: theta, phi and g are 1x1 convolutions of x (query, key, value),
    attn[j, i] = softmax_i(theta_j . phi_i),   attn_g_j = sum_i attn[j, i] g_i,   out = x + sigma * attn_g
(sigma starts at 0 and is learned). The attention map of pixel j is attn[j, .] over the 64 positions
(the lesson draws it on the image).
Hinge loss, spectral normalisation in the discriminator, Adam (0, 0.9); deterministic for a seed.

    python -m viz_app.core.vision.sagan OUT_DIR [--steps 3000]
    python -m viz_app.core.vision.sagan OUT_DIR --register BUNDLE_DIR   (measure, then add to the manifest)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils import spectral_norm

NOISE = 32
CLASSES = 10


class SelfAttention2d(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        inner = max(1, channels // 4)
        self.theta = nn.Conv2d(channels, inner, 1)  # queries
        self.phi = nn.Conv2d(channels, inner, 1)  # keys
        self.g = nn.Conv2d(channels, channels, 1)  # values
        self.sigma = nn.Parameter(torch.zeros(1))
        self.last_attention: torch.Tensor | None = None

    def forward(self, x):
        b, c, height, width = x.shape
        theta = self.theta(x).flatten(2)  # (B, C', N)
        phi = self.phi(x).flatten(2)
        g = self.g(x).flatten(2)  # (B, C, N)
        attn = torch.softmax(theta.transpose(1, 2) @ phi, dim=-1)  # (B, N, N): row j = where pixel j looks
        attn_g = (g @ attn.transpose(1, 2)).view(b, c, height, width)
        self.last_attention = attn.detach()
        return x + self.sigma * attn_g


class Generator(nn.Module):
    def __init__(self, width: int = 64):
        super().__init__()
        self.width = width
        self.label = nn.Embedding(CLASSES, NOISE)
        self.fc = nn.Linear(2 * NOISE, width * 4 * 4)
        self.up = nn.Sequential(
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(width, width, 3, padding=1),
            nn.BatchNorm2d(width),
            nn.ReLU(),
        )
        self.attention = SelfAttention2d(width)
        self.out = nn.Sequential(
            nn.Conv2d(width, width // 2, 3, padding=1), nn.ReLU(), nn.Conv2d(width // 2, 1, 3, padding=1), nn.Tanh()
        )

    def forward(self, z, labels):
        x = self.fc(torch.cat([z, self.label(labels)], dim=1)).view(-1, self.width, 4, 4)
        return self.out(self.attention(self.up(x)))  # (B, 1, 8, 8) in -1..1


class Discriminator(nn.Module):
    def __init__(self, width: int = 64):
        super().__init__()
        self.body = nn.Sequential(
            spectral_norm(nn.Conv2d(1, width // 2, 3, padding=1)),
            nn.LeakyReLU(0.1),
            spectral_norm(nn.Conv2d(width // 2, width, 3, padding=1)),
            nn.LeakyReLU(0.1),
        )
        self.attention = SelfAttention2d(width)
        self.down = nn.Sequential(spectral_norm(nn.Conv2d(width, width, 4, stride=2, padding=1)), nn.LeakyReLU(0.1))
        self.fc = spectral_norm(nn.Linear(width * 16, 1))
        self.embed = spectral_norm(nn.Embedding(CLASSES, width * 16))

    def forward(self, x, labels):
        h = self.down(self.attention(self.body(x))).flatten(1)
        return self.fc(h).squeeze(1) + (self.embed(labels) * h).sum(1)  # projection discriminator


def load_digits_tensor() -> tuple[torch.Tensor, torch.Tensor]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32)[:, None] / 8.0 - 1.0  # 0..16 -> -1..1
    return images, torch.tensor(digits.target, dtype=torch.long)


@dataclass(frozen=True)
class Generated:
    images: np.ndarray  # (B, 8, 8) in 0..1
    labels: np.ndarray  # (B,)
    attention: np.ndarray  # (B, 64, 64): row j = pixel j's attention over the 64 positions
    sigma: float

    def to_json(self) -> dict:
        return {
            "images": np.round(self.images, 4).tolist(),
            "labels": self.labels.tolist(),
            "sigma": self.sigma,
        }


@torch.no_grad()
def generate(generator: Generator, labels: list[int], seed: int, device: str | None = None) -> Generated:
    """Digits of the classes ``labels`` drawn on ``device`` (None: where the generator is; it is moved there).
    The noise is drawn on the CPU, so a seed gives the same noise on every device."""
    if device is not None:
        generator.to(device)
    where = next(generator.parameters()).device
    generator.eval()
    rng = torch.Generator().manual_seed(seed)
    z = torch.randn(len(labels), NOISE, generator=rng).to(where)
    images = generator(z, torch.tensor(labels, dtype=torch.long, device=where))[:, 0]
    attention = generator.attention.last_attention
    return Generated(
        ((images + 1) / 2).clamp(0, 1).cpu().numpy(),
        np.asarray(labels),
        attention.cpu().numpy(),
        float(generator.attention.sigma.item()),
    )


def train(out: Path, steps: int = 3000, batch: int = 64, seed: int = 0):
    """Generator: yields (step, d_loss, g_loss); writes sagan.safetensors and sagan.card.json."""
    from safetensors.torch import save_file

    torch.manual_seed(seed)
    images, labels = load_digits_tensor()
    gen, disc = Generator(), Discriminator()
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-4, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=4e-4, betas=(0.0, 0.9))  # two time-scale update rule
    start = time.perf_counter()
    for step in range(steps):
        idx = torch.randint(0, len(images), (batch,))
        real, y = images[idx], labels[idx]
        z = torch.randn(batch, NOISE)
        fake = gen(z, y)
        d_loss = torch.relu(1 - disc(real, y)).mean() + torch.relu(1 + disc(fake.detach(), y)).mean()
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = -disc(fake, y).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        if step % 100 == 0:
            yield step, float(d_loss.detach()), float(g_loss.detach())
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.detach().half().contiguous() for k, v in gen.state_dict().items()}, str(out / "sagan.safetensors"))
    card = {
        "steps": steps,
        "batch": batch,
        "seed": seed,
        "parameters": int(sum(p.numel() for p in gen.parameters())),
        "sigma": float(gen.attention.sigma.item()),
        "training_seconds": round(time.perf_counter() - start, 1),
        "training_command": f"python -m viz_app.core.vision.sagan {out.as_posix()} --steps {steps}",
    }
    (out / "sagan.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card


@torch.no_grad()
def evaluate(generator: Generator, per_class: int = 100, seed: int = 0) -> dict:
    """How well the generator draws the digit it is asked for: a logistic-regression classifier
    trained on scikit-learn's real digits (5-fold held-out accuracy reported beside it) labels
    ``per_class`` generated images of each class; "class_accuracy" is the share it labels as asked."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    images, labels = load_digits_tensor()
    x = ((images[:, 0] + 1) / 2).reshape(len(images), -1).numpy()  # the generator's 0..1 scale
    y = labels.numpy()
    classifier = LogisticRegression(max_iter=2000)
    real_accuracy = float(cross_val_score(classifier, x, y, cv=5).mean())
    classifier.fit(x, y)
    asked = [c for c in range(CLASSES) for _ in range(per_class)]
    made = generate(generator, asked, seed)
    predicted = classifier.predict(made.images.reshape(len(asked), -1))
    return {
        "class_accuracy": round(float((predicted == np.asarray(asked)).mean()), 4),
        "classifier_accuracy_on_real_digits": round(real_accuracy, 4),
        "generated_per_class": per_class,
        "sigma": round(made.sigma, 4),
    }


def register_bundle(trained: Path, root: Path, name: str = "sagan-digits") -> dict:
    """Copy a trained generator into ``root/vision/``, measure it and add its card to the manifest."""
    import shutil

    from viz_app.core.registry import register

    trained, root = Path(trained), Path(root)
    card = json.loads((trained / "sagan.card.json").read_text(encoding="utf-8"))
    (root / "vision").mkdir(parents=True, exist_ok=True)
    weights = root / "vision" / f"{name}.safetensors"
    shutil.copyfile(trained / "sagan.safetensors", weights)

    class _One:
        def verified_path(self, _name, _index):
            return weights

    metrics = evaluate(load(_One(), name))
    entry = {
        "name": name,
        "kind": "sagan",
        "description": "Class-conditional SAGAN generator for 8x8 handwritten digits, with one self-attention layer "
        "(theta, phi, g, sigma) between its convolutions.",
        "parameters": card["parameters"],
        "training_data": "scikit-learn's bundled optical handwritten digits (sklearn.datasets.load_digits, 1,797 images)",
        "license": "digits: UCI ML hand-written digits, CC BY 4.0; weights trained by this project",
        "training_command": card["training_command"],
        "metrics": metrics,
        "steps": card["steps"],
        "batch": card["batch"],
        "training_seconds": card["training_seconds"],
        "stored_as": "float16",
    }
    return register(root, entry, [weights])


def load(registry, name: str) -> Generator:
    from safetensors.torch import load_file

    gen = Generator()
    state = {k: v.float() for k, v in load_file(str(registry.verified_path(name, 0))).items()}
    gen.load_state_dict(state)
    gen.eval()
    return gen


if __name__ == "__main__":  # pragma: no cover
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--register", metavar="BUNDLE_DIR", help="measure OUT's trained generator and register it")
    args = parser.parse_args()
    if args.register:
        print(json.dumps(register_bundle(Path(args.out), Path(args.register))["metrics"]))
        sys.exit(0)
    run = train(Path(args.out), args.steps)
    while True:
        try:
            s, dl, gl = next(run)
            print(f"step {s}: D {dl:.3f}, G {gl:.3f}", flush=True)
        except StopIteration as stop:
            print(json.dumps(stop.value), flush=True)
            sys.exit(0)
