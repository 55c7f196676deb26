"""Cross-entropy of token sequences, averaged over the real tokens only."""

import keras
from keras import ops

from keras_seq.training.losses import SmoothedSparseCrossEntropy, _global_sum


def _check_modes(average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch):
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot both be set")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot both be set")
    if (average_across_timesteps or average_across_batch) and (sum_over_timesteps or sum_over_batch):
        raise ValueError("give either the average_across_* options or the sum_over_* ones, not both kinds")


def _divide(numerator, denominator):
    """`numerator / denominator`, 0 where the denominator is 0 (no real token)."""
    safe = ops.where(ops.equal(denominator, 0), ops.ones_like(denominator), denominator)
    return ops.where(ops.equal(denominator, 0), ops.zeros_like(numerator), numerator / safe)


def _reduce(
    losses, weights, average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch, total=ops.sum
):
    """The weighted per-token `losses (B, T)` reduced as `sequence_loss` says;
    `total` sums the scalar denominators (over the replicas, for a `Loss`)."""
    weighted = losses * weights  # (B, T)
    counted = ops.cast(ops.not_equal(weights, 0), weighted.dtype)  # (B, T): the tokens with a weight
    if average_across_timesteps and average_across_batch:
        return _divide(ops.sum(weighted), total(weights))
    if sum_over_timesteps and sum_over_batch:
        return _divide(ops.sum(weighted), total(counted))
    if average_across_timesteps or average_across_batch:
        axis = 0 if average_across_batch else 1
        return _divide(ops.sum(weighted, axis=axis), ops.sum(weights, axis=axis))  # (T,) or (B,)
    if sum_over_timesteps or sum_over_batch:
        axis = 0 if sum_over_batch else 1
        return _divide(ops.sum(weighted, axis=axis), ops.sum(counted, axis=axis))
    return weighted


def sequence_loss(
    logits,
    targets,
    weights,
    average_across_timesteps=True,
    average_across_batch=True,
    sum_over_timesteps=False,
    sum_over_batch=False,
    label_smoothing=0.0,
):
    """Weighted cross-entropy of token sequences, TensorFlow Addons'
    `tfa.seq2seq.sequence_loss` for Keras 3 (the same arguments, order and
    reductions), plus label smoothing.

    The weights say which tokens count (1 for real tokens, 0 for padding,
    or any non-negative weights). Averages divide by the weights' sum, so
    padding never dilutes the loss, however ragged the batch; the sums
    divide by the number of tokens with a non-zero weight. A row or column
    with no weight gives 0, not NaN.

    Args:
        logits: `(B, T, V)` unnormalized scores.
        targets: `(B, T)` int token ids.
        weights: `(B, T)` float weights (a mask).
        average_across_timesteps: average over the time axis (by the weights).
        average_across_batch: average over the batch axis (by the weights).
        sum_over_timesteps: sum over time, divided by the count of weighted
            tokens (TFA's meaning); exclusive with `average_across_timesteps`.
        sum_over_batch: the same over the batch; exclusive with
            `average_across_batch`.
        label_smoothing: float in [0, 1): the share of the target spread
            evenly over the vocabulary (as in `SmoothedSparseCrossEntropy`).

    Returns:
        A scalar when both axes are reduced, `(T,)` when only the batch is,
        `(B,)` when only time is, else the weighted per-token losses `(B, T)`.

    Raises:
        ValueError: ranks other than 3, 2 and 2, or contradictory options.

    Examples:
        >>> loss = sequence_loss(logits, target_ids, ops.cast(target_ids != 0, "float32"))
    """
    _check_modes(average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch)
    if len(logits.shape) != 3 or len(targets.shape) != 2 or len(weights.shape) != 2:
        raise ValueError(
            f"sequence_loss expects logits (batch, time, classes), targets and weights (batch, time); "
            f"received shapes {tuple(logits.shape)}, {tuple(targets.shape)}, {tuple(weights.shape)}."
        )
    losses = SmoothedSparseCrossEntropy(label_smoothing).call(targets, logits)  # (B, T)
    modes = (average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch)
    return _reduce(losses, ops.cast(weights, losses.dtype), *modes)


@keras.saving.register_keras_serializable(package="keras_seq")
class SequenceLoss(keras.losses.Loss):
    """`sequence_loss` as a Keras loss for `compile`: the weights come from
    the targets (`ignore_class`, the padding id, counts for nothing) and
    from `fit`'s `sample_weight` (per sequence `(B,)` or per token
    `(B, T)`), not from Keras masks (which `compile`'s loss handling
    applies inconsistently across Keras versions).

    With both averages (the default) the loss is the mean over the real
    tokens of the whole batch, and under `tf.distribute` of the global
    batch. A reduction that leaves a vector (one average only) is averaged
    to a scalar for `fit`.

    Args:
        ignore_class: int or None. The target id that does not count (0,
            the padding id, by default).
        average_across_timesteps, average_across_batch: as in `sequence_loss`.
        sum_over_timesteps, sum_over_batch, label_smoothing: as in `sequence_loss`.
        name: the loss' name.

    Call arguments:
        y_true: `(B, T)` target ids.
        y_pred: `(B, T, V)` logits.
        sample_weight: optional `(B,)` or `(B, T)`.

    Returns:
        A scalar.

    Examples:
        >>> model.compile("adam", SequenceLoss(ignore_class=0, label_smoothing=0.1))
    """

    def __init__(
        self,
        ignore_class=0,
        average_across_timesteps=True,
        average_across_batch=True,
        sum_over_timesteps=False,
        sum_over_batch=False,
        label_smoothing=0.0,
        name="sequence_loss",
    ):
        super().__init__(name=name, reduction="sum")
        _check_modes(average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch)
        self.smoothed = SmoothedSparseCrossEntropy(label_smoothing)  # checks the value
        if ignore_class is not None and (isinstance(ignore_class, bool) or int(ignore_class) != ignore_class):
            raise ValueError(f"`ignore_class` must be an integer or None; received {ignore_class!r}.")
        self.ignore_class = None if ignore_class is None else int(ignore_class)
        self.modes = (
            bool(average_across_timesteps),
            bool(average_across_batch),
            bool(sum_over_timesteps),
            bool(sum_over_batch),
        )

    @property
    def label_smoothing(self):
        return self.smoothed.label_smoothing

    def __call__(self, y_true, y_pred, sample_weight=None):
        losses = self.smoothed.call(y_true, y_pred)  # (B, T)
        weights = ops.ones_like(losses)
        if self.ignore_class is not None:
            weights = ops.cast(ops.not_equal(ops.cast(y_true, "int32"), self.ignore_class), losses.dtype)  # (B, T)
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, losses.dtype)
            if len(sample_weight.shape) == 1:
                sample_weight = ops.expand_dims(sample_weight, -1)  # (B, 1)
            weights = weights * sample_weight
        result = _reduce(losses, weights, *self.modes, total=lambda w: _global_sum(ops.sum(w)))
        return ops.mean(result) if len(result.shape) else result

    def call(self, y_true, y_pred):
        return self(y_true, y_pred)

    def get_config(self):
        average_t, average_b, sum_t, sum_b = self.modes
        return {
            "ignore_class": self.ignore_class,
            "average_across_timesteps": average_t,
            "average_across_batch": average_b,
            "sum_over_timesteps": sum_t,
            "sum_over_batch": sum_b,
            "label_smoothing": self.label_smoothing,
            "name": self.name,
        }
