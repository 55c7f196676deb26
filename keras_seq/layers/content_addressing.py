"""Content addressing of a memory by cosine similarity (the NTM's)."""

import keras
from keras import ops

from keras_seq.layers.attention_base import AttentionBase


@keras.saving.register_keras_serializable(package="keras_seq")
class ContentAddressing(AttentionBase):
    """Attention by cosine similarity with a key strength, as in the Neural
    Turing Machine (Graves et al., 2014).

    The score of memory row `M_i` is `q . M_i / (|M_i| + epsilon)`, that is
    `|q| cos(q, M_i)`: the query's direction is the key `k` and its length
    the key strength `beta`. A caller with a key and a strength passes
    `query = beta * k / |k|` (`scaled_query` does it), and the weights are
    `softmax(beta * cos(k, M_i))`. No weights of its own; masking as in
    `AttentionBase`.

    Args:
        epsilon: float > 0. Added to the norms, so that an all-zero row or
            key scores 0 instead of dividing by zero. Default 1e-6.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        query: `(B, M)` or `(B, H, M)`: one query per head.
        value: `(B, N, M)`, the memory.
        value_mask: optional bool `(B, N)`.

    Returns:
        `(reads, weights)`: `(B, H, M)` and `(B, H, N)` (no `H` axis for a
        `(B, M)` query).

    Examples:
        >>> addressing = ContentAddressing()
        >>> query = addressing.scaled_query(np.ones((2, 1, 4)), np.full((2, 1, 1), 5.0))
        >>> reads, weights = addressing(query, np.random.normal(size=(2, 8, 4)))
        >>> weights.shape
        (2, 1, 8)
    """

    def __init__(self, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(epsilon, (int, float)) or isinstance(epsilon, bool) or epsilon <= 0:
            raise ValueError(f"`epsilon` must be a positive float; received epsilon={epsilon!r}.")
        self.epsilon = float(epsilon)

    def build_scoring(self, query_dim, value_dim):
        if query_dim is not None and value_dim is not None and query_dim != value_dim:
            raise ValueError(
                f"ContentAddressing needs queries as wide as the memory rows; received {query_dim} and {value_dim}."
            )

    def scaled_query(self, key, strength):
        """`strength * key / |key|`: `(B, H, M)` from a key `(B, H, M)` and a
        strength `(B, H, 1)`."""
        return key * strength / (ops.sqrt(ops.sum(ops.square(key), axis=-1, keepdims=True)) + self.epsilon)  # (B, H, M)

    def prepare_keys(self, value):
        """The memory and its row norms, `((B, N, M), (B, 1, N))`."""
        norms = ops.sqrt(ops.sum(ops.square(value), axis=-1)) + self.epsilon  # (B, N)
        return value, ops.expand_dims(norms, 1)

    def score(self, query, keys):
        value, norms = keys
        # A broadcast product, not a batched matmul: with a few heads the
        # matmul's rows are too short for it to pay on a CPU (its gradient
        # was the NTM step's largest cost).
        dots = ops.sum(ops.expand_dims(query, 2) * ops.expand_dims(value, 1), axis=-1)  # (B, H, N)
        return dots / norms  # (B, H, N)

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
