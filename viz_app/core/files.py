"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process's umask (read without changing it where /proc tells it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and put back at once
    os.umask(mask)
    return mask


def _set_mode(fd: int, tmp: str, path: Path) -> None:
    """mkstemp makes its file private (0600): give it the mode the file had, or for a new file the mode
    the user's umask gives every file (0644 with the usual 022), as ``open`` would."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows (before Python 3.13): only the read-only flag exists anyway
            os.chmod(tmp, mode)
    except OSError:
        pass


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``
    (``os.replace`` is atomic on POSIX and Windows): readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        _set_mode(fd, tmp, path)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_undecodable(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate (what Python makes of bytes that are not UTF-8, in command-line
    arguments or file names) replaced by U+FFFD, and how many were replaced. Such a string cannot be written
    as UTF-8, and tokenizers refuse it."""
    try:
        text.encode("utf-8")
        return text, 0
    except UnicodeEncodeError:
        pass
    count = 0
    out = []
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
            count += 1
        else:
            out.append(ch)
    return ("".join(out), count) if count else (text, 0)
