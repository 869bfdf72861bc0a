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
STATUS_OK, STATUS_MISSING, STATUS_CORRUPT, STATUS_MALFORMED = "ok", "missing", "corrupt", "malformed"


class RegistryError(Exception):
    """The manifest itself cannot be read."""

    user_message = True


class ModelFileError(Exception):
    """A model's file is missing, truncated, altered or unreadable; the message names it."""

    user_message = True

    def __init__(self, model: str, path: Path, status: str, detail: str):
        self.model, self.path, self.status, self.detail = model, path, status, detail
        super().__init__(f"model {model!r}: file {path} is {status} ({detail})")


class ModelLoadError(Exception):
    """A bundled model cannot be built (a malformed card, a config that does not fit its weights, a file
    its loader cannot read); the message names the model."""

    user_message = True

    def __init__(self, model: str, detail: str):
        self.model, self.detail = model, detail
        super().__init__(detail if f"{model!r}" in detail else f"model {model!r}: {detail}")


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
        self._malformed: dict[str, str] = {}
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
        self._malformed = {}
        for i, entry in enumerate(raw["models"]):
            name = entry.get("name") if isinstance(entry, dict) else None
            label = name if isinstance(name, str) and name else f"entry {i}"
            try:
                card = _parse_card(entry, self.root)
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
                # One bad card never hides the others: it is reported under its name, the rest load.
                self._malformed[label] = f"model {label!r}: its manifest entry is malformed ({describe_exception(exc)})"
                continue
            cards[card.name] = card
        return cards

    def malformed(self) -> dict[str, str]:
        """Manifest entries that could not be read: {name (or "entry N"): the problem, naming it}."""
        self.cards()
        return dict(self._malformed)

    def card(self, name: str) -> ModelCard:
        cards = self.cards()
        if name in self._malformed:
            raise ModelLoadError(name, self._malformed[name])
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
        if not statuses:  # the files are the ones recorded: does the card's config fit them?
            config = self.config_problems(card)
            if config:
                problems.extend(config)
                statuses.add(STATUS_CORRUPT)
        status = STATUS_MISSING if STATUS_MISSING in statuses else STATUS_CORRUPT if statuses else STATUS_OK
        return ModelStatus(card=card, status=status, problems=tuple(problems))

    def statuses(self) -> list[ModelStatus]:
        """Every card's status, malformed entries included (status "malformed", under their name)."""
        out = [self.status(name) for name in self.cards()]
        for label, problem in self._malformed.items():
            out.append(ModelStatus(ModelCard(name=label, kind="?", files=()), STATUS_MALFORMED, (problem,)))
        return out

    def config_problems(self, card: ModelCard) -> list[str]:
        """What is wrong with a card whose files are intact: a config that does not fit its weights (checked
        against the safetensors headers, without loading them), a missing tokenizer, a missing base model.
        Each line names the model."""
        try:
            from viz_app.core.card_checks import config_problems

            return [f"model {card.name!r}: {p}" for p in config_problems(self, card)]
        except ModelFileError as exc:
            return [str(exc)]
        except ValueError as exc:
            return [f"model {card.name!r}: {exc}"]
        except Exception as exc:  # noqa: BLE001 - a card the checks cannot read is itself a problem
            return [f"model {card.name!r}: its card cannot be checked ({describe_exception(exc)})"]

    def check_loadable(self, name: str) -> None:
        """Raise ModelFileError / ModelLoadError naming the model unless its files and card are usable."""
        card = self.card(name)
        for f in card.files:
            self.check_file(card, f)
        problems = self.config_problems(card)
        if problems:
            raise ModelLoadError(name, "; ".join(problems))

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
        """``loader(registry, name)`` builds the model the first time; later calls reuse it. A model that
        cannot be built raises an error that names it (:func:`load_model`)."""
        if name not in self._loaded:
            self._loaded[name] = load_model(self.registry, name, loader)
        return self._loaded[name]

    def names(self) -> list[str]:
        """The names of the models built so far."""
        return list(self._loaded)

    def peek(self, name: str):
        """The cached object, or None if it has not been built yet."""
        return self._loaded.get(name)

    def put(self, name: str, value) -> None:
        self._loaded[name] = value

    def clear(self) -> None:
        self._loaded.clear()


def load_model(registry: Registry, name: str, loader):
    """``loader(registry, name)``, with any failure turned into an error that names the model. A bundled
    card is checked first (files and config); an unknown name stays an UnknownModelError."""
    try:
        cards = registry.cards()
    except RegistryError:
        cards = {}
    if name in cards or name in registry._malformed:
        registry.check_loadable(name)
    try:
        return loader(registry, name)
    except (ModelFileError, ModelLoadError, UnknownModelError, RegistryError):
        raise
    except Exception as exc:  # noqa: BLE001 - every load error names the model
        if name not in cards:
            raise  # not a bundled model (a folder): the loader's own message says what is wrong
        raise ModelLoadError(name, f"cannot be loaded ({describe_exception(exc)})") from exc


def describe_exception(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _parse_card(entry, root: Path) -> ModelCard:
    if not isinstance(entry, dict):
        raise TypeError("not a JSON object")
    if not isinstance(entry.get("files"), list):
        raise TypeError('"files" is not a list')
    files = []
    for f in entry["files"]:
        if not isinstance(f, dict):
            raise TypeError("a file entry is not a JSON object")
        size = f["bytes"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"bytes {size!r} is not a size")
        path, sha = f["path"], f["sha256"]
        if not isinstance(path, str) or not isinstance(sha, str):
            raise TypeError("path and sha256 must be strings")
        files.append(ModelFile(path=_inside(path, root), sha256=sha.lower(), bytes=size))
    name, kind = entry["name"], entry["kind"]
    if not isinstance(name, str) or not name or not isinstance(kind, str):
        raise TypeError("name and kind must be strings")
    parameters = entry.get("parameters", 0)
    if isinstance(parameters, bool) or not isinstance(parameters, int):
        raise TypeError(f"parameters {parameters!r} is not a whole number")
    metrics = entry.get("metrics", {})
    if not isinstance(metrics, dict):
        raise TypeError('"metrics" is not a JSON object')
    return ModelCard(
        name=name,
        kind=kind,
        files=tuple(files),
        description=str(entry.get("description", "")),
        parameters=parameters,
        training_data=str(entry.get("training_data", "")),
        license=str(entry.get("license", "")),
        training_command=str(entry.get("training_command", "")),
        metrics=dict(metrics),
        extra={k: v for k, v in entry.items() if k not in _KNOWN_KEYS},
    )


def _inside(path: str, root: Path) -> str:
    """A manifest path, refused unless it stays inside the models folder (no absolute path, no "..")."""
    from pathlib import PurePosixPath, PureWindowsPath

    if not path or "\x00" in path:
        raise ValueError(f"file path {path!r} is empty or holds NUL")
    posix, windows = PurePosixPath(path), PureWindowsPath(path)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in posix.parts or ".." in windows.parts:
        raise ValueError(f"file path {path!r} leaves the models folder")
    root = Path(root).resolve()
    if not (root / path).resolve().is_relative_to(root):  # a symbolic link out of the folder
        raise ValueError(f"file path {path!r} leaves the models folder")
    return path


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
