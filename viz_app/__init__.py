"""viz_app: an offline desktop app for learning how language models work.

The package has two layers:

* ``viz_app.core`` is Qt-free: tokenisers, models, probes, the model registry,
  the job protocol the worker thread runs. The CLI and the tests call it directly.
* ``viz_app.qt`` is the thin Qt layer (PySide6 + pyqtgraph) that draws what the
  core computes.
"""

__version__ = "0.1.0"
