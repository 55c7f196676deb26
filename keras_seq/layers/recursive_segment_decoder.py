"""The recursive multi-step decoder: one future segment after another,
each fed the segment before."""

import keras
from keras import ops

from keras_seq.layers.parallel_segment_decoder import CELLS, ParallelSegmentDecoder


class _SegmentFeedbackCell(keras.layers.Layer):
    """One decoding step: the segment's input plus a projection of the
    previous segment's values, a recurrent cell step, the next values."""

    def __init__(self, cell, units, width, dropout, seed, initializer, **kwargs):
        super().__init__(**kwargs)
        self.cell = CELLS[cell](units, name="cell")
        self.feedback = keras.layers.Dense(units, name="feedback")
        self.projection = keras.layers.Dense(width, kernel_initializer=initializer, name="projection")
        self.drop = keras.layers.Dropout(dropout, seed=seed)
        self.width = width
        inner = self.cell.state_size if isinstance(self.cell.state_size, (list, tuple)) else [self.cell.state_size]
        self.state_size = list(inner) + [width]
        self.output_size = width

    def build(self, inputs_shape):
        units = inputs_shape[-1]
        self.cell.build((None, units))
        self.feedback.build((None, self.width))
        self.projection.build((None, units))
        self.built = True

    def call(self, inputs, states, training=False):
        *inner, previous = states  # (B', U) each, (B', width)
        x = inputs + self.feedback(previous)  # (B', U)
        outputs, inner = self.cell(x, inner, training=training)  # (B', U)
        values = self.projection(self.drop(outputs, training=training))  # (B', width)
        return values, list(inner) + [values]


@keras.saving.register_keras_serializable(package="keras_seq")
class RecursiveSegmentDecoder(ParallelSegmentDecoder):
    """Decodes the horizon segment by segment (SegRNN's recursive
    multi-step forecasting): the cell starts from the encoder's state and
    each step reads its segment's position (and channel) embedding plus a
    projection of the segment it forecast before (zeros before the first:
    the shifted series ends at 0). `keras.layers.RNN` runs the steps.
    Errors can build up along the horizon; `ParallelSegmentDecoder` has no
    such chain, and is the forecaster's default.

    Args, Call arguments and Returns: as `ParallelSegmentDecoder`.

    Examples:
        >>> RecursiveSegmentDecoder(96, 24, channels=7, units=128)(state)   # (B, 96, 7)
    """

    def make_step(self):
        if self.attention:
            raise ValueError("the recursive decoder has no attention; use ParallelSegmentDecoder for it")
        self.attend = None
        step = _SegmentFeedbackCell(
            self.cell_name, self.units, self.width, self.dropout, self.seed, self.projection_initializer, name="step"
        )
        self.loop = keras.layers.RNN(step, return_sequences=True, name="loop")

    def build_step(self):
        self.loop.build((None, self.segments, self.units))

    def decode(self, inputs, states, training=False, memory=None):
        start = ops.zeros((ops.shape(inputs)[0], self.width), dtype=inputs.dtype)  # (B', width)
        return self.loop(inputs, initial_state=list(states) + [start], training=training)  # (B', M, width)
