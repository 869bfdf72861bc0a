"""The Qt-free core. Nothing under this package may import PySide6 or pyqtgraph;
``tests/test_architecture.py`` proves it by importing the core with both blocked.
torch, where a probe needs it, is imported lazily inside that probe."""
