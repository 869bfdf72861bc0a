"""The main window's parts, mixins of ``MainWindow``: its menus, its status bar, presentation mode and the side
panels, and its tours, exports and Help dialogs."""
