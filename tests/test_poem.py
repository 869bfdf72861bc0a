"""Poems in a form from the character GPT (viz_app.core.lm.poem) and ``viz-app generate --form / --acrostic``:
a tiny randomly initialised GPT and a character tokenizer trained on a few poems (no bundled model needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from viz_app import cli
from viz_app.core.lm import poem, poem_forms, probes, tang
from viz_app.core.lm.model import LMConfig, TinyLM

POEMS = [
    "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    "春眠不覺曉，處處聞啼鳥。夜來風雨聲，花落知多少。",
    "白日依山盡，黃河入海流。欲窮千里目，更上一層樓。",
    "朝辭白帝彩雲間，千里江陵一日還。兩岸猿聲啼不住，輕舟已過萬重山。",
    "國破山河在，城春草木深。感時花濺淚，恨別鳥驚心。烽火連三月，家書抵萬金。白頭搔更短，渾欲不勝簪。",
    "秋風秋雨冬夜長，夏日春江水自流。",
]
ACROSTIC_8 = "春夏秋冬山河日夜"


@pytest.fixture(scope="module")
def tok():
    return tang.CharTokenizer.train(POEMS, min_count=1)


def tiny_model(tok, max_len: int = 80) -> TinyLM:
    torch.manual_seed(0)
    config = LMConfig(vocab=len(tok), causal=True, d_model=32, heads=2, layers=1, d_ff=64, dropout=0.0, max_len=max_len)
    return TinyLM(config).eval()


@pytest.fixture(scope="module")
def lm(tok):
    return probes.OwnModel("tiny-tang", tiny_model(tok), tok)


def permitted_ids(tok, form: poem.Form, position: int, acrostic: str = "") -> set[int]:
    """What the form allows, written out independently of poem.PoemPlan.permitted."""
    if position == form.length:
        return {tok.sep}
    line, column = divmod(position, form.chars + 1)
    if column == form.chars:
        return {tok.index["，" if line % 2 == 0 else "。"]}
    if acrostic and column == 0:
        return {tok.index[acrostic[line]]}
    return {i for i, t in enumerate(tok.tokens) if i >= 5 and t not in tang.LINE_ENDS}


@pytest.mark.parametrize("name", ["5x4", "7x4", "5x8", "7x8"])
def test_every_form_has_its_line_lengths_and_marks(lm, name):
    form = poem.FORMS[name]
    out = poem.generate(lm, name, seed=3)
    assert out.complete and out.form == name and out.title == form.title
    assert len(out.lines) == form.lines
    for i, line in enumerate(out.lines, 1):
        assert len(line) == form.chars + 1
        assert line[-1] == ("，" if i % 2 else "。")
        assert all(poem.is_hanzi(ch) for ch in line[:-1])
    assert out.text == "".join(out.lines) and len(out.text) == form.length
    assert [s.slot for s in out.steps][-1] == "end" and out.steps[-1].text == "[SEP]"
    assert len(out.steps) == form.length + 1
    assert poem.check_form(out.text, name).ok and poem.form_of(out.text) == name


def test_acrostic_lines_start_with_the_given_characters(lm):
    out = poem.generate(lm, "5x4", acrostic="春夏秋冬", seed=1)
    assert [line[0] for line in out.lines] == list("春夏秋冬") and out.acrostic == "春夏秋冬"
    out = poem.generate(lm, "7x8", acrostic=ACROSTIC_8, seed=2)
    assert "".join(line[0] for line in out.lines) == ACROSTIC_8
    first = [s for s in out.steps if s.slot == "character" and s.position % 8 == 0]
    assert len(first) == 8 and all(s.forced and s.permitted == 1 and s.prob == 1.0 for s in first)


def test_a_prompt_is_the_poem_start(lm):
    out = poem.generate(lm, "5x4", "床前", seed=1)
    assert out.text.startswith("床前") and out.steps[0].position == 2 and len(out.steps) == 24 - 2 + 1
    across = poem.generate(lm, "5x4", "床前明月光，疑", seed=1)
    assert across.text.startswith("床前明月光，疑") and across.lines[0] == "床前明月光，"
    whole = poem.generate(lm, "5x4", POEMS[0], seed=1)  # a whole poem: only its end is left
    assert whole.text == POEMS[0] and [s.slot for s in whole.steps] == ["end"] and whole.complete
    spaced = poem.generate(lm, "5x4", " 床 前 ", seed=1)
    assert spaced.text == out.text
    with_acrostic = poem.generate(lm, "5x4", "床前明月光，疑", "床疑舉低", seed=4)
    assert [line[0] for line in with_acrostic.lines] == list("床疑舉低")


def test_same_seed_same_poem_and_other_seeds_differ(lm):
    a = poem.generate(lm, "7x4", seed=1, sampling=probes.Sampling(0.9, 20, 0.95))
    b = poem.generate(lm, "7x4", seed=1, sampling=probes.Sampling(0.9, 20, 0.95))
    assert a == b
    others = {poem.generate(lm, "7x4", seed=s).text for s in range(2, 6)}
    assert len(others | {a.text}) > 1


def test_allowed_flags_mark_exactly_the_permitted_tokens(lm, tok):
    form = poem.FORMS["5x4"]
    for sampling in (probes.Sampling(), probes.Sampling(1.0, 3, 1.0)):
        out = poem.generate(lm, form, "", "春夏秋冬", sampling, seed=5, top=len(tok))  # every token a row
        for step in out.steps:
            want = permitted_ids(tok, form, step.position, "春夏秋冬")
            rows = {tok.index[r.token]: r for r in step.top}
            assert len(rows) == len(tok)
            assert {i for i, r in rows.items() if r.form_allowed} == want
            assert step.permitted == len(want) and step.forced == (len(want) == 1)
            picked = {i for i, r in rows.items() if r.allowed}
            assert picked <= want and step.candidates == len(picked)
            if sampling.top_k:
                assert len(picked) == min(3, len(want))
            else:
                assert picked == want
            assert all(r.sampling_prob == 0.0 for i, r in rows.items() if i not in picked)
            assert sum(r.sampling_prob for r in rows.values()) == pytest.approx(1.0)
            assert step.removed_mass == pytest.approx(sum(r.prob for i, r in rows.items() if i not in want))
            assert [r.chosen for r in step.top].count(True) == 1 and rows[step.token_id].chosen
            assert step.token_id in picked


def test_the_constraint_renormalises_the_model_over_what_the_form_permits(lm, tok):
    out = poem.generate(lm, "5x4", "床前", seed=0)
    for step in out.steps:
        assert 0.0 <= step.removed_mass < 1.0
        assert step.prob == pytest.approx(1.0 if step.forced else step.model_prob / (1 - step.removed_mass))
    # The first step's rows are the model's own likeliest tokens after [SEP] 床前, in order.
    logits = lm.forward([tok.sep, tok.index["床"], tok.index["前"]]).logits[-1]
    probs = probes.softmax(logits)
    shown = [tok.index[r.token] for r in out.steps[0].top[: poem.SHOWN_ROWS]]
    assert shown == list(np.argsort(-logits, kind="stable")[: poem.SHOWN_ROWS])
    assert [r.prob for r in out.steps[0].top[: poem.SHOWN_ROWS]] == pytest.approx(probs[shown].tolist())


def test_a_model_with_a_short_context_still_writes_a_whole_regulated_verse(tok):
    short = probes.OwnModel("short", tiny_model(tok, max_len=16), tok)
    out = poem.generate(short, "7x8", seed=0)
    assert out.complete and poem.check_form(out.text, "7x8").ok


@pytest.mark.parametrize(
    ("form", "prompt", "acrostic", "fragment"),
    [
        ("5x4", "", "春夏秋", "has 4 lines: give the acrostic 4 characters"),
        ("5x8", "", "春夏秋冬", "has 8 lines: give the acrostic 8 characters"),
        ("5x4", "", "春夏秋鑫", "the acrostic has characters tiny-tang does not know: “鑫”"),
        ("5x4", "", "春夏秋😀", "the acrostic takes Chinese characters only, not “😀”"),
        ("5x4", "", "春，秋冬", "Chinese characters only, not “，”"),
        ("5x4", "床前😀", "", "the prompt has characters tiny-tang does not know: “😀”"),
        ("5x4", "床前abc", "", "“a” “b” “c”"),
        (
            "5x4",
            POEMS[0] + "床",
            "",
            "the prompt is longer than a 五言絕句 (5x4: 24 characters and marks, the prompt 25)",
        ),
        ("5x4", POEMS[4], "", "the prompt is longer"),
        ("5x4", "床前，", "", "line 1 of a 五言絕句 has 5 characters before its “，”; the prompt puts “，” after 2"),
        ("5x4", "床前明月光。", "", "line 1 of a 五言絕句 ends after 5 characters with “，”, not “。”"),
        ("7x4", "床前明月光，", "", "line 1 of a 七言絕句 has 7 characters"),
        ("5x4", "床前明月光疑", "", "ends after 5 characters with “，”, not “疑”"),
        ("5x4", "床", "春夏秋冬", "the acrostic starts line 1 with “春”, but the prompt starts it with “床”"),
        ("9x4", "", "", "unknown form “9x4”"),
    ],
)
def test_bad_requests_are_clear_value_errors(lm, form, prompt, acrostic, fragment):
    with pytest.raises(ValueError) as err:
        poem.plan(lm, form, prompt, acrostic)
    assert fragment in str(err.value)


def test_forms_by_name_and_settings_checked(lm):
    assert poem.get_form("五言律詩") is poem.FORMS["5x8"] and poem.get_form("7X4") is poem.FORMS["7x4"]
    assert poem_forms.form_for(7, 8) is poem.FORMS["7x8"]
    with pytest.raises(ValueError, match="unknown form “6x4”"):
        poem_forms.form_for(6, 4)
    assert poem.FORMS["5x4"].pattern() == "○○○○○，○○○○○。○○○○○，○○○○○。"
    request = poem.plan(lm, "5x4")
    with pytest.raises(ValueError, match="seed"):
        poem.stream(lm, request, None, -1)
    with pytest.raises(ValueError, match="temperature"):
        poem.stream(lm, request, probes.Sampling(temperature=0), 0)


def test_only_a_character_gpt_writes_poems(lm, tok):
    torch.manual_seed(0)
    bert = probes.OwnModel("tiny-bert", TinyLM(LMConfig(vocab=len(tok), causal=False, d_model=16, heads=2, layers=1,
                                                        d_ff=32, max_len=40)), tok)  # fmt: skip
    with pytest.raises(ValueError, match="use a GPT"):
        poem.plan(bert, "5x4")

    class WordPieceLike:
        kind = "wordpiece"

    other = probes.OwnModel("gpt-words", lm.model, tok)
    other.tok = WordPieceLike()
    with pytest.raises(ValueError, match="character-level GPT such as gpt-tang"):
        poem.plan(other, "5x4")


def test_check_form_on_real_and_broken_poems():
    assert poem.form_of(POEMS[0]) == "5x4" and poem.form_of(POEMS[3]) == "7x4" and poem.form_of(POEMS[4]) == "5x8"
    assert poem.form_of(POEMS[5]) is None  # two 7-character lines only
    c = poem.check_form(POEMS[5], "7x4")
    assert c.line_lengths and c.punctuation and not c.line_count and not c.ok
    swapped = POEMS[0].replace("，", "?").replace("。", "，").replace("?", "。")
    c = poem.check_form(swapped, "5x4")
    assert c.line_lengths and not c.punctuation and not c.ok
    tokens = list(POEMS[0])
    tokens[2] = "[UNK]"
    c = poem.check_form(tokens, "5x4")
    assert c.line_lengths and not c.characters and not c.ok
    assert not poem.check_form(POEMS[0] + "床前", "5x4").ok  # it goes on past the form
    counts = poem_forms.line_end_counts(POEMS[:5] + [swapped])
    assert counts["odd_lines"] == {"，": 12, "。": 2} and counts["share_following_rule"] == pytest.approx(5 / 6)


class ScriptedGPT(probes.LanguageModel):
    """A 'model' that always writes the same poem and then ends: free_form_share must count it as keeping the
    form every time."""

    def __init__(self, tok, script: str):
        self.name, self.kind, self.tok = "scripted", "gpt", tok
        self.max_len, self.layers, self.heads, self.vocab_size = 80, 1, 1, len(tok)
        self.mask_id, self.start_ids, self.end_ids, self.unk_id = None, [tok.sep], [], tok.unk
        self.script = [*tok.encode_as_text(script), tok.sep]

    def encode(self, text):
        return self.tok.encode_as_text(text)

    def token_text(self, token_id):
        return self.tok.plain(token_id)

    def end_of_text_ids(self):
        return [self.tok.sep]

    def forward(self, ids, segments=None):
        logits = np.zeros((len(ids), self.vocab_size))
        logits[-1, self.script[min(len(ids) - 1, len(self.script) - 1)]] = 30.0
        return probes.Forward(logits, [], [])


def test_free_form_share_counts_what_the_model_keeps_by_itself(lm, tok):
    perfect = poem.free_form_share(ScriptedGPT(tok, POEMS[0]), "5x4", samples=3)
    assert perfect.keeps_form == 3 and perfect.forms == {"5x4": 3} and perfect.to_json()["share_keeps_form"] == 1.0
    longer = poem.free_form_share(ScriptedGPT(tok, POEMS[4]), "5x4", samples=2)
    assert longer.keeps_form == 0 and longer.forms == {"5x8": 2} and longer.line_lengths == 2
    assert longer.to_json()["share_any_form"] == 1.0 and longer.to_json()["share_keeps_form"] == 0.0
    free = poem.free_form_share(lm, "5x4", samples=4)
    assert free.samples == 4 and sum(free.forms.values()) == 4 and free.seeds == (0, 1, 2, 3)
    assert 0 <= free.keeps_form <= min(free.line_lengths, free.punctuation, free.line_count)


def test_poem_jobs_stream_and_return_the_same_poem(lm):
    from viz_app.core import claims
    from viz_app.core.jobs import Progress

    ctx = claims.context()
    ctx.models.put("tiny-tang", lm)
    sampling = probes.Sampling(1.0, 10, 1.0)
    done = poem.poem_job(ctx, "tiny-tang", "春", "5x4", "春夏秋冬", sampling, 7)
    gen = poem.poem_stream_job(ctx, "tiny-tang", "春", "5x4", "春夏秋冬", sampling, 7)
    seen = []
    while True:
        try:
            seen.append(next(gen))
        except StopIteration as stop:
            final = stop.value
            break
    assert final == done and all(isinstance(p, Progress) for p in seen)
    assert len(seen) == len(done.steps) == 24 and seen[-1].fraction == 1.0
    assert all(p.data.text == done.text[: 1 + k + 1] for k, p in enumerate(seen[:-1]))
    data = done.to_json()
    assert data["form"] == "5x4" and data["acrostic"] == "春夏秋冬" and data["lines"] == list(done.lines)
    assert data["steps"] == [[s.text, s.prob] for s in done.steps]
    json.dumps(data, allow_nan=False)


# --- the command line ------------------------------------------------------------------------------------------


@pytest.fixture
def tang_models(tmp_path, monkeypatch, tok):
    """A resources folder with one bundled character GPT, "tiny-tang", that the CLI finds."""
    from safetensors.torch import save_file

    from viz_app.core.registry import register

    models = tmp_path / "resources" / "models"
    models.mkdir(parents=True)
    model = tiny_model(tok)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(models / "tiny-tang.safetensors"))
    tok.save(models / "tiny-tang.tokenizer.json")
    entry = {"name": "tiny-tang", "kind": "gpt", "tokenizer": "char", "model_config": model.config.to_json()}
    register(models, entry, [models / "tiny-tang.safetensors", models / "tiny-tang.tokenizer.json"])
    monkeypatch.setenv("VIZ_APP_RESOURCES", str(tmp_path / "resources"))
    return models


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_generates_a_poem_with_a_prompt_and_an_acrostic(tang_models, capsys, lm):
    code, out, err = run_cli(
        capsys, "generate", "床前", "--model", "tiny-tang", "--form", "5x4", "--seed", "1", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["text"] == poem.generate(lm, "5x4", "床前", seed=1).text  # the same poem as the core's
    assert data["form"] == "5x4" and data["acrostic"] is None and len(data["lines"]) == 4
    assert data["text"].startswith("床前") and poem.check_form(data["text"], "5x4").ok
    assert len(data["steps"]) == len(data["tokens"]) == 23 and data["steps"][-1][0] == "[SEP]"
    assert {"token", "prob", "sampling_prob", "allowed", "form_allowed"} <= set(data["tokens"][0]["top"][0])
    acrostic = ["--acrostic", "春夏秋冬", "--seed", "1", "--json"]
    code, out, err = run_cli(capsys, "generate", "", "--model", "tiny-tang", "--form", "5x4", *acrostic)
    assert code == 0, err
    data = json.loads(out)
    assert [line[0] for line in data["lines"]] == list("春夏秋冬") and data["acrostic"] == "春夏秋冬"
    assert data["text"] == "".join(data["lines"]) and data["text"].count("，") == 2 and data["text"].count("。") == 2
    code, out, _ = run_cli(capsys, "generate", "", "--model", "tiny-tang", "--form", "7x4", "--seed", "1")
    assert code == 0 and [len(line) for line in out.splitlines()] == [8, 8, 8, 8]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--form", "5x4", "--acrostic", "春夏"], "give the acrostic 4 characters"),
        (["--form", "5x4", "--acrostic", "春夏秋鑫"], "does not know: “鑫”"),
        (["--form", "6x4"], "unknown form"),
        (["--acrostic", "春夏秋冬"], "--acrostic needs --form"),
        (["--form", "5x4", "--seed", "-1"], "seed"),
        (["--form", "5x4", "--top-p", "0"], "top-p"),
        (["--form", "5x4", "--model", "bigram-tinystories"], "character-level GPT"),
    ],
)
def test_cli_bad_poem_requests_exit_2_with_one_line(tang_models, capsys, extra, fragment):
    argv = ["generate", "床前", "--model", "tiny-tang", *extra]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == "" and fragment in err and len(err.strip().splitlines()) == 1


def test_cli_bad_prompts_exit_2(tang_models, capsys):
    for prompt in ("床前😀", POEMS[0] + "床", "床前，"):
        code, _, err = run_cli(capsys, "generate", prompt, "--model", "tiny-tang", "--form", "5x4")
        assert code == 2 and err.startswith("viz-app: error: ") and len(err.strip().splitlines()) == 1


def test_cli_without_form_is_the_plain_generate(tang_models, capsys, lm):
    code, out, err = run_cli(capsys, "generate", "床前", "--model", "tiny-tang", "--max-new-tokens", "6", "--json")
    assert code == 0, err
    data = json.loads(out)
    steps = list(probes.generate(lm, "床前", 6, probes.Sampling(), 0))
    assert set(data) == {"text", "steps"} and data["text"] == probes.join_generated(lm, "床前", steps)
