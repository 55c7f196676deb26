"""The tagger's offline default corpus (not chosen yet: see issue 35)."""

from keras_seq.errors import UserInputError


def embedded_corpus(split="train"):
    """The embedded tagged corpus. None ships yet: a licence-clean corpus
    inside the package or a declared dependency is still to be chosen, so
    `--data embedded` says so in one line."""
    raise UserInputError(
        "the tagger has no embedded corpus yet; pass --data FILE (a CoNLL-style column file or a .conllu file)"
    )
