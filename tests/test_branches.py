"""Probability-coloured text that branches: each step's numbers are the model's, a fork keeps its parent's
tokens up to the fork, and the GPT lesson's tab draws, forks and exports the tree."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from viz_app.core.jobs import JobContext, Request, finish
from viz_app.core.lm import branches, probes
from viz_app.core.registry import ModelStore

PROMPT = "once upon a time"


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


def test_typed_text_is_scored_as_the_score_command_scores_it(ctx):
    text = "the cat sat on the mat and the dog ran away"
    b = branches.typed_job(ctx, "gpt-tiny", text)
    scored = probes.score(ctx.models.get("gpt-tiny", probes.load), text)
    assert [s.text for s in b.steps] == scored["tokens"][: len(b.steps)]
    np.testing.assert_allclose([s.prob for s in b.steps], scored["probs"][: len(b.steps)], rtol=1e-4)
    assert all(s.forced for s in b.steps) and b.method == "typed"
    for s in b.steps:
        assert 0.0 <= s.entropy <= math.log2(ctx.models.get("gpt-tiny", probes.load).vocab_size) + 1e-9
        assert s.top[0][2] >= s.top[-1][2]


def test_greedy_takes_the_likeliest_and_generate_agrees(ctx):
    b = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 15, "greedy"))
    assert all(s.token_id == s.top[0][0] for s in b.steps)
    lm = ctx.models.get("gpt-tiny", probes.load)
    same = list(probes.generate(lm, PROMPT, 15, probes.Sampling(1.0, 1), 0))
    assert [s.token_id for s in b.steps] == [t.token_id for t in same]
    assert json.loads(json.dumps(b.to_json()))["steps"][0]["token"] == b.steps[0].text


def test_a_fork_keeps_the_prefix_and_takes_the_other_token(ctx):
    parent = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 12, "greedy"))
    step = 4
    other = parent.steps[step].top[1][0]
    forced = tuple(s.token_id for s in parent.steps[:step]) + (other,)
    child = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, forced, 10, "greedy"))
    assert [s.token_id for s in child.steps[:step]] == [s.token_id for s in parent.steps[:step]]
    assert child.steps[step].token_id == other and child.steps[step].forced
    assert child.steps[step].prob == pytest.approx(parent.steps[step].top[1][2], rel=1e-5)
    assert child.text != parent.text


def test_sampling_is_seeded_and_beam_scores_at_least_as_well_as_greedy(ctx):
    s = probes.Sampling(1.0, 40)
    a = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 20, "sample", s, 3))
    b = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 20, "sample", s, 3))
    assert a.text == b.text
    greedy = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 8, "greedy"))
    beam = finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 8, "beam"))
    total = lambda br: sum(math.log(x.prob) for x in br.steps)  # noqa: E731
    assert total(beam) >= total(greedy) - 1e-9
    with pytest.raises(ValueError):
        finish(branches.branch_job(ctx, "gpt-tiny", PROMPT, (), 5, "nucleus"))
    with pytest.raises(ValueError):
        branches.typed_job(ctx, "gpt-tiny", "   ")


def test_the_tab_colours_forks_and_exports(open_lesson, qtbot, tmp_path):
    view = open_lesson("gpt", PROMPT)
    view.select_tab("Branching text")
    panel = view.branches_panel
    qtbot.waitUntil(lambda: len(panel.nodes) == 1, timeout=30000)
    assert panel.nodes[0].branch.method == "typed"
    panel.max_new.setValue(8)
    panel.all_three.click()
    qtbot.waitUntil(lambda: len(panel.nodes) == 4, timeout=60000)
    assert sorted(n.branch.method for n in panel.nodes[1:]) == ["beam", "greedy", "sample"]
    greedy = next(i for i, n in enumerate(panel.nodes) if n.branch.method == "greedy")
    panel.show_node(greedy)
    html = panel.text.toHtml()
    assert html.count('href="t:') == 8
    panel.show_alternatives(2)
    assert "Step 3" in panel.alt_caption.text()
    assert "entropy" in panel.text.tip(2)
    panel._fork(1)  # the second likeliest token at step 3
    qtbot.waitUntil(lambda: len(panel.nodes) == 5, timeout=30000)
    child = panel.nodes[4]
    assert child.parent == greedy and child.fork == 2
    assert child.branch.steps[2].token_id == panel.nodes[greedy].branch.steps[2].top[1][0]
    assert panel.items[4].parent() is panel.items[greedy]
    data = view.export_json()
    assert len(data["branches"]) == 5 and data["branches"][4]["parent"] == greedy
    rows = view.tab_csv_rows(view.result)
    assert rows[0][0] == "branch" and len(rows) == 1 + sum(len(n.branch.steps) for n in panel.nodes)
    view.set_text(PROMPT + " there")  # a new text: a new tree
    qtbot.waitUntil(lambda: len(panel.nodes) == 1 and panel.nodes[0].branch.text.endswith("there"), timeout=30000)


def test_the_lstm_chain_rule_colours_the_typed_text(open_lesson, qtbot):
    view = open_lesson("lstm", "once upon a time there was a little girl")
    view.select_tab("Chain rule")
    qtbot.waitUntil(lambda: view.result.lstm is not None and len(view.chain_text.steps) > 0, timeout=30000)
    lstm = view.result.lstm
    assert [s.text for s in view.chain_text.steps] == list(lstm.tokens)
    assert [s.prob for s in view.chain_text.steps] == list(lstm.probs)
    assert len(lstm.entropies) == len(lstm.tokens) and all(h >= 0 for h in lstm.entropies)
    assert view.chain_text.toHtml().count('href="t:') == len(lstm.tokens)
    view.chain_text.tokenClicked.emit(2)
    assert view.chain_table.currentRow() == 2
