"""Starting the window, and rendering a lesson offscreen for ``viz-app screenshot``."""

from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger(__name__)
TORCH_PROBE_DELAY_MS = 300  # import torch on the worker once the window has painted


def _torch_first_on_windows() -> None:
    """torch's Windows builds (2.9 and later) fail to load their DLLs once Qt's are loaded (pytorch issue
    166628), so on Windows torch is imported before anything imports Qt. Elsewhere it stays a lazy import
    on the worker thread, after the window has painted."""
    if sys.platform == "win32":
        try:
            import torch  # noqa: F401
        except ImportError:  # the worker reports a missing torch where it is needed
            pass


def _application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        app.setApplicationName("viz-app")
        app.setOrganizationName("viz_app")
        from PySide6.QtGui import QIcon

        from viz_app.core.resources import resources_dir

        icon = resources_dir() / "icons" / "viz-app.png"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
        from viz_app.qt import fonts

        fonts.register(app)  # the bundled CJK font, where the system has none
    return app


def _setup_logging() -> None:
    """Log to ``viz-app.log`` in the config folder (a windowed app may have no console)."""
    from viz_app.core.settings import config_dir

    handlers: list[logging.Handler] = []
    try:
        folder = config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(folder / "viz-app.log", encoding="utf-8"))
    except OSError:
        pass
    if sys.stderr is not None:
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        handlers.append(console)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", handlers=handlers)


# Debian/Ubuntu packages whose names do not follow from the library's (libfoo-bar.so.4 -> libfoo-bar4).
_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0", "libGLX.so.0": "libglx0"}
EXIT_NO_DISPLAY = 2


def package_for(library: str) -> str:
    """The Debian/Ubuntu package that usually holds ``library`` ("libxcb-icccm.so.4" -> "libxcb-icccm4")."""
    if library in _PACKAGES:
        return _PACKAGES[library]
    base, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return base.lower()
    return (base + ("-" if base[-1:].isdigit() else "") + version).lower()


def xcb_plugin() -> str:
    """The path of the xcb platform plugin Qt would load, or "" when there is none to check."""
    folders = [os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")]
    folders += [os.path.join(p, "platforms") for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    try:
        import PySide6

        folders.append(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms"))
    except ImportError:
        pass
    for folder in folders:
        if folder and os.path.isfile(os.path.join(folder, "libqxcb.so")):
            return os.path.join(folder, "libqxcb.so")
    return ""


def missing_libraries(plugin: str) -> list[str]:
    """The shared libraries ``plugin`` needs that the system cannot find: all of them, as ``ldd`` lists
    them; without ``ldd``, the first one the dynamic loader names."""
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd:
        try:
            out = subprocess.run([ldd, plugin], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None:
            missing = []
            for line in out.splitlines():
                name, arrow, where = line.strip().partition("=>")
                if arrow and where.strip() == "not found" and name.strip() not in missing:
                    missing.append(name.strip())
            return missing
    import ctypes

    try:
        ctypes.CDLL(plugin)
    except OSError as exc:  # "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
        first = str(exc).split(":")[0].strip()
        return [os.path.basename(first)] if first and first != plugin else [str(exc)]
    return []


def platform_problem() -> str:
    """Why Qt's X11 platform (xcb) would abort on start, checked before Qt tries: the libraries its plugin
    lacks (Qt itself says only "xcb-cursor0 or libxcb-cursor0 is needed" and dumps core), or no display at
    all. "" when the window can open, or when Qt will use another platform (Wayland, offscreen, Windows,
    macOS)."""
    if not sys.platform.startswith("linux"):
        return ""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if platform and platform != "xcb":
        return ""
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return ""  # Qt tries Wayland first there
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin else []
    if missing:
        packages = " ".join(dict.fromkeys(package_for(m) for m in missing))
        return (
            f"viz-app cannot open its window: Qt's X11 platform plugin (xcb) needs {', '.join(missing)}, "
            f"which this system does not have.\n"
            f"On Debian or Ubuntu, install {'it' if len(missing) == 1 else 'them'} with:\n"
            f"    sudo apt-get install {packages}\n"
            'README.md, section "System libraries (Linux)", lists every library Qt needs.'
        )
    if not os.environ.get("DISPLAY"):
        return (
            "viz-app cannot open its window: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Run it from a desktop session, or render a lesson to a PNG without one: viz-app screenshot --help"
        )
    return ""


def run_gui(exit_after_paint: bool = False) -> int:
    """Open the main window and run the event loop until it closes. Exit status 2, with a message naming
    the missing library and the apt-get line, where Qt's X11 plugin cannot load."""
    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY
    _torch_first_on_windows()
    from PySide6.QtCore import QTimer

    _setup_logging()
    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    app = _application()
    from viz_app.qt.crash import CrashHandler

    crash_handler = CrashHandler().install()  # an uncaught error: logged, a dialog, the app goes on
    window = MainWindow(Settings())
    window.crash_handler = crash_handler
    app.aboutToQuit.connect(window.service.shutdown)

    def on_first_paint() -> None:
        if exit_after_paint:  # used by the benchmark: report and quit
            print(f"first-paint {time.time():.6f} torch-loaded={'torch' in sys.modules}", flush=True)
            QTimer.singleShot(0, window.close)
            return
        QTimer.singleShot(TORCH_PROBE_DELAY_MS, window.probe_devices)

    window.firstPainted.connect(on_first_paint)
    window.show()
    return app.exec()


def screenshot(
    lesson_id: str,
    text: str | None,
    out: str,
    size: tuple[int, int] = (1280, 800),
    theme_name: str = "light",
    font_scale: float = 1.0,
    timeout_s: float = 60.0,
    tab: str | None = None,
    language: str = "en",
    presentation: bool = False,
    colormap: str = "viridis",
    tour=None,
    step: int | None = None,
) -> str:
    """Render ``lesson_id`` with ``text`` offscreen, after its result has arrived, to a PNG.

    Returns "" on success or a message saying what was drawn instead (an error in the lesson).
    Raises RuntimeError if nothing arrived in time or the file cannot be written.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop

    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    app = _application()
    settings = Settings(persistent=False)
    settings.set("theme", theme_name)
    settings.set("font_scale", font_scale)
    settings.set("lesson", lesson_id)
    settings.set("language", language)
    settings.set("colormap", colormap)
    if text is not None:
        settings.set("text", text)
    window = MainWindow(settings)
    try:
        window.resize(*size)
        view = window.view(lesson_id)
        window.show()
        if presentation:
            window.set_presentation(True, full_screen=False)
            window.resize(*size)
        window.select_lesson(lesson_id)
        if text is not None and window.input.toPlainText() != text:
            window.set_input_text(text)
        window.flush_input()
        if tour is not None:
            window.tour.start(tour, at=step or 0)
            view = window.current_view()
        deadline = time.monotonic() + timeout_s
        while not view.drawn:  # poll: the result may already have arrived
            if time.monotonic() > deadline:
                raise RuntimeError(f"lesson {lesson_id!r} produced no result within {timeout_s:.0f} s")
            app.processEvents(QEventLoop.AllEvents, 50)
            time.sleep(0.002)
        if tab:
            view.select_tab(tab)  # ValueError names the tabs there are
        while view.pending() or window.tour.pending():  # a tab may ask for more (the SAGAN's digits, a tour
            # step's ratio table): wait for it too
            if time.monotonic() > deadline:
                raise RuntimeError(f"lesson {lesson_id!r}, tab {tab!r} produced no result within {timeout_s:.0f} s")
            app.processEvents(QEventLoop.AllEvents, 50)
            time.sleep(0.002)
        window.grab()  # a first render lets plots size their axes to the fonts
        for _ in range(3):
            app.processEvents()
        if not window.grab().save(out, "PNG"):
            raise RuntimeError(f"could not write {out}")
        return view.error_banner.text() if view.error_banner.isVisible() else ""
    finally:
        window.service.shutdown()
        window.deleteLater()
        app.processEvents()
        if language != "en":
            from viz_app.qt import i18n

            i18n.install("en")
        from viz_app.qt import theme

        theme.set_colormap("viridis")
