"""Neural Turing Machine layer: `keras.layers.RNN` around an `NTMCell`."""

import keras

from keras_seq.layers.ntm_cell import NTMCell

_CELL_ARGS = (
    "units",
    "memory_size",
    "memory_width",
    "read_heads",
    "write_heads",
    "shift_range",
    "controller",
    "clip",
    "memory_init",
    "epsilon",
    "return_weightings",
    "kernel_initializer",
)


@keras.saving.register_keras_serializable(package="keras_seq")
class NTM(keras.layers.RNN):
    """A Neural Turing Machine over a sequence: `keras.layers.RNN(NTMCell(...))`.

    `keras.layers.RNN` owns the loop, masking, `return_sequences`,
    `return_state`, `go_backwards` and `stateful`. With
    `return_weightings=True` the layer also returns every step's read and
    write weightings, for a look at what the heads did
    (`keras_seq.plotting.plot_memory` draws them).

    Args:
        units, memory_size, memory_width, read_heads, write_heads,
        shift_range, controller, clip, memory_init, epsilon,
        kernel_initializer: as in `NTMCell`.
        return_weightings: bool. Also return the weightings, `(B, T, R, N)`
            and `(B, T, W, N)` (the last step's `(B, R, N)` and `(B, W, N)`
            if `return_sequences=False`).
        return_sequences: bool. The output of every step `(B, T, U + R*M)`
            instead of the last one.
        return_state: bool. Also return the final states (see `NTMCell`).
        go_backwards, stateful, unroll: as in `keras.layers.RNN`.

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional list of the cell's states.
        mask: optional bool `(B, T)`; masked steps leave memory and heads as
            they were.
        training: bool.

    Returns:
        The outputs, then the read and write weightings if
        `return_weightings`, then the final states if `return_state`.

    Example:
    >>> outputs, reads, writes = NTM(32, 16, 8, return_sequences=True, return_weightings=True)(
    ...     np.zeros((2, 5, 10)))
    >>> outputs.shape, reads.shape
    ((2, 5, 40), (2, 5, 1, 16))
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        **kwargs,
    ):
        args = locals()
        kwargs.pop("cell", None)  # a saved config carries the cell; the arguments rebuild it
        cell = NTMCell(**{name: args[name] for name in _CELL_ARGS}, name="ntm_cell", dtype=kwargs.get("dtype"))
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

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

    def compute_mask(self, sequences, mask=None):
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (3 if self.cell.return_weightings else 1)
        if self.return_state:
            masks += [None] * len(self.cell.state_size)
        return masks if len(masks) > 1 else masks[0]

    def get_config(self):
        config = super().get_config()
        for key in ("cell", "zero_output_for_mask"):
            config.pop(key, None)
        cell = self.cell
        config.update({name: getattr(cell, name) for name in _CELL_ARGS if name not in ("controller", "kernel_initializer")})
        config["controller"] = cell.controller_type
        config["kernel_initializer"] = keras.saving.serialize_keras_object(cell.kernel_initializer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
