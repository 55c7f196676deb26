"""Shared plumbing of the keras_seq recurrent layers (not public)."""

import keras
from keras import ops

_CELL_ARGS = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


class RecurrentLayerBase(keras.layers.RNN):
    """A `keras.layers.RNN` around one of our cells, with a fused fast path.

    `keras.layers.RNN` owns the loop, masking, `return_sequences`,
    `return_state`, `go_backwards` and `stateful`. This class adds:

    - the cell's arguments exposed as attributes and in `get_config`, so the
      layer reads and serializes like `keras.layers.LSTM`;
    - dropout masks drawn once per sequence before the loop;
    - checks that name the problem (input rank, mask shape);
    - `fused`: when the configuration allows (standard activations, not
      unrolled), the whole sequence runs through a kernel of
      `keras_seq.ops` whose input projection is one matmul and whose
      backward pass is written by hand; recurrent dropout runs inside it,
      with the mask of the sequence drawn before the loop. `"auto"` takes
      it when it can, `True` insists (and raises otherwise), `False`
      always runs the cell step by step. Both paths give the same numbers.
    """

    cell_class = None
    extra_cell_args = ()

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        fused="auto",
        **kwargs,
    ):
        if fused not in ("auto", True, False):
            raise ValueError(f"`fused` must be 'auto', True or False; received fused={fused!r}.")
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )
        self.fused = fused
        if fused is True and not self.can_fuse():
            raise ValueError(
                f"fused=True is not possible for this {type(self).__name__}: "
                "it needs the default activations, unroll=False and none of "
                "the cell's step-only options. Pass fused='auto' to fall back to the step loop."
            )

    @classmethod
    def make_cell(cls, args, kwargs):
        """Build the cell from the layer's arguments (`locals()` of __init__)."""
        cell_kwargs = {name: args[name] for name in _CELL_ARGS + cls.extra_cell_args}
        return cls.cell_class(
            **cell_kwargs,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name=f"{cls.cell_class.__name__[:-4].lower()}_cell",
        )

    # ------------------------------------------------------------- checks
    def check_rank(self, shape):
        """Raise a ValueError naming the shape unless it is `(B, T, D)`."""
        if len(shape) != 3:
            raise ValueError(f"{type(self).__name__} expects a 3D input (batch, timesteps, features); received an input of shape {tuple(shape)}.")

    def build(self, sequences_shape, initial_state_shape=None):
        self.check_rank(sequences_shape)  # first call
        super().build(sequences_shape, initial_state_shape)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        self.check_rank(sequences.shape)  # later calls of a built layer
        if mask is not None:
            mask = mask[0] if isinstance(mask, (list, tuple)) else mask
            expected = tuple(sequences.shape[:2])
            got = tuple(mask.shape)
            fits = len(got) == 2 and all(e is None or g is None or e == g for e, g in zip(expected, got))
            if not fits:
                raise ValueError(f"{type(self).__name__} expects a mask of shape (batch, timesteps) = {expected}; received a mask of shape {got}.")
        self.cell.set_dropout_masks(self.cell.make_dropout_masks(sequences[:, 0, :]) if training else (None, None))
        try:
            return super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        finally:
            self.cell.set_dropout_masks((None, None))

    # ---------------------------------------------------------- fast path
    def can_fuse(self):
        cell = self.cell
        recurrent = getattr(cell, "recurrent_activation", keras.activations.sigmoid)
        return (
            self.fused is not False
            and not self.unroll
            and cell.activation is keras.activations.tanh
            and recurrent is keras.activations.sigmoid
            and self.fused_supported()
        )

    def fused_supported(self):
        """Extra conditions of a subclass' kernel."""
        return True

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not self.can_fuse():
            return super().inner_loop(sequences, initial_state, mask, training)
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        x = sequences  # (B, T, D)
        input_mask = self.cell._dropout_mask
        if training and input_mask is not None:
            x = x * ops.expand_dims(input_mask, 1)  # same mask at every step
        if self.go_backwards:
            x = ops.flip(x, axis=1)
            mask = None if mask is None else ops.flip(mask, axis=1)
        time_mask = None
        if mask is not None:
            time_mask = ops.cast(ops.transpose(mask)[..., None], x.dtype)  # (T, B, 1)
        x = ops.transpose(x, (1, 0, 2))  # (T, B, D)
        state_mask = self.cell._recurrent_dropout_mask if training else None  # (B, U), one per sequence
        states = self.run_fused(x, list(initial_state), time_mask, state_mask)  # each (T, B, U)
        outputs = states[0]  # (T, B, U)
        if time_mask is not None:
            if self.zero_output_for_mask:
                outputs = outputs * time_mask
            else:
                # before the first real step Keras emits zeros, not h0
                seen = ops.cast(ops.cumsum(time_mask, axis=0) > 0, x.dtype)
                outputs = outputs * seen
        last_output = outputs[-1]  # (B, U)
        final_states = [s[-1] for s in states]
        return last_output, ops.transpose(outputs, (1, 0, 2)), final_states

    def weight(self, variable, like):
        """A cell weight as a tensor of the compute dtype of `like`."""
        return ops.cast(variable, like.dtype)  # a tensor, never the variable

    def project_inputs(self, x, bias):
        """`x W + b` for every step at once: `(T, B, D) -> (T, B, G*U)`."""
        proj = ops.matmul(x, self.weight(self.cell.kernel, x))
        return proj if bias is None else proj + bias

    def run_fused(self, x, initial_state, time_mask, state_mask=None):
        """Return the list of state sequences, each `(T, B, U)`;
        `state_mask` is the recurrent dropout mask `(B, U)`, or None."""
        raise NotImplementedError

    # ------------------------------------------------------------- config
    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        del config["cell"]
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["fused"] = self.fused
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def forward_cell_attributes(layer_class, names):
    """Expose the cell's arguments as read-only attributes of the layer."""
    for name in names:
        setattr(
            layer_class,
            name,
            property(lambda self, n=name: getattr(self.cell, n)),
        )
    return layer_class


forward_cell_attributes(RecurrentLayerBase, _CELL_ARGS)
