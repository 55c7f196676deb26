"""A decoder layer: `keras.layers.RNN` around an `AttentionDecoderCell`."""

import keras

from keras_seq.layers._masking import check_mask
from keras_seq.layers.attention_decoder_cell import AttentionDecoderCell


@keras.saving.register_keras_serializable(package="keras_seq")
class AttentionDecoder(keras.layers.RNN):
    """Runs an `AttentionDecoderCell` over a target sequence (teacher forcing).

    `keras.layers.RNN` owns the loop, masking, `return_state` and
    `go_backwards`. This layer adds the memory: it prepares it once
    (`cell.prepare_memory`) and hands it to the cell for the duration of the
    call, since Keras 3's `RNN` passes no `constants` to cells. It returns
    the attentional outputs and the alignment history separately.

    Args:
        cell: an `AttentionDecoderCell`.
        return_sequences: bool. Outputs of every step (default `True`) or the
            last only.
        return_state: bool. Also return the final states.
        go_backwards, stateful, unroll: as in `keras.layers.RNN`.

    Call arguments:
        sequences: `(B, Tq, D)` decoder inputs (e.g. embedded target tokens
            shifted right).
        memory: `(B, Tv, Dv)` encoder outputs.
        memory_mask: bool `(B, Tv)` or None (every position real): the
            real positions of the memory, such as `PaddingMask()(source)`.
        mask: bool `(B, Tq)` or None: the real steps of `sequences`.
            Pass both masks explicitly: Keras fills them from the inputs'
            own masks only where its layers still propagate one.
        initial_state: list of the cell's states; the wrapped cell's states
            alone (e.g. the encoder's final states) are completed with a zero
            attentional output.
        training: bool.

    Returns:
        `(outputs, alignments)`: `(B, Tq, A)` and `(B, Tq, Tv)` (last step
        only, `(B, A)` and `(B, Tv)`, if `return_sequences=False`), followed
        by the final states if `return_state=True`.

    Examples:
        >>> cell = AttentionDecoderCell(GRUCell(16), BahdanauAttention(8))
        >>> outputs, alignments = AttentionDecoder(cell)(
        ...     np.ones((2, 7, 8)), np.ones((2, 5, 12)))
        >>> alignments.shape
        (2, 7, 5)
    """

    def __init__(
        self,
        cell,
        return_sequences=True,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        **kwargs,
    ):
        if isinstance(cell, dict):
            cell = keras.saving.deserialize_keras_object(cell)
        if not isinstance(cell, AttentionDecoderCell):
            raise ValueError(f"AttentionDecoder needs an AttentionDecoderCell; received {cell!r}.")
        super().__init__(cell, return_sequences, return_state, go_backwards, stateful, unroll, **kwargs)
        self.supports_masking = True  # the outputs carry the steps' mask (see compute_mask)

    def build(self, sequences_shape, memory_shape, memory_mask_shape=None, initial_state_shape=None):
        if len(sequences_shape) != 3:
            raise ValueError(
                "AttentionDecoder expects sequences of shape (batch, timesteps, features); received shape "
                f"{tuple(sequences_shape)}."
            )
        if len(memory_shape) != 3:
            raise ValueError(
                "AttentionDecoder expects a memory of shape (batch, Tv, features); received shape "
                f"{tuple(memory_shape)}."
            )
        if not self.cell.built:
            step_shape = (sequences_shape[0], sequences_shape[-1])
            self.cell.build(step_shape, memory_shape)
            self.cell.built = True
        super().build(sequences_shape, initial_state_shape)

    def call(
        self, sequences, memory, memory_mask=None, initial_state=None, mask=None, training=False, sequences_mask=None
    ):
        # with several tensor arguments Keras fills `<name>_mask` from each
        # argument's own mask, not `mask`
        mask = sequences_mask if mask is None else mask
        check_mask("AttentionDecoder", mask, tuple(sequences.shape[:2]))
        check_mask("AttentionDecoder", memory_mask, tuple(memory.shape[:2]), "memory_mask")
        prepared = self.cell.prepare_memory(memory, memory_mask)
        if initial_state is not None or self.cell.tracks_alignments:
            initial_state = self.cell.complete_state([] if initial_state is None else initial_state, prepared)
        self.cell.hand_over(prepared)
        try:
            result = super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        finally:
            self.cell.hand_over(None)
        if self.return_state:
            output, states = result[0], list(result[1:])
        else:
            output, states = result, []
        attentional, alignments = self.cell.split_output(output)
        return (attentional, alignments, *states) if self.return_state else (attentional, alignments)

    def compute_output_shape(self, sequences_shape, memory_shape, memory_mask_shape=None, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        units, tv = self.cell.output_units, memory_shape[1]
        if self.return_sequences:
            shapes = [(batch, steps, units), (batch, steps, tv)]
        else:
            shapes = [(batch, units), (batch, tv)]
        if self.return_state:
            shapes += [(batch, size) for size in self.cell.state_size]
        return tuple(shapes)

    def compute_mask(self, sequences, mask=None):
        # Keras calls compute_mask(first argument, its Keras mask): the
        # sequences' mask is the steps' mask, for the outputs and alignments
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask]
        if self.return_state:
            masks += [None] * len(self.cell.state_size)
        return masks

    def get_config(self):
        config = super().get_config()
        for key in ("zero_output_for_mask",):
            config.pop(key, None)
        return config
