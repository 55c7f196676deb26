"""Writing results so that a crash never leaves a half-written one."""

import contextlib
import os
import shutil
import tempfile


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
    otherwise it is removed and `final_dir` is left as it was.

    Example:
    >>> with atomic_dir("saved_models/app/export") as tmp:
    ...     tf.saved_model.save(module, tmp)
    """
    parent = os.path.dirname(os.path.abspath(final_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=".writing-")
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
    otherwise it is removed."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=folder, prefix=".writing-")
    try:
        target = os.path.join(tmp, os.path.basename(path))
        yield target
        os.replace(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
