"""Token ids replaced by the unknown id at random, in training only."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class TokenDropout(keras.layers.Layer):
    """In training, each id at or above `first_id` becomes `unknown_id` with
    probability `rate`; at inference the ids pass unchanged.

    A word seen in training has an embedding of its own, so the unknown
    word's embedding is only learned if training meets it. Replacing rare
    words by the unknown id now and then (Lample et al., 2016: the words
    seen once, half the time) teaches the model what to do with the new
    words of test data. With the vocabulary sorted most frequent first,
    `first_id` is the first of the rare words; padding (0) and the ids
    below `first_id` are never touched.

    Args:
        rate: float in [0, 1). How often an eligible id is replaced.
        first_id: int >= 1 (padding, 0, is never replaced). The smallest
            id that may be replaced. Default 2.
        unknown_id: int. The replacement. Default 1.
        seed: int or None. Seed of the random draws.

    Call arguments:
        ids: int `(B, T)` (or any shape).
        training: bool. Replace only when True.

    Returns:
        int, the shape and dtype of `ids`.

    Examples:
        >>> ids = keras.Input((None,), dtype="int32")
        >>> mask = PaddingMask()(ids)  # (B, T), from the ids as they are
        >>> x = keras.layers.Embedding(10_000, 64)(TokenDropout(0.5, first_id=4_000)(ids))
    """

    def __init__(self, rate, first_id=2, unknown_id=1, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(f"`rate` must be a float in [0, 1); received rate={rate!r}.")
        for name, value, low in (("first_id", first_id, 1), ("unknown_id", unknown_id, 0)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"`{name}` must be an int >= {low}; received {name}={value!r}.")
        self.rate, self.first_id, self.unknown_id, self.seed = float(rate), first_id, unknown_id, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, ids, training=False):
        if not training or self.rate == 0:
            return ids
        draw = keras.random.uniform(ops.shape(ids), seed=self.seed_generator)  # (B, T)
        replace = ops.logical_and(ops.less(draw, self.rate), ops.greater_equal(ids, self.first_id))  # (B, T)
        return ops.where(replace, ops.cast(self.unknown_id, ids.dtype), ids)

    def compute_output_spec(self, ids, training=False):
        return keras.KerasTensor(ids.shape, dtype=ids.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "rate": self.rate,
            "first_id": self.first_id,
            "unknown_id": self.unknown_id,
            "seed": self.seed,
        }
