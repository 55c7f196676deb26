"""How the command line starts a process: TensorFlow without its C++ log
lines, an action's `tf.distribute` strategy before TensorFlow's runtime
starts, and the warnings worth showing a user. Imports nothing heavy until
called."""

import contextlib
import os
import sys


@contextlib.contextmanager
def _stderr_silenced():
    """File descriptor 2 to /dev/null: TensorFlow's C++ start-up lines are
    written there before any Python setting can stop them."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def start_training_runtime(args):
    """Make `train`'s `tf.distribute` strategy before anything else starts
    TensorFlow's runtime: a `MultiWorkerMirroredStrategy` configures the
    collective operations, and `--cpu-replicas` splits the CPU, both only
    possible at the program's start. `train` then finds the same
    strategy."""
    from keras_seq.applications.distribute import make_strategy

    make_strategy(args.strategy, args.cpu_replicas)


def quiet_tensorflow(verbose=False, start=None):
    """Start TensorFlow without its C++ log lines (unless `verbose`, or the
    user set `TF_CPP_MIN_LOG_LEVEL`). `start()`, if given, is what starts
    its runtime (an action's strategy); otherwise one small op does."""
    if verbose or "TF_CPP_MIN_LOG_LEVEL" in os.environ or "tensorflow" in sys.modules:
        if start is not None:
            start()
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with _stderr_silenced():
        import tensorflow as tf

        if start is not None:
            start()
        tf.constant(0) + 0  # the device set-up logs too


def show_warnings(caught):
    """Print the user warnings of keras-seq itself (not Keras' or
    TensorFlow's), one line each, on standard error."""
    for warning in caught:
        where = str(warning.filename)
        if (
            issubclass(warning.category, UserWarning)
            and f"{os.sep}keras{os.sep}" not in where
            and "tensorflow" not in where
        ):
            print(f"keras-seq: warning: {warning.message}", file=sys.stderr)
