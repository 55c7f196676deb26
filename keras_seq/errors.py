"""The library's own error types, beside the `ValueError`s of bad arguments.

The command line (`keras-seq`) turns a `ValueError`, these included, into
one line and exit status 2, and `TrainingInterrupted` into its message
and status 130."""


class UserInputError(ValueError):
    """Bad input from outside the program: a missing, empty or unreadable
    file, data of the wrong format, a model folder of another
    application. A `ValueError`, like every bad argument of the library."""


class TrainingInterrupted(Exception):
    """Ctrl-C during training, after its checkpoint was written: the
    command line prints the message (how to resume) and exits with
    status 130."""
