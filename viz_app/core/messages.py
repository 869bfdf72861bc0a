"""Messages the Qt-free core writes for the user (notes and input errors), translatable by the GUI.

``msg("at most {n} time steps", n=12)`` is the English text, a ``str`` like any other for the command
line and the tests, that also remembers its template and values. The Qt layer shows
``tr(template).format(**values)`` in the interface language (``viz_app.qt.i18n.tr_core``);
``python -m viz_app.qt.i18n`` finds every ``msg("...")`` template in the core for the translation file.
Templates are single string literals with ``{name}`` fields.
"""

from __future__ import annotations


class Message(str):
    """English text + the template and values it was made from."""

    template: str
    values: dict

    def __new__(cls, template: str, values: dict):
        self = super().__new__(cls, template.format(**values))
        self.template = template
        self.values = values
        return self

    def __reduce__(self):  # survives pickling (results cross to child processes)
        return (Message, (self.template, self.values))


def msg(template: str, **values) -> Message:
    return Message(template, values)


def user_text(exc: BaseException):
    """The exception's message, keeping a :class:`Message` as it is (``str(exc)`` would drop its template)."""
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, Message) else str(exc)
