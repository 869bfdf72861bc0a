"""The model registry: ``resources/models/manifest.json`` and the files it names.

Every bundled model has a card in the manifest: name, kind, files (each with its
sha256 and size), parameter count, training data and its licence, the exact
training command, and metrics. Weights are safetensors, never pickles.

A file that is missing, truncated or altered gives a :class:`ModelFileError`
that names the file; the registry itself never raises for one bad model, so
every other model and lesson keeps working.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from viz_app.core.resources import models_dir

MANIFEST_NAME = "manifest.json"
STATUS_OK, STATUS_MISSING, STATUS_CORRUPT = "ok", "missing", "corrupt"


class RegistryError(Exception):
    """The manifest itself cannot be read."""

    user_message = True


class ModelFileError(Exception):
    """A model's file is missing, truncated, altered or unreadable; the message names it."""

    user_message = True

    def __init__(self, model: str, path: Path, status: str, detail: str):
        self.model, self.path, self.status, self.detail = model, path, status, detail
        super().__init__(f"model {model!r}: file {path} is {status} ({detail})")


class UnknownModelError(KeyError):
    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


@dataclass(frozen=True)
class ModelFile:
    path: str  # relative to the models folder
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ModelCard:
    name: str
    kind: str
    files: tuple[ModelFile, ...]
    description: str = ""
    parameters: int = 0
    training_data: str = ""
    license: str = ""
    training_command: str = ""
    metrics: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # any further card fields, kept verbatim

    def to_json(self) -> dict:
        out = {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "files": [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in self.files],
            "parameters": self.parameters,
            "training_data": self.training_data,
            "license": self.license,
            "training_command": self.training_command,
            "metrics": self.metrics,
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class ModelStatus:
    card: ModelCard
    status: str  # ok / missing / corrupt
    problems: tuple[str, ...]  # one line per bad file, each naming it

    def to_json(self) -> dict:
        return {**self.card.to_json(), "status": self.status, "problems": list(self.problems)}


_KNOWN_KEYS = {
    "name",
    "kind",
    "files",
    "description",
    "parameters",
    "training_data",
    "license",
    "training_command",
    "metrics",
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_file(path: Path, root: Path) -> dict:
    """The manifest entry for a file (used when registering a newly trained model)."""
    return {"path": path.relative_to(root).as_posix(), "sha256": sha256_of(path), "bytes": path.stat().st_size}


class Registry:
    """Reads the manifest of one models folder and checks the files it names."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else models_dir()
        self._cards: dict[str, ModelCard] | None = None
        self._verified: dict[tuple, str] = {}  # (path, size, mtime_ns) -> sha256
        self._lock = threading.Lock()

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def cards(self) -> dict[str, ModelCard]:
        with self._lock:
            if self._cards is None:
                self._cards = self._read_manifest()
            return dict(self._cards)

    def _read_manifest(self) -> dict[str, ModelCard]:
        path = self.manifest_path
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RegistryError(f"model manifest {path} is missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryError(f"model manifest {path} cannot be read: {exc}") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("models"), list):
            raise RegistryError(f'model manifest {path} has no "models" list')
        cards: dict[str, ModelCard] = {}
        for i, entry in enumerate(raw["models"]):
            try:
                files = tuple(
                    ModelFile(path=str(f["path"]), sha256=str(f["sha256"]).lower(), bytes=int(f["bytes"]))
                    for f in entry["files"]
                )
                card = ModelCard(
                    name=str(entry["name"]),
                    kind=str(entry["kind"]),
                    files=files,
                    description=str(entry.get("description", "")),
                    parameters=int(entry.get("parameters", 0)),
                    training_data=str(entry.get("training_data", "")),
                    license=str(entry.get("license", "")),
                    training_command=str(entry.get("training_command", "")),
                    metrics=dict(entry.get("metrics", {})),
                    extra={k: v for k, v in entry.items() if k not in _KNOWN_KEYS},
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise RegistryError(f"model manifest {path}: entry {i} is malformed ({exc!r})") from None
            cards[card.name] = card
        return cards

    def card(self, name: str) -> ModelCard:
        cards = self.cards()
        if name not in cards:
            known = ", ".join(sorted(cards)) or "none"
            raise UnknownModelError(f"no bundled model named {name!r} (bundled: {known})")
        return cards[name]

    def file_path(self, card: ModelCard, model_file: ModelFile) -> Path:
        return self.root / model_file.path

    def check_file(self, card: ModelCard, model_file: ModelFile) -> None:
        """Raise :class:`ModelFileError` unless the file exists with its recorded size and sha256."""
        path = self.file_path(card, model_file)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise ModelFileError(card.name, path, STATUS_MISSING, "no such file") from None
        except OSError as exc:
            raise ModelFileError(card.name, path, STATUS_MISSING, str(exc)) from None
        if stat.st_size != model_file.bytes:
            how = "truncated" if stat.st_size < model_file.bytes else "too long"
            raise ModelFileError(
                card.name,
                path,
                STATUS_CORRUPT,
                f"{how}: {stat.st_size} bytes, the manifest says {model_file.bytes}",
            )
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        digest = self._verified.get(key)
        if digest is None:
            try:
                digest = sha256_of(path)
            except OSError as exc:
                raise ModelFileError(card.name, path, STATUS_CORRUPT, f"unreadable: {exc}") from None
            self._verified[key] = digest
        if digest != model_file.sha256:
            raise ModelFileError(
                card.name,
                path,
                STATUS_CORRUPT,
                f"altered: sha256 {digest[:12]}..., the manifest says {model_file.sha256[:12]}...",
            )

    def status(self, name: str) -> ModelStatus:
        card = self.card(name)
        problems, statuses = [], set()
        for f in card.files:
            try:
                self.check_file(card, f)
            except ModelFileError as exc:
                problems.append(str(exc))
                statuses.add(exc.status)
        status = STATUS_MISSING if STATUS_MISSING in statuses else STATUS_CORRUPT if statuses else STATUS_OK
        return ModelStatus(card=card, status=status, problems=tuple(problems))

    def statuses(self) -> list[ModelStatus]:
        return [self.status(name) for name in self.cards()]

    def verified_path(self, name: str, file_index: int = 0) -> Path:
        """The path of a model's file after checking it; raises ModelFileError naming it otherwise."""
        card = self.card(name)
        model_file = card.files[file_index]
        self.check_file(card, model_file)
        return self.file_path(card, model_file)

    def load_numpy_tensors(self, name: str, file_index: int = 0) -> dict:
        """Verified safetensors file -> {tensor name: numpy array}."""
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        path = self.verified_path(name, file_index)
        try:
            return load_file(str(path))
        except (SafetensorError, OSError, ValueError) as exc:
            raise ModelFileError(name, path, STATUS_CORRUPT, f"not a readable safetensors file: {exc}") from None


class ModelStore:
    """Loaded models, cached by name. Owned by the inference service's worker thread."""

    def __init__(self, registry: Registry | None = None):
        self.registry = registry or Registry()
        self._loaded: dict[str, object] = {}

    def get(self, name: str, loader):
        """``loader(registry, name)`` builds the model the first time; later calls reuse it."""
        if name not in self._loaded:
            self._loaded[name] = loader(self.registry, name)
        return self._loaded[name]

    def peek(self, name: str):
        """The cached object, or None if it has not been built yet."""
        return self._loaded.get(name)

    def put(self, name: str, value) -> None:
        self._loaded[name] = value

    def clear(self) -> None:
        self._loaded.clear()


def register(root: Path, entry: dict, file_paths: list[Path]) -> dict:
    """Add or replace a model's card in ``root/manifest.json``, recording each file's sha256 and size.

    Used by the training commands' final step, so that a card always matches its files.
    """
    manifest_path = Path(root) / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    manifest.setdefault("format", 1)
    models = [m for m in manifest.get("models", []) if m.get("name") != entry["name"]]
    card = dict(entry)
    card["files"] = [describe_file(Path(p), Path(root)) for p in file_paths]
    models.append(card)
    manifest["models"] = models
    tmp = manifest_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(manifest_path)
    return card
