"""Writing results so that a crash never leaves a half-written one."""

import contextlib
import os
import shutil
import tempfile

from keras_seq.errors import UserInputError

PARTIAL_PREFIX = ".writing-"


def _partial(folder):
    """A new folder beside the result, named after this process
    (`.writing-<pid>-...`), so that one left by a killed writer can be
    told from one being written."""
    return tempfile.mkdtemp(dir=folder, prefix=f"{PARTIAL_PREFIX}{os.getpid()}-")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def remove_stale(folder):
    """Remove what killed writers left in `folder`: the `.writing-<pid>-*`
    folders of processes that no longer run (a live writer's are kept).
    Returns the paths removed."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(PARTIAL_PREFIX):
            continue
        pid = name[len(PARTIAL_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
            removed.append(os.path.join(folder, name))
    return removed


def recover_dir(final_dir):
    """Put back the previous result when a writer was killed between
    `replace_dir`'s two renames (the old folder renamed aside, the new one
    not yet in place). Returns whether it did."""
    old = final_dir.rstrip(os.sep) + ".old"
    if not os.path.exists(final_dir) and os.path.isdir(old):
        os.replace(old, final_dir)
        return True
    return False


def replace_dir(tmp_dir, final_dir):
    """Move a finished directory into place, replacing an older one.

    The older directory is first renamed aside, then the new one renamed in,
    then the older one removed: at every moment `final_dir` is either the
    old complete result or the new complete one (or briefly absent).
    """
    if os.path.exists(final_dir):
        old = final_dir.rstrip(os.sep) + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final_dir, old)
        os.replace(tmp_dir, final_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp_dir, final_dir)


@contextlib.contextmanager
def atomic_dir(final_dir):
    """Yield a fresh temporary folder beside `final_dir`; when the block
    ends without an error it replaces `final_dir` (see `replace_dir`),
    otherwise it is removed and `final_dir` is left as it was. What a
    killed writer left beside it is cleared first (`recover_dir`,
    `remove_stale`).

    Raises:
        UserInputError: `final_dir` is a file.

    Examples:
        >>> with atomic_dir("saved_models/app/export") as tmp:
        ...     tf.saved_model.save(module, tmp)
    """
    if os.path.exists(final_dir) and not os.path.isdir(final_dir):
        raise UserInputError(f"{final_dir} is a file, not a folder; give another path or delete it")
    parent = os.path.dirname(os.path.abspath(final_dir))
    os.makedirs(parent, exist_ok=True)
    recover_dir(final_dir)
    remove_stale(parent)
    tmp = _partial(parent)
    os.chmod(tmp, 0o755)  # as a folder made by hand, not mkdtemp's private one
    try:
        yield tmp
        replace_dir(tmp, final_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def atomic_file(path):
    """Yield a temporary path beside `path`; when the block ends without an
    error the file written there is renamed to `path` (one atomic rename),
    otherwise it is removed. What killed writers left beside it is removed
    first (`remove_stale`).

    Raises:
        UserInputError: `path` is a folder.
    """
    if os.path.isdir(path):
        raise UserInputError(f"{path} is a folder, not a file; give a file's path")
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    remove_stale(folder)
    tmp = _partial(folder)
    try:
        target = os.path.join(tmp, os.path.basename(path))
        yield target
        os.replace(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
