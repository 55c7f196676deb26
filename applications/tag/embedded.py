"""The tagger's offline default: generated news sentences with named
entities (`keras_seq.data.synthetic_news`)."""

from keras_seq.errors import UserInputError

# split -> (sentences, seed, names): `test` names never appear in `train`
EMBEDDED_SPLITS = {"train": (3000, 0, "train"), "test": (500, 1, "test")}


def embedded_corpus(split="train"):
    """The embedded corpus's `split` as a `Tagged`: `train` (3,000
    sentences) or `test` (500 sentences whose names training never shows)."""
    from keras_seq.applications.tag.data import Tagged
    from keras_seq.data.synthetic_news import synthetic_news

    if split not in EMBEDDED_SPLITS:
        raise UserInputError(
            f"--split {split!r}: the embedded corpus has the splits validation, all, {', '.join(EMBEDDED_SPLITS)}"
        )
    count, seed, part = EMBEDDED_SPLITS[split]
    sentences, tags = synthetic_news(count, seed=seed, part=part)
    names = "names seen in training" if part == "train" else "names never seen in training"
    return Tagged(sentences, tags, f"embedded: {count:,} generated news sentences ({names}; PER, LOC, ORG)")
