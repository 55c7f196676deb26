"""Per-series instance normalization by a shift: subtract each window's
last value (or mean) and add it back to the forecast."""

import keras
from keras import ops

MODES = ("last", "mean")


@keras.saving.register_keras_serializable(package="keras_seq")
class InstanceShift(keras.layers.Layer):
    """Subtracts each series' reference value from its window, and adds it
    back to the forecast: the model then learns changes, not levels, and a
    level it never saw in training (a price that doubled) costs it
    nothing. SegRNN and NLinear subtract the last value; RevIN-style
    models the mean.

    Args:
        mode: `"last"` (the window's last value) or `"mean"` (its mean).

    Call arguments:
        inputs: float `(B, L, C)`: the lookback windows; or, with
            `reference`, the forecast `(B, H, C)` or `(B, H, C, Q)`.
        reference: None to shift the inputs down; the `(B, 1, C)` that an
            earlier call returned, to shift a forecast back up.

    Returns:
        Without `reference`, `[shifted (B, L, C), reference (B, 1, C)]`;
        with it, the forecast plus the reference (broadcast over the
        horizon and quantiles).

    Examples:
        >>> shift = InstanceShift("last")
        >>> shifted, reference = shift(windows)        # (B, L, C), (B, 1, C)
        >>> forecast = shift(model(shifted), reference=reference)
    """

    def __init__(self, mode="last", **kwargs):
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(f"`mode` must be one of {', '.join(MODES)}; received mode={mode!r}.")
        self.mode = mode

    def call(self, inputs, reference=None):
        if reference is not None:
            if len(inputs.shape) == 4:
                reference = ops.expand_dims(reference, -1)  # (B, 1, C, 1)
            return inputs + ops.cast(reference, inputs.dtype)
        if self.mode == "last":
            reference = inputs[:, -1:, :]  # (B, 1, C)
        else:
            reference = ops.mean(inputs, axis=1, keepdims=True)  # (B, 1, C)
        return [inputs - reference, reference]

    def compute_output_spec(self, inputs, reference=None):
        if reference is not None:
            return keras.KerasTensor(inputs.shape, dtype=inputs.dtype)
        return [
            keras.KerasTensor(inputs.shape, dtype=inputs.dtype),
            keras.KerasTensor((inputs.shape[0], 1, inputs.shape[2]), dtype=inputs.dtype),
        ]

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
