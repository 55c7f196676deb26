"""The error type for problems with a user's input."""


class UserInputError(ValueError):
    """Bad user input (missing file, empty data, bad value): the command
    line prints its message on one line and exits with status 2."""
