"""The parallel multi-step decoder: every future segment of every channel
from one recurrent step, told apart by position and channel embeddings."""

import keras
from keras import ops

from keras_seq.layers.gru_cell import GRUCell
from keras_seq.layers.lstm_cell import LSTMCell
from keras_seq.layers.make_attention import make_attention

CELLS = {"gru": GRUCell, "lstm": LSTMCell}


@keras.saving.register_keras_serializable(package="keras_seq")
class ParallelSegmentDecoder(keras.layers.Layer):
    """Decodes a horizon of `H` steps as `M = ceil(H / W)` segments, all at
    once (SegRNN's parallel multi-step forecasting, Lin et al., 2023).

    The input of segment `m` of channel `c` is a learned position
    embedding beside a learned channel embedding (half the units each;
    the position alone when mixing channels), plus a projection of the
    known future covariates of that segment. One step of a GRU or LSTM
    cell from the encoder's final state turns each input into a state,
    and a dense layer into the segment's `W` values (times `Q` quantiles,
    sorted so that they never cross). No step waits for another, so
    errors do not accumulate along the horizon as in recursive decoding.

    Args:
        horizon: int > 0, `H`.
        segment_length: int > 0, `W`.
        channels: int > 0, `C`: the channels forecast.
        units: int > 0; the encoder's state size.
        cell: `"gru"` or `"lstm"` (then the states are `[h, c]`).
        quantiles: int > 0, `Q`; 1 for point forecasts.
        independent: bool. The encoder ran once per channel (states
            `(B*C, U)`, as `SeriesSegments` makes them) or once for all
            (`(B, U)`).
        dropout: float in [0, 1), on the cell's outputs.
        seed: seed of the dropout.
        attention: None, `"bahdanau"` or `"luong"`: each segment's state
            also attends over the encoder's outputs (one per lookback
            segment), and the projection reads both.
        projection_initializer: of the kernel that makes the values
            (`"zeros"`: the decoder starts silent, beside a linear map
            that starts at its fit).

    Call arguments:
        states: the encoder's final state `(B*C, U)` (`(B, U)` mixing), or
            the list `[h, c]` for an LSTM.
        future: None, or float `(B, H, F)`: covariates known ahead.
        memory: with an attention, the encoder's outputs `(B*C, N, U)`
            (`(B, N, U)` mixing).
        training: bool.

    Returns:
        `(B, H, C)`, or `(B, H, C, Q)` with quantiles (ascending).

    Examples:
        >>> segments = SeriesSegments(24)(windows)                 # (B*C, N, 24)
        >>> state = GRU(128)(Dense(128, "relu")(segments))          # (B*C, 128)
        >>> ParallelSegmentDecoder(96, 24, channels=7, units=128)(state)   # (B, 96, 7)
    """

    def __init__(
        self,
        horizon,
        segment_length,
        channels,
        units,
        cell="gru",
        quantiles=1,
        independent=True,
        dropout=0.0,
        seed=None,
        attention=None,
        projection_initializer="glorot_uniform",
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("horizon", horizon),
            ("segment_length", segment_length),
            ("channels", channels),
            ("units", units),
            ("quantiles", quantiles),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"`{name}` must be an int > 0; received {name}={value!r}.")
        if cell not in CELLS:
            raise ValueError(f"`cell` must be one of {', '.join(CELLS)}; received cell={cell!r}.")
        if not 0 <= dropout < 1:
            raise ValueError(f"`dropout` must be in [0, 1); received dropout={dropout!r}.")
        self.horizon, self.segment_length, self.channels, self.units = horizon, segment_length, channels, units
        self.cell_name, self.quantiles, self.independent = cell, quantiles, bool(independent)
        self.dropout, self.seed = float(dropout), seed
        if attention not in (None, "bahdanau", "luong"):
            raise ValueError(f"`attention` must be None, 'bahdanau' or 'luong'; received attention={attention!r}.")
        self.attention = attention
        self.projection_initializer = keras.initializers.get(projection_initializer)
        self.segments = -(-horizon // segment_length)  # M
        self.width = segment_length * quantiles * (1 if independent else channels)  # values per decoded segment
        self.future_projection = None
        self.make_step()

    def make_step(self):
        """The sublayers of a decoding step: the cell, the dropout and the
        projection to a segment's values."""
        self.cell = CELLS[self.cell_name](self.units, name="cell")
        self.projection = keras.layers.Dense(
            self.width, kernel_initializer=self.projection_initializer, name="projection"
        )
        self.drop = keras.layers.Dropout(self.dropout, seed=self.seed)
        self.attend = make_attention(self.attention, self.units, name="attention") if self.attention else None

    def build(self, states_shape, future_shape=None, memory_shape=None):
        u, m = self.units, self.segments
        position_size = u - u // 2 if self.independent else u
        self.positions = self.add_weight(
            shape=(m, position_size), initializer=keras.initializers.RandomNormal(stddev=0.1), name="positions"
        )
        if self.independent:
            self.channel_embeddings = self.add_weight(
                shape=(self.channels, u // 2),
                initializer=keras.initializers.RandomNormal(stddev=0.1),
                name="channel_embeddings",
            )
        self.build_step()
        if future_shape is not None:
            self.future_projection = keras.layers.Dense(u, name="future_projection")
            self.future_projection.build((None, self.segment_length * future_shape[-1]))
        self.built = True

    def build_step(self):
        u = self.units
        self.cell.build((None, u))
        if self.attend is not None:
            self.attend.build((None, self.segments, u), (None, None, u))
        self.projection.build((None, 2 * u if self.attend is not None else u))

    def _inputs(self, batch):
        """The decoder inputs `(B, G, M, U)`, `G` the channel groups."""
        m, u = self.segments, self.units
        if self.independent:
            c = self.channels
            positions = ops.broadcast_to(self.positions[None], (c, m, u - u // 2))  # (C, M, U/2)
            channels = ops.broadcast_to(self.channel_embeddings[:, None], (c, m, u // 2))  # (C, M, U/2)
            table = ops.concatenate([positions, channels], axis=-1)  # (C, M, U)
        else:
            table = self.positions[None]  # (1, M, U)
        return ops.broadcast_to(table[None], (batch,) + tuple(table.shape))  # (B, G, M, U)

    def call(self, states, future=None, memory=None, training=False):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        m, u, w, q = self.segments, self.units, self.segment_length, self.quantiles
        groups = self.channels if self.independent else 1
        batch = ops.shape(states[0])[0] // groups
        x = ops.cast(self._inputs(batch), states[0].dtype)  # (B, G, M, U)
        if future is not None and self.future_projection is not None:
            future = ops.cast(future, x.dtype)
            future = ops.pad(future, [[0, 0], [0, m * w - self.horizon], [0, 0]])  # (B, M*W, F)
            future = ops.reshape(future, (-1, m, w * future.shape[-1]))  # (B, M, W*F)
            x = x + self.future_projection(future)[:, None]  # (B, G, M, U)
        if (memory is None) != (self.attend is None):
            raise ValueError("give `memory` (the encoder's outputs) exactly when the decoder has an attention")
        y = self.decode(ops.reshape(x, (-1, m, u)), states, training, memory)  # (B*G, M, W*Q) or (B, M, W*C*Q)
        if self.independent:
            y = ops.reshape(y, (-1, self.channels, m * w, q))  # (B, C, M*W, Q)
            y = ops.transpose(y, (0, 2, 1, 3))  # (B, M*W, C, Q)
        else:
            y = ops.reshape(y, (-1, m * w, self.channels, q))  # (B, M*W, C, Q)
        y = y[:, : self.horizon]  # (B, H, C, Q)
        if q == 1:
            return y[..., 0]  # (B, H, C)
        return ops.sort(y, axis=-1)  # quantiles never cross

    def decode(self, inputs, states, training=False, memory=None):
        """Every segment's values from its input `(B', M, U)` and the
        encoder's `states` `(B', U)`: one cell step for all segments at
        once; with an attention, each segment's state also reads the
        encoder's outputs `memory` `(B', N, U)`.

        Returns:
            `(B', M, width)`, the width of the projection.
        """
        m, u = self.segments, self.units
        repeated = [ops.reshape(ops.repeat(s[:, None], m, axis=1), (-1, u)) for s in states]  # (B'*M, U) each
        outputs, _ = self.cell(ops.reshape(inputs, (-1, u)), repeated, training=training)  # (B'*M, U)
        outputs = ops.reshape(outputs, (-1, m, u))  # (B', M, U)
        if self.attend is not None:
            context, _ = self.attend(outputs, ops.cast(memory, outputs.dtype))  # (B', M, U)
            outputs = ops.concatenate([outputs, context], axis=-1)  # (B', M, 2U)
        return self.projection(self.drop(outputs, training=training))  # (B', M, width)

    def compute_output_spec(self, states, future=None, memory=None, training=False):
        first = states[0] if isinstance(states, (list, tuple)) else states
        batch = first.shape[0]
        if batch is not None and self.independent:
            batch //= self.channels
        shape = (batch, self.horizon, self.channels) + ((self.quantiles,) if self.quantiles > 1 else ())
        return keras.KerasTensor(shape, dtype=first.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "horizon": self.horizon,
            "segment_length": self.segment_length,
            "channels": self.channels,
            "units": self.units,
            "cell": self.cell_name,
            "quantiles": self.quantiles,
            "independent": self.independent,
            "dropout": self.dropout,
            "seed": self.seed,
            "attention": self.attention,
            "projection_initializer": keras.initializers.serialize(self.projection_initializer),
        }
