"""The LSTM lesson through its real widgets."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def view(open_lesson):
    return open_lesson("lstm", "once upon a time there was a little girl named lily. she loved her zqxy dog.")


def test_gate_maps_follow_the_words(view):
    assert not view.error_banner.isVisible(), view.error_banner.text()
    gates = view.result[0]
    assert gates.tokens[0] == "<start>" and "<unk>" in gates.tokens
    assert "zqxy" in view.notice.text()
    heat = view.maps["f"]
    assert heat.matrix.shape == (64, len(gates.tokens))
    unit = int(view._rows[3])
    assert np.allclose(heat.matrix[3], gates.gates["f"][:, unit])


def test_clicking_a_cell_shows_its_equation(qtbot, view):
    gates = view.result[0]
    view._cell_clicked(view.maps["c"], 5, 4)
    unit = int(view._rows[5])
    assert view.unit_select.value() == unit
    c = gates.gates["c"][4, unit]
    assert f"{c:.3f}" in view.equation.text() and "Step 4" in view.equation.text()
    xs, ys = view.unit_curves["f"].getData()
    assert np.allclose(ys, gates.gates["f"][:, unit])


def test_chain_rule_and_next_word(qtbot, view):
    lstm = view.result[1]
    view.tabs.setCurrentIndex(1)  # tabs are drawn when opened
    assert view.chain_table.rowCount() == len(lstm.tokens)
    assert view.chain_table.cell_text(len(lstm.tokens) - 1, 0) == "<end>"
    assert "perplexity" in view.chain_summary.text()
    view.tabs.setCurrentIndex(2)
    assert view.next_table.rowCount() == 10
    data = view.export_json()
    assert data["lstm"]["tokens"] == len(lstm.tokens)


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "我愛你", "word " * 300])
def test_odd_input(open_lesson, text):
    v = open_lesson("lstm", text)
    assert not v.error_banner.isVisible(), v.error_banner.text()
    if len(text.split()) > 100:
        assert "cut" in v.notice.text()


def test_generation_streams_words_and_gates(qtbot, view):
    view.tabs.setCurrentIndex(2)
    view.max_words.setValue(8)
    view.seed.setValue(4)
    qtbot.mouseClick(view.generate_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.generate_button.isEnabled(), timeout=30000)
    assert "each new word with its probability" in view.generated.text()
    assert len(view._gates.tokens) > len(view.result[0].tokens)  # the maps followed the generated words


def test_bidirectional_states(view):
    both = view.result[4]
    view.tabs.setCurrentIndex(3)
    assert both.forward.shape == both.backward.shape and both.forward.shape[0] == len(both.tokens)
    assert view.forward_map.matrix.shape[1] == len(both.tokens)
    # The backward state at the last word has seen only that word; the forward one has seen them all.
    assert not np.allclose(both.forward[-1], both.backward[-1])


@pytest.mark.parametrize("tab", [0, 1, 2, 3])
def test_export_each_tab(view, tmp_path, tab):
    view.tabs.setCurrentIndex(tab)
    for name in ("tab.png", "tab.svg", "tab.csv"):
        view.export(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 100
    header = (tmp_path / "tab.csv").read_text().splitlines()[0]
    assert header.split(",")[0] in ("gate", "token", "next_word", "direction")


def test_clicking_a_step_lists_its_vectors(view):
    gates = view.result[0]
    view._cell_clicked(view.maps["i"], 0, 3)
    assert view.step_table.rowCount() == len(view._rows)
    unit = int(view._rows[0])
    assert view.step_table.cell_text(0, 0) == str(unit)
    assert view.step_table.cell_text(0, 1) == f"{gates.gates['i'][3, unit]:.3f}"
