"""Guided tours: a JSON file of steps, each setting the lesson, the text, the model, the open tab and the
view's controls, with a caption for the class. Qt-free: the window plays the steps, the tests read them.

A tour file::

    {"title": "The lecture in 30 steps",
     "steps": [{"lesson": "bow", "text": "dog bites man\\nman bites dog",
                "caption": "Word order is lost", "caption_zh_TW": "詞序不見了",
                "model": null, "tab": 0, "controls": {"metric": "cosine"}}, ...]}

``lesson`` is required; ``text`` (the shared input; absent = the lesson's default text, see
:func:`viz_app.core.examples.default_text`, never what was typed before), ``model`` (a bundled model
the view should use), ``tab`` (index of the lesson's tab, or the start of its English title) and ``controls``
(``objectName`` of a control in the view -> its value) are optional. ``caption_<language>`` gives the caption
in another interface language. ``claims`` lists what the caption says the screen shows, checked against the
bundled models by the test suite (:mod:`viz_app.core.claims`); a step that makes no such claim says why in
``no_claim_reason``. Playing a step starts from the lesson's default controls and tab, so a step shows the
same screen whatever was shown or typed before it. Reading never raises anything but :class:`TourError`, whose message says
which step is wrong and why; a step naming an unknown lesson or a missing model is reported by
:func:`step_problem` so the player can skip it with a message instead of stopping the class.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from viz_app.core.files import atomic_write_text

FORMAT_VERSION = 1
MAX_STEPS = 1000
MAX_TOUR_BYTES = 5_000_000
MAX_DEPTH = 20  # a tour is a few levels deep: deeper nesting is refused before it is parsed
MAX_NUMBER = 1e12  # a control's value beyond this is no setting any view has


class TourError(ValueError):
    """The tour file cannot be used; the message is for the user."""


MAX_CHOICES = 10


@dataclass(frozen=True)
class Question:
    """A step that asks before it shows: the open tab is covered with a "?" and ``prompt`` is asked; the
    presenter's next key reveals the model's answer (and the step's caption), the one after moves on.
    ``choices`` > 0 first offers that many candidates taken from the model's own result (its top-k words,
    the source words, the heads), in an order that does not give the answer away."""

    prompt: str
    prompts: dict = field(default_factory=dict)  # language -> prompt
    choices: int = 0

    def prompt_in(self, language: str) -> str:
        return self.prompts.get(language) or self.prompt

    def to_json(self) -> dict:
        out: dict = {"prompt": self.prompt}
        out.update({f"prompt_{lang}": t for lang, t in sorted(self.prompts.items())})
        if self.choices:
            out["choices"] = self.choices
        return out


@dataclass
class Step:
    lesson: str
    caption: str = ""
    text: str | None = None
    model: str | None = None
    tab: int | str | None = None
    controls: dict = field(default_factory=dict)
    captions: dict = field(default_factory=dict)  # language -> caption
    claims: list = field(default_factory=list)  # what the caption says the screen shows (viz_app.core.claims)
    no_claim_reason: str = ""
    question: Question | None = None  # predict, then reveal: the answer stays hidden until the next key

    @property
    def shown_text(self) -> str:
        """The text the step shows: its own, else its lesson's default."""
        if self.text is not None:
            return self.text
        from viz_app.core.examples import default_text

        return default_text(self.lesson)

    def caption_in(self, language: str) -> str:
        return self.captions.get(language) or self.caption

    def to_json(self) -> dict:
        out: dict = {"lesson": self.lesson, "caption": self.caption}
        for language, text in sorted(self.captions.items()):
            out[f"caption_{language}"] = text
        if self.text is not None:
            out["text"] = self.text
        if self.model:
            out["model"] = self.model
        if self.tab is not None:
            out["tab"] = self.tab
        if self.controls:
            out["controls"] = self.controls
        if self.claims or self.no_claim_reason:
            out["claims"] = self.claims
        if self.no_claim_reason:
            out["no_claim_reason"] = self.no_claim_reason
        if self.question is not None:
            out["question"] = self.question.to_json()
        return out


@dataclass
class Tour:
    title: str = "My tour"
    steps: list[Step] = field(default_factory=list)
    titles: dict = field(default_factory=dict)  # language -> title

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.title

    def to_json(self) -> dict:
        out: dict = {"format": FORMAT_VERSION, "title": self.title}
        out.update({f"title_{lang}": t for lang, t in sorted(self.titles.items())})
        out["steps"] = [s.to_json() for s in self.steps]
        return out


def _step(raw, k: int) -> Step:
    where = f"step {k + 1}"
    if not isinstance(raw, dict):
        raise TourError(f"{where} is not an object")
    lesson = raw.get("lesson")
    if not isinstance(lesson, str) or not lesson:
        raise TourError(f'{where} has no "lesson"')
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise TourError(f'{where}: "text" must be a string')
    caption = raw.get("caption", "")
    if not isinstance(caption, str):
        raise TourError(f'{where}: "caption" must be a string')
    captions = {}
    for key, value in raw.items():
        if key.startswith("caption_"):
            if not isinstance(value, str):
                raise TourError(f'{where}: "{key}" must be a string')
            captions[key[len("caption_") :]] = value
    model = raw.get("model")
    if model is not None and not isinstance(model, str):
        raise TourError(f'{where}: "model" must be a model name')
    tab = raw.get("tab")
    if tab is not None and (isinstance(tab, bool) or not isinstance(tab, (int, str))):
        raise TourError(f'{where}: "tab" must be a tab number or title')
    controls = raw.get("controls", {})
    if not isinstance(controls, dict):
        raise TourError(f'{where}: "controls" must be an object')
    for name, value in controls.items():
        if not isinstance(value, (str, int, float, bool)):
            raise TourError(f'{where}: control "{name}" must be a number, text or true/false')
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise TourError(f'{where}: control "{name}" has a value out of range ({_short(value)})')
    if isinstance(tab, int) and not 0 <= tab < 100:
        raise TourError(f"{where}: there is no tab {_short(tab)}")
    claims = raw.get("claims", [])
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        raise TourError(f'{where}: "claims" must be a list of objects')
    reason = raw.get("no_claim_reason", "")
    if not isinstance(reason, str):
        raise TourError(f'{where}: "no_claim_reason" must be a string')
    question = _question(raw.get("question"), where)
    return Step(lesson, caption, text, model or None, tab, dict(controls), captions, list(claims), reason, question)


def _question(raw, where: str) -> Question | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise TourError(f'{where}: "question" must be an object with a "prompt"')
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise TourError(f'{where}: the question has no "prompt"')
    prompts = {}
    for key, value in raw.items():
        if key.startswith("prompt_"):
            if not isinstance(value, str):
                raise TourError(f'{where}: "question.{key}" must be a string')
            prompts[key[len("prompt_") :]] = value
    choices = raw.get("choices", 0)
    if isinstance(choices, bool) or not isinstance(choices, int) or not 0 <= choices <= MAX_CHOICES:
        raise TourError(f'{where}: "question.choices" must be a whole number from 0 to {MAX_CHOICES}')
    return Question(prompt, prompts, choices)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 20 else text[:8] + "…" + f" ({len(text)} characters)"


def _too_deep(text: str) -> bool:
    """Nesting deeper than MAX_DEPTH, counted outside strings (json would recurse on it)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _no_constant(name: str):
    raise TourError(f"{name} is not a number a tour can hold")


def parse(raw) -> Tour:
    if not isinstance(raw, dict):
        raise TourError("a tour file holds one JSON object")
    version = raw.get("format", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TourError('"format" must be a whole number (this version reads format 1)')
    if version > FORMAT_VERSION:
        raise TourError(f"this tour is in format {_short(version)}, made by a newer viz-app; this one reads format 1")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise TourError('a tour needs a non-empty "steps" list')
    if len(steps) > MAX_STEPS:
        raise TourError(f"a tour has at most {MAX_STEPS} steps")
    title = raw.get("title", "Tour")
    titles = {k[len("title_") :]: str(v) for k, v in raw.items() if k.startswith("title_") and isinstance(v, str)}
    return Tour(str(title) if title else "Tour", [_step(s, k) for k, s in enumerate(steps)], titles)


def load(path: str | Path) -> Tour:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_TOUR_BYTES:
            raise TourError(f"{p.name} is too large to be a tour")
        text = p.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows Notepad) is fine
        if _too_deep(text):
            raise TourError(f"{p.name} is nested too deeply to be a tour")
        raw = json.loads(text, parse_constant=_no_constant)
    except FileNotFoundError:
        raise TourError(f"{p} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TourError(f"{p} cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise TourError(f"{p.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits
        if isinstance(exc, TourError):
            raise
        raise TourError(f"{p.name} cannot be read as a tour: {str(exc)[:120]}") from None
    return parse(raw)


def save(tour: Tour, path: str | Path) -> None:
    """Written atomically: a crash mid-way leaves the old file, never half a tour."""
    atomic_write_text(Path(path), json.dumps(tour.to_json(), indent=2, ensure_ascii=False) + "\n")


def step_problem(step: Step, lesson_ids, model_names) -> str:
    """Why this step cannot be shown here ("" if it can): an unknown lesson or a model not bundled."""
    if step.lesson not in lesson_ids:
        return f'lesson "{step.lesson}" does not exist'
    if step.model and step.model not in model_names and not Path(step.model).is_dir():  # a folder: your own model
        return f'model "{step.model}" is not installed'
    return ""


BUNDLED_TOURS = ("lecture", "tang")  # resources/tours/NAME.json: the lecture's walk; 「AI 寫唐詩」 (Chinese)


def bundled_tour_path(name: str = "lecture") -> Path:
    from viz_app.core.resources import resources_dir

    return resources_dir() / "tours" / f"{name}.json"
