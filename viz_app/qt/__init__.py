"""The Qt layer: the only part of viz_app that imports PySide6 and pyqtgraph."""
