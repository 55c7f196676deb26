"""Neural Turing Machine layer: `keras.layers.RNN` around an `NTMCell`."""

import keras
from keras import ops

from keras_seq.layers._fused_rnn import FusedRNN
from keras_seq.layers.ntm_cell import NTMCell
from keras_seq.ops.ntm import ntm_sequence


@keras.saving.register_keras_serializable(package="keras_seq")
class NTM(FusedRNN):
    """A Neural Turing Machine over a sequence: `keras.layers.RNN(NTMCell(...))`.

    `keras.layers.RNN` owns the loop, masking, `return_sequences`,
    `return_state`, `go_backwards` and `stateful`. With an LSTM controller
    and no mask, the sequence runs through `keras_seq.ops.ntm_sequence`, a
    kernel with a hand-written backward pass (the same numbers, about twice
    the training speed); otherwise the cell runs step by step. With
    `return_weightings=True` the layer also returns every step's read and
    write weightings, for a look at what the heads did
    (`keras_seq.plotting.plot_memory` draws them).

    Args:
        units, memory_size, memory_width: as in `NTMCell`.
        fused: `"auto"` (default), `True` or `False`: whether to run the
            sequence kernel (see above). `True` raises where it cannot
            (a feed-forward controller, `unroll`, a mask). Keyword only.
        **kwargs: the other arguments of `NTMCell` (`read_heads`,
            `write_heads`, `shift_range`, `controller`, `clip`,
            `memory_init`, `epsilon`, `kernel_initializer`, and
            `return_weightings`: also return the weightings, `(B, T, R, N)`
            and `(B, T, W, N)`, the last step's `(B, R, N)` and
            `(B, W, N)` if `return_sequences=False`), and those of
            `keras.layers.RNN` (`return_sequences`: the output of every
            step `(B, T, U + R*M)` instead of the last one; `return_state`:
            also the final states, see `NTMCell`; `go_backwards`,
            `stateful`, `unroll`).

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional list of the cell's states.
        mask: optional bool `(B, T)`; masked steps leave memory and heads as
            they were.
        training: bool.

    Returns:
        The outputs, then the read and write weightings if
        `return_weightings`, then the final states if `return_state`.

    Examples:
        >>> outputs, reads, writes = NTM(32, 16, 8, return_sequences=True, return_weightings=True)(
        ...     np.zeros((2, 5, 10)))
        >>> outputs.shape, reads.shape
        ((2, 5, 40), (2, 5, 1, 16))
    """

    fused_requirements = "controller='lstm' and unroll=False"

    def __init__(self, units, memory_size, memory_width, *, fused="auto", **kwargs):
        cell_kwargs, layer_kwargs = self.split_arguments(kwargs, "ntm_cell")
        cell = NTMCell(units, memory_size, memory_width, **cell_kwargs)
        super().__init__(cell, fused=fused, **layer_kwargs)

    @property
    def output_count(self):
        return 3 if self.cell.return_weightings else 1

    # ---------------------------------------------------------- fast path
    def fused_supported(self, mask=None):
        return self.cell.controller_type == "lstm" and mask is None

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if not self.can_fuse(mask):
            if self.fused is True:
                raise ValueError(
                    "NTM(fused=True) cannot run a masked sequence; pass fused='auto' to run the cell step by step."
                )
            return super().inner_loop(sequences, initial_state, mask, training)
        cell = self.cell
        n, m, r, w = cell.memory_size, cell.memory_width, cell.read_heads, cell.write_heads
        x = ops.flip(sequences, axis=1) if self.go_backwards else sequences
        x = ops.transpose(x, (1, 0, 2))  # (T, B, D)
        controller = cell.controller
        kernel = ops.cast(controller.kernel, x.dtype)  # (D + R*M, 4U), a tensor
        inputs_dim = x.shape[-1]
        inputs_proj = ops.matmul(x, kernel[:inputs_dim]) + ops.cast(controller.bias, x.dtype)  # (T, B, 4U)
        h0, c0, memory0, reads0, read_w0, write_w0 = initial_state
        weights0 = ops.concatenate(
            [ops.reshape(read_w0, (-1, r, n)), ops.reshape(write_w0, (-1, w, n))], axis=1
        )  # (B, R+W, N)
        hs, cs, reads, weights, memory = ntm_sequence(
            inputs_proj,
            (h0, c0, ops.reshape(memory0, (-1, n, m)), reads0, weights0),
            kernel[inputs_dim:],
            ops.cast(controller.recurrent_kernel, x.dtype),
            ops.cast(cell.interface.kernel, x.dtype),
            ops.cast(cell.interface.bias, x.dtype),
            (n, m, r, w, cell.shift_range, cell.clip, cell.epsilon),
        )
        steps = ops.shape(hs)[0]
        read_ws, write_ws = ops.split(weights, [r], axis=2)  # (T, B, R, N), (T, B, W, N)
        read_ws = ops.reshape(read_ws, (steps, -1, r * n))  # (T, B, R*N)
        write_ws = ops.reshape(write_ws, (steps, -1, w * n))  # (T, B, W*N)
        outputs = [ops.clip(hs, -cell.clip, cell.clip), reads]
        if cell.return_weightings:
            outputs += [read_ws, write_ws]
        outputs = ops.transpose(ops.concatenate(outputs, axis=-1), (1, 0, 2))  # (B, T, output_size)
        final_states = [hs[-1], cs[-1], ops.reshape(memory, (-1, n * m)), reads[-1], read_ws[-1], write_ws[-1]]
        return outputs[:, -1], outputs, final_states

    def call(self, sequences, initial_state=None, mask=None, training=False):
        result = super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        if not self.cell.return_weightings:
            return result
        output, states = (result[0], list(result[1:])) if self.return_state else (result, [])
        return (*self.cell.split_output(output), *states)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        cell = self.cell
        lead = (batch, steps) if self.return_sequences else (batch,)
        shapes = [lead + (cell.output_units,)]
        if cell.return_weightings:
            shapes += [lead + (cell.read_heads, cell.memory_size), lead + (cell.write_heads, cell.memory_size)]
        if self.return_state:
            shapes += [(batch, size) for size in cell.state_size]
        return tuple(shapes) if len(shapes) > 1 else shapes[0]
