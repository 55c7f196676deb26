"""One step of a Neural Turing Machine: a controller with a soft memory."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_positive_int, check_units
from keras_seq.layers.content_addressing import ContentAddressing
from keras_seq.layers.lstm_cell import LSTMCell

CONTROLLERS = ("lstm", "feedforward")


@keras.saving.register_keras_serializable(package="keras_seq")
class NTMCell(keras.layers.Layer):
    """One step of a Neural Turing Machine (Graves et al., 2014).

    A controller (our `LSTMCell`, or a feed-forward `tanh` layer) reads the
    step's input and the previous read vectors. One dense layer maps its
    output to every head's parameters. Each head addresses the memory
    `(N, M)`:

    1. by content: `softmax(beta * cos(k, M_i))`, through
       `ContentAddressing` (the public attention base), `beta = softplus`;
    2. interpolation with its previous weighting by a gate `g` (sigmoid);
    3. a circular shift by a softmax over the offsets `-s..s`;
    4. sharpening, `w^gamma / sum(w^gamma)` with `gamma = 1 + softplus`.

    Read heads read `r = w M`; write heads then erase (sigmoid `e`) and add
    (tanh `a`): `M <- M * prod_h(1 - w_h e_h) + sum_h w_h a_h`. Reads and
    writes of a step both address the memory as it was before the step. The
    cell's output is the controller's output and this step's reads,
    concatenated: `(B, units + read_heads * M)`; put a `Dense` on it.

    Stability: the memory starts at a constant (`memory_init`, 1e-6) and
    every head's weighting on slot 0; an epsilon sits in the cosine norms
    and the sharpening; the controller's output and the head parameters are
    clipped to `±clip`.

    Everything lives in the states, so `keras.layers.RNN` runs the cell
    with masking, `return_sequences` and `return_state` (the `NTM` layer
    does so and can also return the weightings). The states are, in order:
    the controller's (`h, c` for the LSTM, none for feed-forward), the
    memory `(B, N*M)`, the read vectors `(B, R*M)`, the read weightings
    `(B, R*N)` and the write weightings `(B, W*N)`, all flat.

    Args:
        units: int > 0. Size of the controller.
        memory_size: int > 0. Number of memory slots `N`.
        memory_width: int > 0. Width `M` of a slot.
        read_heads: int > 0. Default 1.
        write_heads: int > 0. Default 1.
        shift_range: int >= 0, `2 * shift_range + 1 <= memory_size`. The
            heads shift by at most this many slots per step. Default 1.
        controller: `"lstm"` (default) or `"feedforward"`.
        clip: float > 0. Bound of the controller's output and of the head
            parameters. Default 20.
        memory_init: float. The constant the memory starts at. Default 1e-6.
        epsilon: float > 0. Default 1e-6.
        return_weightings: bool. Append the read and write weightings
            `(B, R*N + W*N)` to the output (`split_output` separates them).
        kernel_initializer: initializer of the controller's and the head
            layer's kernels. Default `"glorot_uniform"`.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        inputs: `(B, D)`, this step's input.
        states: the list of states described above.
        training: bool.

    Returns:
        `(output, new_states)`.

    Examples:
        >>> layer = keras.layers.RNN(NTMCell(32, memory_size=16, memory_width=8), return_sequences=True)
        >>> layer(np.zeros((2, 5, 10))).shape
        (2, 5, 40)
    """

    def __init__(
        self,
        units,
        memory_size,
        memory_width,
        read_heads=1,
        write_heads=1,
        shift_range=1,
        controller="lstm",
        clip=20.0,
        memory_init=1e-6,
        epsilon=1e-6,
        return_weightings=False,
        kernel_initializer="glorot_uniform",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.memory_size = check_positive_int("memory_size", memory_size)
        self.memory_width = check_positive_int("memory_width", memory_width)
        self.read_heads = check_positive_int("read_heads", read_heads)
        self.write_heads = check_positive_int("write_heads", write_heads)
        if isinstance(shift_range, bool) or not isinstance(shift_range, int) or shift_range < 0:
            raise ValueError(f"`shift_range` must be an integer >= 0; received shift_range={shift_range!r}.")
        if 2 * shift_range + 1 > memory_size:
            raise ValueError(
                f"`shift_range` must leave the shifts -s..s distinct on a memory of {memory_size} slots "
                f"(2 * shift_range + 1 <= memory_size); received shift_range={shift_range}."
            )
        self.shift_range = shift_range
        if controller not in CONTROLLERS:
            raise ValueError(f"`controller` must be one of {CONTROLLERS}; received controller={controller!r}.")
        self.controller_type = controller
        for name, value in (("clip", clip), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"`{name}` must be a positive float; received {name}={value!r}.")
        self.clip = float(clip)
        self.memory_init = float(memory_init)
        self.epsilon = float(epsilon)
        self.return_weightings = bool(return_weightings)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

        n, m, r, w = self.memory_size, self.memory_width, self.read_heads, self.write_heads
        self.head_size = m + 3 + (2 * shift_range + 1)  # key, beta, g, shift, gamma
        if controller == "lstm":
            self.controller = LSTMCell(units, kernel_initializer=kernel_initializer, name="controller")
            controller_states = [units, units]
        else:
            self.controller = keras.layers.Dense(
                units, activation="tanh", kernel_initializer=kernel_initializer, name="controller"
            )
            controller_states = []
        self.interface = keras.layers.Dense(
            r * self.head_size + w * (self.head_size + 2 * m), kernel_initializer=kernel_initializer, name="interface"
        )
        self.addressing = ContentAddressing(epsilon=epsilon, name="addressing")
        self.state_size = controller_states + [n * m, r * m, r * n, w * n]
        self.output_units = units + r * m
        self.output_size = self.output_units + ((r + w) * n if self.return_weightings else 0)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"NTMCell needs a known feature size; received input shape {tuple(input_shape)}.")
        controller_input = (input_shape[0], input_dim + self.read_heads * self.memory_width)
        self.controller.build(controller_input)
        self.interface.build((input_shape[0], self.units))

    # ------------------------------------------------------------------ state
    def get_initial_state(self, batch_size=None):
        n, m, r, w = self.memory_size, self.memory_width, self.read_heads, self.write_heads
        dtype = self.compute_dtype
        controller = [ops.zeros((batch_size, self.units), dtype) for _ in self.state_size[:-4]]
        memory = ops.full((batch_size, n * m), self.memory_init, dtype)
        reads = ops.full((batch_size, r * m), self.memory_init, dtype)  # slot 0 of the constant memory
        first_slot = ops.one_hot(ops.zeros((batch_size,), "int32"), n, dtype=dtype)  # (B, N)
        return controller + [memory, reads, ops.tile(first_slot, (1, r)), ops.tile(first_slot, (1, w))]

    # ------------------------------------------------------------ addressing
    def address(self, params, memory, previous):
        """Weightings `(B, H, N)` of `H` heads from their parameters
        `(B, H, head_size)`, the memory `(B, N, M)` and their previous
        weightings `(B, H, N)`."""
        m, s = self.memory_width, 2 * self.shift_range + 1
        # one split, not five slices: its gradient is one concatenation
        key, strength, gate, shift, gamma = ops.split(params, [m, m + 1, m + 2, m + 2 + s], axis=-1)
        strength = ops.softplus(strength)  # (B, H, 1)
        gate = ops.sigmoid(gate)  # (B, H, 1)
        shift = ops.softmax(shift, axis=-1)  # (B, H, S)
        gamma = 1.0 + ops.softplus(gamma)  # (B, H, 1)
        query = self.addressing.scaled_query(key, strength)  # (B, H, M)
        content = self.addressing.attention_weights(query, self.addressing.prepare_keys(memory))  # (B, H, N)
        gated = gate * content + (1.0 - gate) * previous  # (B, H, N)
        shifted = 0.0
        for offset, weight in zip(range(-self.shift_range, self.shift_range + 1), ops.split(shift, s, axis=-1)):
            shifted = shifted + ops.roll(gated, offset, axis=-1) * weight  # (B, H, N)
        sharp = ops.power(shifted + self.epsilon, gamma)  # (B, H, N)
        return sharp / ops.sum(sharp, axis=-1, keepdims=True)

    # ------------------------------------------------------------------- step
    def call(self, inputs, states, training=False):
        n, m, r, w = self.memory_size, self.memory_width, self.read_heads, self.write_heads
        controller_states = list(states[:-4])
        memory, reads, read_w, write_w = states[-4:]
        memory = ops.reshape(memory, (-1, n, m))  # (B, N, M)
        x = ops.concatenate([inputs, reads], axis=-1)  # (B, D + R*M)
        if controller_states:
            h, controller_states = self.controller(x, controller_states, training=training)
        else:
            h = self.controller(x)  # (B, U)
        h = ops.clip(h, -self.clip, self.clip)
        params = ops.clip(self.interface(h), -self.clip, self.clip)  # (B, P)
        read_params, write_params = ops.split(params, [r * self.head_size], axis=-1)
        read_params = ops.reshape(read_params, (-1, r, self.head_size))  # (B, R, P_h)
        write_params = ops.reshape(write_params, (-1, w, self.head_size + 2 * m))  # (B, W, P_h + 2M)
        write_params, erase, add = ops.split(write_params, [self.head_size, self.head_size + m], axis=-1)
        # all heads address the memory together, as rows of one batch of heads
        previous = ops.concatenate(
            [ops.reshape(read_w, (-1, r, n)), ops.reshape(write_w, (-1, w, n))], axis=1
        )  # (B, R+W, N)
        weightings = self.address(ops.concatenate([read_params, write_params], axis=1), memory, previous)  # (B, R+W, N)
        read_w, write_w = ops.split(weightings, [r], axis=1)  # (B, R, N), (B, W, N)
        read = ops.sum(
            ops.expand_dims(read_w, -1) * ops.expand_dims(memory, 1), axis=2
        )  # (B, R, M), a broadcast product (see ContentAddressing.score)
        erase = ops.sigmoid(erase)  # (B, W, M)
        add = ops.tanh(add)  # (B, W, M)
        kept, added = 1.0, 0.0
        for head in range(w):  # outer products; cheaper than a product over an axis, and its gradient
            weighting = ops.expand_dims(write_w[:, head], -1)  # (B, N, 1)
            kept = kept * (1.0 - weighting * ops.expand_dims(erase[:, head], -2))  # (B, N, M)
            added = added + weighting * ops.expand_dims(add[:, head], -2)  # (B, N, M)
        memory = memory * kept + added  # (B, N, M)
        reads = ops.reshape(read, (-1, r * m))  # (B, R*M)
        read_w = ops.reshape(read_w, (-1, r * n))  # (B, R*N)
        write_w = ops.reshape(write_w, (-1, w * n))  # (B, W*N)
        output = ops.concatenate([h, reads], axis=-1)  # (B, U + R*M)
        if self.return_weightings:
            output = ops.concatenate([output, read_w, write_w], axis=-1)  # (B, U + R*M + (R+W)*N)
        return output, controller_states + [ops.reshape(memory, (-1, n * m)), reads, read_w, write_w]

    def split_output(self, output):
        """`(output, read_weightings, write_weightings)` from a step's or a
        sequence's output of a cell with `return_weightings=True`: the
        weightings are `(..., R, N)` and `(..., W, N)`."""
        n, r, w = self.memory_size, self.read_heads, self.write_heads
        lead = tuple(output.shape[:-1])
        lead = tuple(d if d is not None else ops.shape(output)[i] for i, d in enumerate(lead))
        units = self.output_units
        reads = ops.reshape(output[..., units : units + r * n], lead + (r, n))
        writes = ops.reshape(output[..., units + r * n :], lead + (w, n))
        return output[..., :units], reads, writes

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "memory_size": self.memory_size,
            "memory_width": self.memory_width,
            "read_heads": self.read_heads,
            "write_heads": self.write_heads,
            "shift_range": self.shift_range,
            "controller": self.controller_type,
            "clip": self.clip,
            "memory_init": self.memory_init,
            "epsilon": self.epsilon,
            "return_weightings": self.return_weightings,
            "kernel_initializer": keras.saving.serialize_keras_object(self.kernel_initializer),
        }
