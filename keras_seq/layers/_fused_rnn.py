"""`FusedRNN`: what every keras_seq recurrent layer declares itself (not public)."""

import keras

from keras_seq.layers._masking import check_mask

# The keyword arguments of keras.layers.RNN and keras.layers.Layer: a layer keeps them, its cell takes the rest.
LAYER_ARGUMENTS = frozenset(
    {
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "zero_output_for_mask",
        "activity_regularizer",
        "trainable",
        "dtype",
        "autocast",
        "name",
        "input_shape",
        "input_dim",
        "batch_input_shape",
        "batch_size",
    }
)


class FusedRNN(keras.layers.RNN):
    """A `keras.layers.RNN` with its own mask semantics and a fused path.

    `keras.layers.RNN` owns the loop, `return_sequences`, `return_state`,
    `go_backwards` and `stateful`. This class declares, instead of
    inheriting them from the Keras version at hand:

    - **masks**: the layer takes a `mask` `(B, T)` (checked here, once for
      every subclass), masked steps carry the state over, and its outputs
      carry the mask on when `return_sequences` (`supports_masking`,
      `compute_mask`). Keras' next release stops `RNN` from doing so; a
      model should pass its masks explicitly all the same;
    - **the fused path** (`fused`): `"auto"` runs the whole sequence
      through a kernel of `keras_seq.ops` when `can_fuse` says it can,
      `True` insists (and raises otherwise), `False` always runs the cell
      step by step. Both paths give the same numbers. A subclass
      implements `fused_supported(mask)` and `inner_loop`, and names what
      its kernel needs in `fused_requirements`.

    `output_count` is how many sequences the layer returns before its
    states (the NTM returns its read and write weightings too).

    A subclass' constructor names its cell's leading arguments and `fused`;
    `split_arguments` hands every other keyword to the cell, except those
    of `keras.layers.RNN` and `keras.layers.Layer`, which stay here.
    """

    fused_requirements = "the default activations and unroll=False"

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
        super().__init__(cell, return_sequences, return_state, go_backwards, stateful, unroll, **kwargs)
        self.fused = fused
        self.supports_masking = True
        if fused is True and not self.can_fuse():
            raise ValueError(
                f"fused=True is not possible for this {type(self).__name__}: it needs {self.fused_requirements}. "
                "Pass fused='auto' to fall back to the step loop."
            )

    @staticmethod
    def split_arguments(kwargs, cell_name):
        """`(cell_kwargs, layer_kwargs)` of a layer's keyword arguments.

        The cell also gets the layer's `dtype` and `trainable`, and the name
        `cell_name`; a `cell` entry (a saved config's) is dropped, since the
        arguments rebuild it.
        """
        layer = {key: value for key, value in kwargs.items() if key in LAYER_ARGUMENTS}
        cell = {key: value for key, value in kwargs.items() if key not in LAYER_ARGUMENTS and key != "cell"}
        cell.update(dtype=layer.get("dtype"), trainable=layer.get("trainable", True), name=cell_name)
        return cell, layer

    @property
    def output_count(self):
        return 1

    # ----------------------------------------------------------- fast path
    def can_fuse(self, mask=None):
        """Whether the sequence (with this `mask`) runs through the kernel."""
        return self.fused is not False and not self.unroll and self.fused_supported(mask)

    def fused_supported(self, mask=None):
        """The conditions of a subclass' kernel."""
        return True

    # --------------------------------------------------------------- masks
    def call(self, sequences, initial_state=None, mask=None, training=False):
        mask = self.check_mask(sequences, mask)
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def check_mask(self, sequences, mask):
        """The mask `(B, T)` of `sequences`, or None; a ValueError names a
        mask of another shape."""
        mask = mask[0] if isinstance(mask, (list, tuple)) else mask
        check_mask(type(self).__name__, mask, tuple(sequences.shape[:2]))
        return mask

    def compute_mask(self, sequences, mask=None):
        mask = self.check_mask(sequences, mask) if mask is not None else None
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * self.output_count
        if self.return_state:
            sizes = self.cell.state_size
            masks += [None] * (len(sizes) if isinstance(sizes, (list, tuple)) else 1)
        return masks if len(masks) > 1 else masks[0]

    # -------------------------------------------------------------- config
    def get_config(self):
        """The layer's arguments with its cell's, flat, as
        `keras.layers.LSTM` writes them (the cell is rebuilt from them)."""
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["fused"] = self.fused
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
