"""Sampling with temperature, top-k and top-p (nucleus) filtering."""

import keras
from keras import ops

from keras_seq.decoding import _common


def check_sampling_args(temperature, top_k, top_p):
    """Raise a ValueError for Python-number arguments out of range."""
    if isinstance(temperature, (int, float)) and not 0 < temperature < float("inf"):
        raise ValueError(f"`temperature` must be > 0 and finite; received temperature={temperature}.")
    if isinstance(top_k, int) and top_k < 0:
        raise ValueError(f"`top_k` must be >= 0 (0 keeps every token); received top_k={top_k}.")
    if isinstance(top_p, (int, float)) and not 0 < top_p <= 1:
        raise ValueError(f"`top_p` must be in (0, 1]; received top_p={top_p}.")


def filter_logits(logits, temperature=1.0, top_k=0, top_p=1.0):
    """Scale by `1/temperature` and set filtered-out logits to -1e9.

    `top_k` keeps the `k` most likely tokens (0: all); `top_p` keeps the
    smallest set of most likely tokens whose probability reaches `p`
    (Holtzman et al., 2020). Ties at a threshold are kept. Every argument
    may be a tensor (an exported signature's input); the filtering (a sort
    of the vocabulary per row) runs only when `top_k > 0` or `top_p < 1`.

    Args:
        logits: `(N, V)`.

    Returns:
        `(N, V)` float32 logits.
    """
    logits = ops.cast(logits, "float32") / ops.cast(temperature, "float32")
    static = isinstance(top_k, int) and isinstance(top_p, (int, float))
    if static:
        if top_k == 0 and top_p >= 1:
            return logits
        return _filter(logits, top_k, top_p)
    needed = ops.logical_or(ops.cast(top_k, "int32") > 0, ops.cast(top_p, "float32") < 1.0)
    return ops.cond(needed, lambda: _filter(logits, top_k, top_p), lambda: logits)


def _filter(logits, top_k, top_p):
    vocab = ops.shape(logits)[-1]
    ordered = ops.flip(ops.sort(logits, axis=-1), axis=-1)  # (N, V), descending
    k = ops.cast(top_k, "int32")
    k = ops.where(k <= 0, vocab, ops.minimum(k, vocab))
    k_threshold = ops.take(ordered, ops.reshape(k - 1, (1,)), axis=-1)  # (N, 1)
    probs = ops.softmax(ordered, axis=-1)
    before = ops.cumsum(probs, axis=-1) - probs  # mass of the more likely tokens
    keep = ops.sum(ops.cast(before < ops.cast(top_p, "float32"), "int32"), axis=-1)
    keep = ops.maximum(keep, 1)  # (N,)
    p_threshold = ops.take_along_axis(ordered, ops.expand_dims(keep - 1, -1), axis=-1)  # (N, 1)
    threshold = ops.maximum(k_threshold, p_threshold)
    return ops.where(logits >= threshold, logits, _common.NEG)


def sample(
    step_fn,
    initial_state,
    start_tokens,
    max_length,
    end_token=None,
    temperature=1.0,
    top_k=0,
    top_p=1.0,
    seed=None,
    constants=None,
    return_state=False,
):
    """Draw each token from the model's (filtered) distribution.

    Args:
        step_fn, initial_state, start_tokens: as in `greedy_search`.
        max_length, end_token, constants, return_state: as in `greedy_search`.
        temperature: > 0. Below 1 sharpens, above 1 flattens.
        top_k: int >= 0; 0 disables. `top_k=1` is greedy search.
        top_p: in (0, 1]; 1 disables.
        seed: int (a fresh `keras.random.SeedGenerator`, for eager use), a
            `SeedGenerator` (required inside `tf.function` or an export,
            where variables cannot be created per call), or None. In an
            exported `tf.Module`, keep the generator's `state` variable as an
            attribute of the module so that the SavedModel saves it.

    Returns:
        `(tokens, lengths)` as in `greedy_search`.

    Examples:
        >>> tokens, _ = sample(step_fn, state, start, 100, temperature=0.8, top_p=0.9, seed=1)
    """
    check_sampling_args(temperature, top_k, top_p)
    if not isinstance(seed, keras.random.SeedGenerator):
        seed = keras.random.SeedGenerator(seed)

    def choose(logits):
        logits = filter_logits(logits, temperature, top_k, top_p)
        return keras.random.categorical(logits, 1, seed=seed)[:, 0]  # (B,)

    return _common.token_loop(
        step_fn, choose, initial_state, start_tokens, max_length, end_token, constants, return_state
    )
