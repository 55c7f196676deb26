"""`CaptionerPreprocessor`: the captioner's images and vocabulary."""

import numpy as np
from keras import ops

from keras_seq.applications.caption.data import read_image
from keras_seq.applications.caption.model import image_resizer
from keras_seq.data import WordVocabulary, tf_normalize
from keras_seq.errors import UserInputError


def fit_images(resize, images):
    """Images `(B, H', W', 3)` (a tensor, or an array) -> uint8 `(B, H, W,
    3)` at the model's size: the same resizing in training, `caption` and
    the export."""
    return ops.cast(ops.round(ops.clip(resize(images), 0, 255)), "uint8")


def fit_image_list(resize, images, batch=256):
    """`fit_images` of a list of arrays of any sizes, as a numpy array:
    images of one size are resized together, a batch at a time."""
    out = [None] * len(images)
    by_shape = {}
    for i, image in enumerate(images):
        by_shape.setdefault(image.shape, []).append(i)
    for index in by_shape.values():
        for start in range(0, len(index), batch):
            chunk = index[start : start + batch]
            fitted = ops.convert_to_numpy(fit_images(resize, np.stack([images[i] for i in chunk])))
            for i, image in zip(chunk, fitted):
                out[i] = image
    return np.stack(out)


def is_one_image(images):
    """Whether `images` is one image (a path, bytes or an array `(H, W[, C])`), not a list."""
    return isinstance(images, (str, bytes, bytearray)) or (isinstance(images, np.ndarray) and images.ndim in (2, 3))


class CaptionerPreprocessor:
    """Images and captions to what the model reads, and ids to captions,
    the same way in Python (the task), in training's pipeline and inside
    the export: image reading and resizing, the vocabulary and its lookup
    table, the `[START]`/`[END]` framing.

    Args:
        config: the `CaptionerConfig` (image size, `max_length`).
        words: the vocabulary's entries.

    Examples:
        >>> preprocessor = CaptionerPreprocessor(config, words)
        >>> pixels = preprocessor.read_images(["photo.jpg"])  # uint8 (1, H, W, 3)
    """

    def __init__(self, config, words):
        self.vocab = WordVocabulary(words)
        self.resize = image_resizer(config)
        self.max_length = config.max_length
        self._table = None

    def read_images(self, images):
        """Paths, encoded bytes or arrays (one, or a list) -> uint8 `(B, H, W, 3)`."""
        images = [images] if is_one_image(images) else list(images)
        if not images:
            raise UserInputError("no image given")
        return fit_image_list(self.resize, [read_image(image) for image in images])

    def decode(self, tokens):
        """Word ids `(L,)` -> the caption (up to `[END]`)."""
        return self.vocab.decode(tokens)

    def tf_decode_images(self, images):
        """Encoded images (strings `(B,)`) -> uint8 `(B, H, W, 3)`, in the graph."""
        import tensorflow as tf  # export

        def one(data):
            image = tf.io.decode_image(data, channels=3, dtype=tf.uint8, expand_animations=False)  # (H', W', 3)
            return fit_images(self.resize, image[None])[0]  # (H, W, 3)

        return tf.map_fn(one, images, fn_output_signature=tf.uint8)  # (B, H, W, 3)

    def encode_batch(self, images, captions):
        """A batch of raw examples (images `(B, H', W', 3)`, caption strings
        `(B,)`) -> `((images, caption_in), caption_out)`, as in training."""
        import tensorflow as tf  # data pipeline

        from keras_seq.applications.seq2seq import frame

        if self._table is None:
            self._table = self.vocab.lookup_table()
        words = tf.strings.split(tf_normalize(captions))[:, : self.max_length - 1]  # ragged (B, T - 1)
        caption_in, caption_out = frame(self.vocab.tf_encode(self._table, words))  # (B, T) each
        return (fit_images(self.resize, images), caption_in), caption_out  # the images at one size: the batch's
