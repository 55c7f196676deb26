"""Writing results so that a crash never leaves a half-written one."""

import os
import shutil


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
