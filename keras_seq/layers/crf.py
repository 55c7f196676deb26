"""Linear-chain conditional random field over per-token tag scores."""

import keras
from keras import ops

from keras_seq.data.tag_schemes import allowed_transitions, check_scheme
from keras_seq.layers._masking import check_mask
from keras_seq.ops.crf import crf_decode, crf_pack


@keras.saving.register_keras_serializable(package="keras_seq")
class CRF(keras.layers.Layer):
    """A linear-chain CRF (Lafferty et al., 2001) over tag scores `(B, T, K)`.

    It learns a transition matrix `(K, K)` and the scores of a sentence's
    first and last tags, and outputs the **packed scores** `(B, T, K+1, K)`
    of `keras_seq.ops.crf_pack`: every step's pairwise scores with the
    mask beside them. `CRFLoss` (the negative log-likelihood, from the
    forward algorithm) and `CRFAccuracy` read them in `compile`, and
    `CRFDecode` (or `viterbi_decode`) turns them into the best tag paths by
    Viterbi. The model's output alone holds all three need, so a compiled
    model saves, loads and trains on without being rebuilt.

    With `scheme`, transitions that the chunk scheme forbids (IOB2: an
    `I-X` after `O` or after `B-Y`) score `-1e9`, so no decoded path ever
    breaks it. The training tags must then follow the scheme
    (`keras_seq.data.tag_schemes.to_iob2` repairs them).

    Args:
        num_tags: int > 0, `K`.
        tags: optional list of the `K` tag names (needed by `scheme`).
        scheme: None, `"iob1"`, `"iob2"` or `"bioes"`: the allowed
            transitions of `tags`.
        transitions_initializer: initializer of the three weights.
            Default `"zeros"`.
        transitions_regularizer: optional regularizer of the transitions.
        **kwargs: as for `keras.layers.Layer` (`name`, `dtype`).

    Call arguments:
        emissions: `(B, T, K)` per-token scores (a `Dense(K)` over an
            encoder, no activation).
        mask: optional bool `(B, T)`, True at real tokens. Pass it
            explicitly (e.g. `PaddingMask()(ids)`).

    Returns:
        The packed scores `(B, T, K+1, K)`, float32. The output carries no
        Keras mask: the mask is inside.

    Examples:
        >>> ids = keras.Input((None,), dtype="int32")
        >>> mask = PaddingMask()(ids)
        >>> x = keras.layers.Embedding(1000, 32)(ids)
        >>> x = keras.layers.Bidirectional(LSTM(32, return_sequences=True))(x, mask=mask)
        >>> crf = CRF(3, tags=["O", "B-PER", "I-PER"], scheme="iob2")
        >>> model = keras.Model(ids, crf(keras.layers.Dense(3)(x), mask=mask))
        >>> model.compile("adam", loss=CRFLoss(), metrics=[CRFAccuracy()])
        >>> tags, scores = crf.viterbi_decode(model.predict(word_ids))  # (B, T), (B,)
    """

    def __init__(
        self, num_tags, tags=None, scheme=None, transitions_initializer="zeros", transitions_regularizer=None, **kwargs
    ):
        super().__init__(**kwargs)
        if isinstance(num_tags, bool) or not isinstance(num_tags, int) or num_tags < 1:
            raise ValueError(f"`num_tags` must be a positive int; received num_tags={num_tags!r}.")
        self.num_tags = num_tags
        self.tags = None if tags is None else [str(tag) for tag in tags]
        if self.tags is not None and len(self.tags) != num_tags:
            raise ValueError(f"`tags` names {len(self.tags)} tags but num_tags={num_tags}.")
        if scheme is not None:
            check_scheme(scheme)
            if self.tags is None:
                raise ValueError(f"scheme={scheme!r} needs the tag names: pass `tags`.")
            self.allowed = allowed_transitions(self.tags, scheme)  # (K+2, K+2) numpy 0/1
        else:
            self.allowed = None
        self.scheme = scheme
        self.transitions_initializer = keras.initializers.get(transitions_initializer)
        self.transitions_regularizer = keras.regularizers.get(transitions_regularizer)

    def build(self, emissions_shape, mask_shape=None):
        if len(emissions_shape) != 3 or emissions_shape[-1] != self.num_tags:
            raise ValueError(
                f"CRF expects emissions (batch, time, {self.num_tags}); received shape {tuple(emissions_shape)}."
            )
        k = self.num_tags
        self.transitions = self.add_weight(
            name="transitions",
            shape=(k, k),
            initializer=self.transitions_initializer,
            regularizer=self.transitions_regularizer,
        )
        self.start_transitions = self.add_weight(name="start", shape=(k,), initializer=self.transitions_initializer)
        self.end_transitions = self.add_weight(name="end", shape=(k,), initializer=self.transitions_initializer)

    def call(self, emissions, mask=None):
        check_mask(type(self).__name__, mask, (emissions.shape[0], emissions.shape[1]))
        return crf_pack(
            emissions, self.transitions, self.start_transitions, self.end_transitions, mask, self.allowed
        )  # (B, T, K+1, K)

    def compute_mask(self, emissions, mask=None):
        return None

    def compute_output_spec(self, emissions, mask=None):
        shape = tuple(emissions.shape[:2]) + (self.num_tags + 1, self.num_tags)
        return keras.KerasTensor(shape, dtype="float64" if emissions.dtype == "float64" else "float32")

    def viterbi_decode(self, packed, top_k=1):
        """The best tag paths of packed scores by Viterbi
        (`keras_seq.ops.crf_decode`): `(tags (B, T), scores (B,))`, or
        with `top_k > 1` the k best, `(B, k, T)` and `(B, k)`, best first."""
        return crf_decode(ops.convert_to_tensor(packed), top_k)

    def get_config(self):
        return {
            **super().get_config(),
            "num_tags": self.num_tags,
            "tags": self.tags,
            "scheme": self.scheme,
            "transitions_initializer": keras.initializers.serialize(self.transitions_initializer),
            "transitions_regularizer": keras.regularizers.serialize(self.transitions_regularizer),
        }
