"""The main window's status bar and progress bar, fed by the inference service; the Device menu's choices."""

from __future__ import annotations

from viz_app.core import devices
from viz_app.qt.i18n import tr, tr_core


class StatusMixin:
    """Part of ``MainWindow`` (viz_app.qt.main_window): its methods use the window's own widgets."""

    def _on_started(self, channel: str, _request_id: int, label: str) -> None:
        """The status bar names the model of what is on screen (``_on_view_shown``), not of a job that has
        only started."""

    def _on_progress(self, channel: str, _request_id: int, progress) -> None:
        if not self._belongs(channel, self.current_lesson_id):
            return  # another lesson's job (a training left running): its lesson shows it when opened
        self.progress.show()
        self.cancel_button.show()
        self._progress_channel = channel
        if progress.fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.fraction * 1000))
        if progress.message:
            self.statusBar().showMessage(tr_core(progress.message))
            self._message_channel = channel

    def _hide_progress(self, channel: str | None = None) -> None:
        """Hide the progress bar (only if it belongs to ``channel``, when one is given)."""
        if channel is not None and channel != getattr(self, "_progress_channel", None):
            return
        self.progress.hide()
        self.cancel_button.hide()
        self._progress_channel = None

    def _cancel_current(self) -> None:
        channel = getattr(self, "_progress_channel", None)
        if channel:
            self.service.cancel(channel)
        self._hide_progress(channel)
        self._message_channel = None
        self.statusBar().showMessage(tr("Cancelled."), 5000)

    def _job_over(self, channel: str) -> None:
        self._hide_progress(channel)
        if channel == self._message_channel:  # its last step's message would outlive it
            self.statusBar().clearMessage()
            self._message_channel = None

    def _on_result(self, channel: str, _request_id: int, _value, _elapsed_s: float) -> None:
        self._job_over(channel)

    def _on_failed(self, channel: str, _request_id: int, _message: str) -> None:
        self._job_over(channel)
        if channel == self.current_lesson_id:
            self._render_status()

    def _on_view_shown(self, view) -> None:
        if view is self.current_view():
            self._render_status()

    def _render_status(self) -> None:
        """Model, device and time of what the current lesson shows: the model and device that computed the
        result on screen (a result computed by BERT says BERT, a job rerun on the CPU says CPU)."""
        view = self.current_view()
        shown = view is not None and view.result is not None and view.shown_model
        model = view.shown_model if shown else (view.model_label() if view is not None else "–")
        self.status_model.setText(tr("Model: {name}").format(name=model or "–"))
        if self._device_note:
            device = self._device_note
        else:
            device = tr_core(
                devices.describe(view.shown_device if shown and view.shown_device else self.service.device)
            )
            if self.service.choice == devices.AUTO:
                device = tr("{device} (auto)").format(device=device)
        self.status_device.setText(tr("Device: {name}").format(name=device))
        failed = view is not None and view.error_banner.text() and view.last_request_drawn != view.request_id
        if failed:
            time_text = tr("failed")
        elif view is not None and view.result is not None and view.last_elapsed_s is not None:
            time_text = f"{view.last_elapsed_s * 1000:.1f} ms"
        else:
            time_text = "–"
        self.status_time.setText(tr("Last inference: {time}").format(time=time_text))

    def _on_devices_found(self, available: list[str]) -> None:
        self._available = list(available)
        for choice in (devices.CUDA, devices.MPS):
            if choice in available:
                self._add_device_action(choice)
            elif choice in self.device_actions and not self.device_actions[choice].isChecked():
                action = self.device_actions.pop(choice)
                self.device_group.removeAction(action)
                self.device_menu.removeAction(action)
        if self.service.choice not in available and self.service.choice != devices.AUTO:
            self.statusBar().showMessage(
                tr("{device} is not available on this machine; using the CPU.").format(
                    device=tr_core(devices.LABELS[self.service.choice])
                ),
                15000,
            )

    def _on_device_changed(self, _device: str) -> None:
        self._device_note = ""
        self._render_status()

    def probe_devices(self) -> None:
        """Load torch on the worker and look for a GPU (after the first paint)."""
        self._device_note = tr("CPU (checking for a GPU…)")
        self._render_status()
        self.service.probe_devices()

    def choose_device(self, choice: str) -> None:
        """Device menu: later jobs run there, and the lesson on screen is computed again there, so that the
        status bar's device is the one that computed what is shown."""
        self.settings.set("device", choice)
        before = self.service.device
        self.service.set_device(choice)
        view = self.current_view()
        if view is not None and self.service.device != before and view.result is not None:
            view.refresh()
