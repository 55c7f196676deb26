"""The error types the command line turns into one line and an exit status."""


class UserInputError(ValueError):
    """Bad user input (missing file, empty data, bad value): the command
    line prints its message on one line and exits with status 2."""


class TrainingInterrupted(Exception):
    """Ctrl-C during training, after its checkpoint was written: the
    command line prints the message (how to resume) and exits with
    status 130."""
