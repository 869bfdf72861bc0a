"""Help > About the models: every bundled model's card (what it is, data, licence, size, metrics, command)."""

from __future__ import annotations

import json
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from viz_app.core.registry import ModelStatus, Registry, RegistryError
from viz_app.qt.i18n import tr


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _value(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, dict)):
        return escape(json.dumps(v, ensure_ascii=False))
    return escape(str(v))


def card_html(status: ModelStatus) -> str:
    """One model's card as HTML: the numbers are the manifest's, which the register scripts measured."""
    c = status.card
    size = sum(f.bytes for f in c.files)
    state = {"ok": tr("ok"), "missing": tr("missing"), "corrupt": tr("corrupt")}.get(status.status, status.status)
    rows = [
        (tr("Kind"), escape(c.kind)),
        (tr("Status"), escape(state) + "".join(f"<br>{escape(p)}" for p in status.problems)),
        (tr("Parameters"), f"{c.parameters:,}" if c.parameters else "–"),
        (
            tr("Size on disk"),
            (tr("{size} in 1 file") if len(c.files) == 1 else tr("{size} in {n} files")).format(
                size=_size(size), n=len(c.files)
            ),
        ),
        (tr("Stored as"), escape(str(c.extra.get("stored_as", "")) or "–")),
        (tr("Training data"), escape(c.training_data) or "–"),
        (tr("Licence"), escape(c.license) or "–"),
    ]
    if c.extra.get("device"):
        rows.append((tr("Trained on"), escape(str(c.extra["device"]))))
    if c.extra.get("training_seconds"):
        rows.append((tr("Training time"), tr("{s} s").format(s=c.extra["training_seconds"])))
    if c.extra.get("base"):
        rows.append((tr("Built on"), escape(str(c.extra["base"]))))
    table = "".join(f"<tr><td valign='top'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    metrics = "".join(f"<tr><td>{escape(str(k))}</td><td>{_value(v)}</td></tr>" for k, v in c.metrics.items())
    files = "".join(f"<li><code>{escape(f.path)}</code> ({_size(f.bytes)})</li>" for f in c.files)
    command = escape(c.training_command) if c.training_command else tr("(written by a script, no training)")
    measured, none, how, stored = tr("Measured"), tr("No metrics on this card."), tr("Training command"), tr("Files")
    return (
        f"<h2>{escape(c.name)}</h2><p>{escape(c.description)}</p>"
        f"<table cellspacing='4'>{table}</table>"
        f"<h3>{measured}</h3>"
        + (f"<table cellspacing='4'>{metrics}</table>" if metrics else f"<p>{none}</p>")
        + f"<h3>{how}</h3><pre style='white-space:pre-wrap'>{command}</pre>"
        f"<h3>{stored}</h3><ul>{files}</ul>"
    )


class AboutModelsDialog(QDialog):
    """A list of the bundled models on the left, the chosen model's card on the right."""

    def __init__(self, registry: Registry | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("aboutModels")
        self.setWindowTitle(tr("About the models"))
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("aboutModelsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Horizontal, self)
        self.list = QListWidget(splitter)
        self.list.setObjectName("aboutModelsList")
        self.card = QTextBrowser(splitter)
        self.card.setObjectName("aboutModelsCard")
        splitter.setSizes([240, 740])
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.copy_button = buttons.addButton(tr("Copy card as JSON"), QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_card)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(buttons)
        layout.addLayout(row)
        self.statuses: list[ModelStatus] = []
        try:
            registry = registry or Registry()
            self.statuses = registry.statuses()
        except RegistryError as exc:
            self.summary.setText(tr("The model manifest cannot be read: {error}").format(error=str(exc)))
            return
        total = sum({f.path: f.bytes for s in self.statuses for f in s.card.files}.values())  # shared files once
        broken = [s.card.name for s in self.statuses if s.status != "ok"]
        text = tr("{n} bundled models, {size} in all.").format(n=len(self.statuses), size=_size(total))
        if broken:
            text += " " + tr("Not usable: {names}.").format(names=", ".join(broken))
        self.summary.setText(text)
        for s in self.statuses:
            item = QListWidgetItem(s.card.name if s.status == "ok" else f"{s.card.name} ({s.status})")
            item.setData(Qt.UserRole, s.card.name)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._show)
        if self.statuses:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.statuses):
            self.card.setHtml(card_html(self.statuses[row]))

    def select(self, name: str) -> bool:
        for row, s in enumerate(self.statuses):
            if s.card.name == name:
                self.list.setCurrentRow(row)
                return True
        return False

    def copy_card(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.statuses):
            QApplication.clipboard().setText(json.dumps(self.statuses[row].to_json(), indent=2, ensure_ascii=False))
