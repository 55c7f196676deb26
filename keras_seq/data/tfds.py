"""TensorFlow Datasets sources, with one clear error for every failure."""

from keras_seq.errors import UserInputError


def load_tfds(name, split, with_info=False):
    """The examples of `tfds:NAME` split `split` as a list of dicts of
    numpy values (and the `DatasetInfo` with `with_info`).

    Raises:
        UserInputError: unknown name or split, no download possible, or an
            empty split; one line naming the source.
    """
    import tensorflow_datasets as tfds  # only for tfds: sources

    try:
        data, info = tfds.load(name, split=split, with_info=True)
        examples = list(tfds.as_numpy(data))
    except Exception as error:  # tfds raises many types: name, download, split
        raise UserInputError(f"cannot load tfds:{name} split {split!r}: {error}".splitlines()[0]) from None
    if not examples:
        raise UserInputError(f"tfds:{name} split {split!r} is empty")
    return (examples, info) if with_info else examples
