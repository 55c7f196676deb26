"""Cut lookback windows into segments, one sequence per channel or one
for all channels."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class SeriesSegments(keras.layers.Layer):
    """Cuts each window `(B, L, C)` into `N = L / W` segments of `W` steps,
    the steps of a recurrent encoder (SegRNN, Lin et al., 2023): an RNN
    over 14 segments of a day instead of 336 hours has a short path to
    remember and runs 24 times fewer steps.

    Channel-independent (the default), each channel becomes its own
    sequence, `(B*C, N, W)`, and the channels share the encoder's weights;
    channel-mixing, each segment holds every channel, `(B, N, W*C)`.
    Covariates known over the lookback join each segment of every channel.

    Args:
        segment_length: int > 0, `W`; the lookback must be a multiple.
        independent: bool. One sequence per channel (True) or one for all.

    Call arguments:
        inputs: float `(B, L, C)`.
        covariates: None, or float `(B, L, P)`.

    Returns:
        `(B*C, N, W + W*P)` channel-independent, `(B, N, W*(C+P))` mixing.

    Examples:
        >>> segments = SeriesSegments(24)(np.zeros((2, 96, 7)))   # (14, 4, 24)
        >>> GRU(64)(segments)                                        # (14, 64)
    """

    def __init__(self, segment_length, independent=True, **kwargs):
        super().__init__(**kwargs)
        if isinstance(segment_length, bool) or not isinstance(segment_length, int) or segment_length < 1:
            raise ValueError(f"`segment_length` must be an int > 0; received segment_length={segment_length!r}.")
        self.segment_length = segment_length
        self.independent = bool(independent)

    def _sizes(self, inputs, covariates):
        length, channels = inputs.shape[1], inputs.shape[2]
        if length is None or channels is None:
            raise ValueError("SeriesSegments needs a known lookback length and channel count")
        if length % self.segment_length:
            raise ValueError(
                f"the lookback ({length}) must be a multiple of the segment length ({self.segment_length})"
            )
        extra = 0 if covariates is None else covariates.shape[2]
        return length // self.segment_length, channels, extra

    def call(self, inputs, covariates=None):
        n, c, p = self._sizes(inputs, covariates)
        w = self.segment_length
        if not self.independent:
            x = inputs if covariates is None else ops.concatenate([inputs, ops.cast(covariates, inputs.dtype)], -1)
            return ops.reshape(x, (-1, n, w * (c + p)))  # (B, N, W*(C+P))
        x = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, c, n, w))  # (B, C, N, W)
        if covariates is not None:
            extra = ops.reshape(ops.cast(covariates, inputs.dtype), (-1, 1, n, w * p))  # (B, 1, N, W*P)
            extra = ops.repeat(extra, c, axis=1)  # (B, C, N, W*P)
            x = ops.concatenate([x, extra], axis=-1)  # (B, C, N, W + W*P)
        return ops.reshape(x, (-1, n, w + w * p))  # (B*C, N, W + W*P)

    def compute_output_spec(self, inputs, covariates=None):
        n, c, p = self._sizes(inputs, covariates)
        w = self.segment_length
        batch = inputs.shape[0]
        if not self.independent:
            return keras.KerasTensor((batch, n, w * (c + p)), dtype=inputs.dtype)
        return keras.KerasTensor((None if batch is None else batch * c, n, w + w * p), dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "segment_length": self.segment_length, "independent": self.independent}
