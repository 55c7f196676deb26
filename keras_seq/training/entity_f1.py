"""Entity F1 as a Keras metric: conlleval's exact-match score, in the graph."""

import keras
import numpy as np
from keras import ops

from keras_seq.data.tag_schemes import split_tag
from keras_seq.ops.crf import crf_decode, crf_unpack


@keras.saving.register_keras_serializable(package="keras_seq")
class EntityF1(keras.metrics.Metric):
    """Micro F1 of the entities (exact span and type, as conlleval reads
    chunk tags) over every sentence since the last reset, computed in the
    graph so that `fit` logs it for the validation data.

    It reads a `CRF`'s packed scores (decoded by Viterbi, the mask inside)
    or per-token probabilities `(B, T, K)` (argmax; pass the real tokens
    as `sample_weight` `(B, T)`, as `fit` does with weighted metrics).

    Args:
        tags: the tag names in id order (`O`, `B-X`, `I-X`, and for BIOES
            `E-X`, `S-X`; read as IOB2, `S-` as `B-` and `E-` as `I-`).
        name: str. Default `"entity_f1"`.
        dtype: the metric's variables' dtype.

    Call arguments (`update_state`):
        y_true: int `(B, T)` tag ids.
        y_pred: `(B, T, K+1, K)` packed CRF scores, or `(B, T, K)` scores.
        sample_weight: optional `(B, T)` 0/1: the real tokens (needed for
            the 3-D case with padding).

    Returns:
        `result()`: the F1 in [0, 1] (0 with no entity at all).

    Examples:
        >>> model.compile("adam", loss=CRFLoss(), metrics=[EntityF1(["O", "B-PER", "I-PER"])])
    """

    def __init__(self, tags, name="entity_f1", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.tags = [str(t) for t in tags]
        parts = [split_tag(t, "bioes") for t in self.tags]
        kinds = sorted({kind for _, kind in parts if kind is not None})
        # per tag id: 0 outside, 1 opens an entity (B, S), 2 inside (I, E); and its type's index (-1 for O)
        self.prefix = np.array([0 if p == "O" else 1 if p in ("B", "S") else 2 for p, _ in parts], "int32")
        self.kind = np.array([-1 if k is None else kinds.index(k) for _, k in parts], "int32")
        self.true_positives = self.add_variable(shape=(), initializer="zeros", name="true_positives")
        self.predicted = self.add_variable(shape=(), initializer="zeros", name="predicted")
        self.gold = self.add_variable(shape=(), initializer="zeros", name="gold")

    def _codes(self, tags, mask):
        """`(starts, continues, codes)` `(B, T)` of tag ids, conlleval's reading."""
        prefix = ops.where(mask, ops.take(ops.convert_to_tensor(self.prefix), tags), 0)  # (B, T): padding is O
        kind = ops.where(mask, ops.take(ops.convert_to_tensor(self.kind), tags), -1)  # (B, T)
        previous_prefix = ops.pad(prefix[:, :-1], ((0, 0), (1, 0)))  # (B, T): O before the first token
        previous_kind = ops.pad(kind[:, :-1], ((0, 0), (1, 0)), constant_values=-1)
        continues = (prefix == 2) & (previous_prefix != 0) & (previous_kind == kind)  # (B, T)
        starts = (prefix == 1) | ((prefix == 2) & ~continues)
        codes = ops.where(starts, 1 + 2 * kind, ops.where(continues, 2 + 2 * kind, 0))  # (B, T)
        return starts, continues, codes

    def update_state(self, y_true, y_pred, sample_weight=None):
        if len(y_pred.shape) == 4:
            predicted, _ = crf_decode(y_pred)  # (B, T)
            _, mask = crf_unpack(y_pred)
            mask = mask > 0.5
        else:
            predicted = ops.cast(ops.argmax(y_pred, axis=-1), "int32")
            mask = ops.ones(ops.shape(predicted), "bool") if sample_weight is None else ops.cast(sample_weight, "bool")
        gold = ops.cast(y_true, "int32")
        gold_starts, gold_continues, gold_codes = self._codes(gold, mask)
        pred_starts, pred_continues, pred_codes = self._codes(ops.cast(predicted, "int32"), mask)
        # gold segments: each gold entity, and each token outside one, numbered across the batch
        batch, steps = ops.shape(gold)[0], ops.shape(gold)[1]
        boundary = ops.cast(~gold_continues, "int32")  # (B, T): a new gold segment begins
        segment = ops.cumsum(boundary, axis=1) - 1 + ops.arange(batch)[:, None] * steps  # (B, T)
        segment = ops.reshape(segment, (-1,))
        count = batch * steps

        def per_segment(values):
            return ops.segment_sum(ops.reshape(ops.cast(values, self.dtype), (-1,)), segment, num_segments=count)

        differs = per_segment(gold_codes != pred_codes)  # a token of the segment tagged otherwise
        # the prediction runs on past the gold entity's end: count it against the segment before
        overrun = ops.cast(ops.reshape(pred_continues & (boundary == 1), (-1,)), self.dtype)
        overrun = ops.segment_sum(overrun, ops.maximum(segment - 1, 0), num_segments=count)
        entity = per_segment(gold_starts)  # 1 for a segment that is a gold entity
        matched = entity * ops.cast((differs + overrun) == 0, self.dtype)
        self.true_positives.assign_add(ops.sum(matched))
        self.predicted.assign_add(ops.sum(ops.cast(pred_starts, self.dtype)))
        self.gold.assign_add(ops.sum(ops.cast(gold_starts, self.dtype)))

    def result(self):
        total = self.predicted + self.gold
        return ops.where(total > 0, 2.0 * self.true_positives / ops.maximum(total, 1.0), 0.0)

    def reset_state(self):
        for variable in (self.true_positives, self.predicted, self.gold):
            variable.assign(0.0)

    def get_config(self):
        return {"tags": self.tags, "name": self.name, "dtype": self.dtype}
