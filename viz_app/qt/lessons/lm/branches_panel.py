"""The GPT lesson's "Branching text" tab: the typed text and every generated branch coloured by each token's
probability; click a token for the model's alternatives at that step, click one of those to fork; the branches
form a tree that can be walked, compared (mean log-probability per token) and saved.

The panel only draws and keeps the tree; the view sends the requests (``viz_app.core.lm.branches``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lm.branches import Branch
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars
from viz_app.qt.widgets.token_text import ProbabilityText, legend_html
from viz_app.qt.widgets.wrap_label import WrapLabel


@dataclass
class Node:
    branch: Branch
    parent: int | None  # index of the branch it forked from
    fork: int | None  # the step of the parent where it took another token


def method_name(method: str) -> str:
    return {"greedy": tr("greedy"), "sample": tr("sampling"), "beam": tr("beam search"), "typed": tr("typed text")}.get(
        method, method
    )


class BranchesPanel(QWidget):
    """``generateRequested(method)`` for the buttons; ``forkRequested(node, step, token_id)`` when an
    alternative is picked."""

    generateRequested = Signal(str)
    forkRequested = Signal(int, int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("branchesPanel")
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        self.buttons = {}
        for method, label in (("greedy", tr("Greedy")), ("sample", tr("Sample")), ("beam", tr("Beam search"))):
            b = QPushButton(label, self)
            b.setObjectName(f"branch_{method}")
            b.clicked.connect(lambda _c=False, m=method: self.generateRequested.emit(m))
            row.addWidget(b)
            self.buttons[method] = b
        self.all_three = QPushButton(tr("All three"), self)
        self.all_three.setObjectName("branchAllThree")
        self.all_three.setToolTip(tr("greedy, sampling and beam search from the same prompt, side by side in the tree"))
        self.all_three.clicked.connect(lambda: [self.generateRequested.emit(m) for m in ("greedy", "sample", "beam")])
        row.addWidget(self.all_three)
        row.addWidget(QLabel(tr("new tokens:"), self))
        self.max_new = QSpinBox(self)
        self.max_new.setObjectName("branchMaxNew")
        self.max_new.setRange(1, 200)
        self.max_new.setValue(20)
        row.addWidget(self.max_new)
        row.addStretch(1)
        self.clear_button = QPushButton(tr("Clear the tree"), self)
        self.clear_button.setObjectName("branchClear")
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.clear_button)
        col.addLayout(row)
        self.legend = WrapLabel(self, "branchLegend")
        self.legend.setText(legend_html())
        col.addWidget(self.legend)
        split = QSplitter(Qt.Horizontal, self)
        self.tree = QTreeWidget(split)
        self.tree.setObjectName("branchTree")
        self.tree.setHeaderLabels([tr("mean log p"), tr("branch")])
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        self.tree.header().setStretchLastSection(True)
        self.tree.currentItemChanged.connect(self._picked)
        split.addWidget(self.tree)
        right = QWidget(split)
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        self.text = ProbabilityText(right, "branchText")
        self.text.tokenClicked.connect(self.show_alternatives)
        right_col.addWidget(self.text, 1)
        self.alt_caption = WrapLabel(right, "branchAltCaption")
        right_col.addWidget(self.alt_caption)
        self.alternatives = ProbabilityBars(right, "branchAlternatives")
        self.alternatives.rowClicked.connect(self._fork)
        right_col.addWidget(self.alternatives, 1)
        split.addWidget(right)
        split.setSizes([420, 520])
        col.addWidget(split, 1)
        self.nodes: list[Node] = []
        self.items: list[QTreeWidgetItem] = []
        self.shown: int | None = None
        self.step: int | None = None
        self.alt_caption.setText(tr("Click a token of the text: the model's alternatives at that step appear here."))

    # --- the tree ----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.tree.clear()
        self.nodes, self.items, self.shown, self.step = [], [], None, None
        self.text.set_tokens("", ())
        self.alternatives.set_bars([], "")

    def set_typed(self, branch: Branch) -> None:
        """The typed text scored by the GPT: the tree's first row, replaced when the text changes (a new text:
        a new tree, the old branches grew from another prompt)."""
        if self.nodes and self.nodes[0].branch.method == "typed" and self.nodes[0].branch.text == branch.text:
            return
        self.clear()
        self.add(branch, None, None)

    def add(self, branch: Branch, parent: int | None, fork: int | None) -> int:
        index = len(self.nodes)
        self.nodes.append(Node(branch, parent, fork))
        item = QTreeWidgetItem([f"{branch.mean_logprob:.3f}", self._label(index)])
        item.setData(0, Qt.UserRole, index)
        item.setToolTip(1, branch.text)
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            self.items[parent].addChild(item)
            self.items[parent].setExpanded(True)
        self.items.append(item)
        self.tree.setCurrentItem(item)
        self.tree.resizeColumnToContents(0)
        return index

    def _label(self, index: int) -> str:
        node = self.nodes[index]
        b = node.branch
        tail = "".join((" " if s.space else "") + s.text for s in b.steps[-5:]).strip()
        if node.parent is None:
            head = method_name(b.method)
        else:
            parent = self.nodes[node.parent].branch
            head = tr("{method}, fork at {n}: “{old}” → “{new}”").format(
                method=method_name(b.method), n=node.fork + 1, old=parent.steps[node.fork].text,
                new=b.steps[node.fork].text,
            )  # fmt: skip
        return f"{head}: …{tail}"

    def _picked(self, item, _previous) -> None:
        if item is not None:
            self.show_node(int(item.data(0, Qt.UserRole)))

    def show_node(self, index: int) -> None:
        self.shown, self.step = index, None
        b = self.nodes[index].branch
        self.text.set_tokens(b.prompt, b.steps)
        self.alternatives.set_bars([], "")
        self.alt_caption.setText(
            tr("{method}: {n} tokens, mean log-probability {lp} per token. Click a token for its alternatives.").format(
                method=method_name(b.method), n=len(b.steps), lp=f"{b.mean_logprob:.3f}"
            )
        )

    def show_alternatives(self, step: int) -> None:
        if self.shown is None:
            return
        b = self.nodes[self.shown].branch
        self.step = step
        s = b.steps[step]
        self.text.set_tokens(b.prompt, b.steps, step)
        self.alternatives.set_bars(
            [Bar(t, p, None, tid == s.token_id, tr("click: fork here with “{token}”").format(token=t))
             for tid, t, p in s.top],
            tr("step {n}: the model's likeliest tokens (grey: the one taken)").format(n=step + 1),
        )  # fmt: skip
        self.alt_caption.setText(
            tr(
                "Step {n}: “<b>{token}</b>” had probability {p}; entropy {h} bits. Click another token below to fork: "
                "the new branch keeps the text up to here, takes that token and goes on ({method})."
            ).format(
                n=step + 1,
                token=escape(s.text),
                p=f"{s.prob:.3g}",
                h=f"{s.entropy:.2f}",
                method=method_name("greedy" if b.method == "typed" else b.method),
            )  # fmt: skip
        )

    def _fork(self, row: int) -> None:
        if self.shown is None or self.step is None:
            return
        s = self.nodes[self.shown].branch.steps[self.step]
        if row < len(s.top) and s.top[row][0] != s.token_id:
            self.forkRequested.emit(self.shown, self.step, s.top[row][0])

    def to_json(self) -> dict:
        return {"branches": [{**n.branch.to_json(), "parent": n.parent, "fork_step": n.fork} for n in self.nodes]}

    def json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)
