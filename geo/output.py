"""Writing outputs all or nothing: single files by rename, whole folders by a staged swap.

A build writes every file into a fresh staging folder beside the target
(``.output.staging-XXXX``), then swaps it with the target in one rename
(Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, the previous
build kept until the new one is in place). A lock file beside the target
(``.output.lock``, ``flock``) keeps two builds into one folder from
interleaving: the second stops with a message naming the lock. Leftovers of
a killed build (staging or previous-build folders) are removed by the next
build into the same folder, under the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(Exception):
    """An output cannot be written; the message names the path and what would work."""


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file (fails if it exists), flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    check_file_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def check_file_target(path: Path) -> None:
    """Refuse a file target that is a folder or whose parent is a file, with a message."""
    path = Path(path)
    if path.name in ("", ".", ".."):
        raise OutputError(f"{path}: give a file name to write, not a folder")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name to write")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write {path}: {parent} is a file, not a folder")
            break


# --- Folders: staging, swap, lock ------------------------------------------

# Files and folders a build (or `export` with its default path) writes into an
# output folder; a folder holding anything else is not replaced.
_OURS = re.compile(r"(map\.html|partners_by_year\.csv|geojson|export\.(geojson|gpkg|csv|kml|parquet)|\..*\.tmp(\..*)?)")


def first_names(names: list[str], shown: int = 5) -> str:
    """A few names of a list, for a message.

    >>> first_names(["a", "b"]), first_names(list("abcdefg"))
    ('a, b', 'a, b, c, d, e and 2 more')
    """
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _foreign_entries(target: Path) -> list[str]:
    foreign = []
    for entry in sorted(os.listdir(target)):
        path = target / entry
        if not _OURS.fullmatch(entry):
            foreign.append(entry)
        elif entry == "geojson":
            if path.is_symlink() or not path.is_dir():
                foreign.append(entry)
                continue
            foreign += [f"geojson/{n}" for n in sorted(os.listdir(path))
                        if not re.fullmatch(r"[^/]+\.geojson|\..*\.tmp", n)]
    return foreign


def check_folder_target(target: Path, replace_any: bool = False) -> Path:
    """The absolute target folder, or OutputError saying why it cannot be replaced
    (with ``replace_any``, any folder's contents may be replaced)."""
    target = Path(os.path.abspath(target))
    if target.parent == target:
        raise OutputError(f"{target}: the root folder cannot be an output folder; give a folder below it")
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link; give the folder it points to, or a new folder")
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"{target} is a file, not a folder; give a folder (new, or one a build wrote)")
        try:
            foreign = [] if replace_any else _foreign_entries(target)
        except OSError as err:
            raise OutputError(f"cannot read {target}: {err.strerror}") from err
        if foreign:
            raise OutputError(
                f"{target} holds files a build did not write ({first_names(foreign)}); a build replaces the whole "
                "folder, so give a new folder or one holding only what a build writes (map.html, partners_by_year.csv, geojson/)"
            )
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write {target}: {parent} is a file, not a folder")
            break
    return target


def _side(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-"


@contextlib.contextmanager
def folder_lock(target: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside ``target``; another holder means OutputError, not a wait."""
    lock = target.parent / f".{target.name}.lock"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as err:
            raise OutputError(f"cannot create the lock {lock}: {err.strerror}; is {target.parent} writable?") from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"another build is writing {target} (it holds {lock}); wait for it to finish and run again"
            ) from None
        # The holder before us may have removed the lock file after we opened it.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def remove_leftovers(target: Path) -> list[Path]:
    """Remove staging and previous-build folders a killed build left beside ``target``.

    Call only while holding :func:`folder_lock`. When the target is missing
    (a kill between the two renames of the fallback swap), the previous build
    is put back first.
    """
    removed = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    old = sorted(p for p in parent.iterdir() if p.name.startswith(_side(target, "old")))
    if old and not target.exists() and (old[-1] / "build").is_dir():
        os.rename(old[-1] / "build", target)
    staging = [p for p in parent.iterdir() if p.name.startswith(_side(target, "staging"))]
    for path in [*old, *staging]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one rename (Linux renameat2); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the target; the previous build is removed only once it is."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        previous = staging  # after the exchange, the staging path holds the previous build
    else:
        previous = Path(tempfile.mkdtemp(dir=target.parent, prefix=_side(target, "old")))
        os.rename(target, previous / "build")
        previous_build = previous / "build"
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(previous_build, target)
            raise
    _fsync_dir(target.parent)
    shutil.rmtree(previous, ignore_errors=True)


def write_folder(target: Path, files: dict[str, bytes], replace_any: bool = False) -> list[Path]:
    """Replace the folder ``target`` by exactly ``files`` (relative name to bytes), all or nothing.

    Raises OutputError with a message when the folder cannot be written; the
    previous build then stays as it was and no staging folder is left.
    """
    given = Path(target)
    target = check_folder_target(given, replace_any)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {target.parent}: {err.strerror}") from err
    with folder_lock(target):
        remove_leftovers(target)
        check_folder_target(target, replace_any)
        try:
            staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=_side(target, "staging")))
        except OSError as err:
            raise OutputError(f"cannot write beside {target}: {err.strerror} ({target.parent})") from err
        try:
            os.chmod(staging, 0o755 & ~_umask())
            for name in sorted(files):
                path = staging / name
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_new(path, files[name])
            _fsync_dir(staging)
            _swap_in(staging, target)
        except OSError as err:
            shutil.rmtree(staging, ignore_errors=True)
            where = err.filename or target
            raise OutputError(
                f"could not write the build into {target}: {err.strerror or err} ({where}); "
                "the previous build is unchanged"
            ) from err
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return [given / name for name in sorted(files)]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

