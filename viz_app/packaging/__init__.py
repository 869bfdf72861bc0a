"""Building the desktop distribution: a one-folder PyInstaller bundle and, on Linux, a .deb.

* ``viz_app.packaging.build``: ``python -m viz_app.packaging.build [--deb] [--out DIR]``;
* ``viz-app.spec``: the PyInstaller spec (the same file on Linux, Windows and macOS);
* ``launcher.py``: the frozen program's entry script;
* ``make_icon``: draws ``resources/icons/viz-app.png`` (and the .ico and .icns) with QPainter.

Nothing here is imported by the app itself.
"""
