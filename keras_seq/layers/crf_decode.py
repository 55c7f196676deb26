"""Viterbi decoding of a CRF's packed scores, as a layer."""

import keras

from keras_seq.ops.crf import crf_decode


@keras.saving.register_keras_serializable(package="keras_seq")
class CRFDecode(keras.layers.Layer):
    """The best tag paths of a `CRF`'s packed scores, by Viterbi: the layer
    to put on top of a trained CRF model for inference and export.

    Args:
        top_k: int >= 1. How many paths per sentence, best first.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        packed: `(B, T, K+1, K)`, a `CRF` layer's output.

    Returns:
        `(tags, scores)`: int32 `(B, T)` (0 at padding) and the paths'
        scores `(B,)`; with `top_k > 1`, `(B, k, T)` and `(B, k)`.

    Examples:
        >>> tagger = keras.Model(model.input, CRFDecode()(model.output))
        >>> tags, scores = tagger.predict(word_ids)
    """

    def __init__(self, top_k=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"`top_k` must be an int >= 1; received top_k={top_k!r}.")
        self.top_k = top_k

    def call(self, packed):
        return crf_decode(packed, self.top_k)

    def compute_output_spec(self, packed):
        batch, steps = packed.shape[0], packed.shape[1]
        if self.top_k == 1:
            return keras.KerasTensor((batch, steps), "int32"), keras.KerasTensor((batch,), packed.dtype)
        k = self.top_k
        return keras.KerasTensor((batch, k, steps), "int32"), keras.KerasTensor((batch, k), packed.dtype)

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k}
