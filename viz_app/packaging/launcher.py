"""The frozen program's entry script: PyInstaller runs this file as ``__main__`` in the bundle.

It does what the ``viz-app`` command does (``viz_app.cli.main``), with two things first:

* ``multiprocessing.freeze_support()``: t-SNE and UMAP run in a child process started with "spawn";
  in a bundle that child is this same program, and this call turns it into the worker at once, before
  anything heavy is imported (``viz_app.cli.main`` calls it too, which is then a no-op);
* on Windows, ``import torch`` before anything imports Qt: torch's Windows builds fail to load their
  DLLs when Qt's were loaded first (pytorch issue 166628). On Linux and macOS torch stays a lazy import,
  loaded on the worker thread after the window has painted, so the window opens as fast as from source.
"""

import multiprocessing
import sys


def run() -> int:
    multiprocessing.freeze_support()
    if sys.platform == "win32":
        import torch  # noqa: F401 - load torch's DLLs before Qt's

    from viz_app.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
