"""Beam search with a GNMT length penalty."""

from keras import ops

from keras_seq.decoding import _common


def length_penalty_factor(lengths, alpha):
    """GNMT length penalty `((5 + length) / 6) ** alpha` (Wu et al., 2016).

    A hypothesis is ranked by `log_prob / length_penalty_factor(length)`;
    `alpha = 0` ranks by the plain sum of log-probabilities, larger `alpha`
    favours longer outputs.
    """
    lengths = ops.cast(lengths, "float32")
    return ops.power((5.0 + lengths) / 6.0, ops.cast(alpha, "float32"))


def beam_search(step_fn, initial_state, start_tokens, max_length, end_token, beam_width=4, length_penalty=0.0, constants=None):
    """Keep the `beam_width` best partial outputs of every row at each step.

    Hypotheses are ranked by `score = log_prob / ((5 + length) / 6) **
    length_penalty`, where `log_prob` is the sum of the log-probabilities of
    the chosen tokens and `length` counts tokens up to and including the end
    token. A finished hypothesis keeps its score and length (its later
    positions repeat the end token). The loop stops when every hypothesis of
    every row has ended, or after `max_length` steps.

    Written with `keras.ops.while_loop`: runs eagerly, inside `tf.function`
    and inside an exported SavedModel signature.

    Args:
        step_fn: `(tokens (N,), state[, constants]) -> (logits (N, V), state)`.
        initial_state: nested tensors with leading axis `B`; each row is
            repeated for its `beam_width` beams.
        start_tokens: `(B,)` int.
        max_length: int or scalar int tensor.
        end_token: int.
        beam_width: int >= 1. `beam_width=1` is greedy search.
        length_penalty: float `alpha` >= 0 (0: no penalty).
        constants: nested tensors with leading axis `B`, repeated per beam
            and passed unchanged to `step_fn`, or None.

    Returns:
        A dict of the `beam_width` best hypotheses of each row, best first:
        `tokens` `(B, K, max_length)` int32, `lengths` `(B, K)` int32,
        `log_probs` `(B, K)` (sums of log-probabilities) and `scores`
        `(B, K)` (`log_probs` divided by the length penalty factor).

    Example:
    >>> out = beam_search(step_fn, state, start, 30, end_token=2, beam_width=5,
    ...                   length_penalty=0.6)
    >>> best = out["tokens"][:, 0]
    """
    if not isinstance(beam_width, int) or isinstance(beam_width, bool) or beam_width < 1:
        raise ValueError(f"`beam_width` must be an integer >= 1; received beam_width={beam_width!r}.")
    if end_token is None:
        raise ValueError("beam_search needs an `end_token`.")
    if isinstance(length_penalty, (int, float)) and length_penalty < 0:
        raise ValueError(f"`length_penalty` must be >= 0; received length_penalty={length_penalty}.")
    _common.check_max_length(max_length)
    k = beam_width
    start = _common.as_tokens(start_tokens)
    batch = ops.shape(start)[0]
    tokens = ops.repeat(start, k, axis=0)  # (B*K,)
    state = _common.repeat_rows(initial_state, k)
    if constants is not None:
        constants = _common.repeat_rows(constants, k)
    buffer = ops.zeros((batch, k, max_length), dtype="int32")  # (B, K, L)
    # only the first beam is alive at the start: the others are its copies
    first = ops.concatenate([ops.zeros((1,)), ops.full((k - 1,), _common.NEG)], axis=0)
    log_probs = ops.tile(ops.expand_dims(first, 0), (batch, 1))  # (B, K)
    finished = ops.zeros((batch, k), dtype="bool")
    lengths = ops.zeros((batch, k), dtype="int32")
    base_rows = ops.expand_dims(ops.arange(batch, dtype="int32") * k, 1)  # (B, 1)

    def cond(i, buffer, tokens, state, log_probs, finished, lengths):
        return ops.logical_and(i < max_length, ops.logical_not(ops.all(finished)))

    def body(i, buffer, tokens, state, log_probs, finished, lengths):
        logits, state = _common.call_step(step_fn, tokens, state, constants)  # (B*K, V)
        vocab = ops.shape(logits)[-1]
        step_logp = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
        step_logp = ops.reshape(step_logp, (batch, k, vocab))  # (B, K, V)
        # a finished hypothesis can only repeat the end token, at no cost
        only_end = ops.where(ops.arange(vocab) == end_token, 0.0, _common.NEG)  # (V,)
        step_logp = ops.where(ops.expand_dims(finished, -1), only_end, step_logp)
        total = ops.expand_dims(log_probs, -1) + step_logp  # (B, K, V)
        new_lengths = lengths + ops.cast(ops.logical_not(finished), "int32")  # (B, K)
        ranked = total / ops.expand_dims(length_penalty_factor(new_lengths, length_penalty), -1)
        _, best = ops.top_k(ops.reshape(ranked, (batch, k * vocab)), k)  # (B, K)
        best = ops.cast(best, "int32")
        beam = best // vocab  # (B, K): which hypothesis each new one extends
        token = best % vocab  # (B, K)
        log_probs = ops.take_along_axis(ops.reshape(total, (batch, k * vocab)), best, axis=-1)
        lengths = ops.take_along_axis(new_lengths, beam, axis=-1)
        finished = ops.logical_or(ops.take_along_axis(finished, beam, axis=-1), ops.equal(token, end_token))
        buffer = ops.take_along_axis(buffer, ops.expand_dims(beam, -1), axis=1)  # (B, K, L)
        buffer = ops.slice_update(buffer, (0, 0, i), ops.expand_dims(token, -1))
        rows = ops.reshape(base_rows + beam, (-1,))  # (B*K,)
        state = _common.gather_rows(state, rows)
        return i + 1, buffer, ops.reshape(token, (-1,)), state, log_probs, finished, lengths

    _, buffer, _, _, log_probs, finished, lengths = ops.while_loop(cond, body, (0, buffer, tokens, state, log_probs, finished, lengths))
    scores = log_probs / length_penalty_factor(lengths, length_penalty)  # (B, K)
    scores, order = ops.top_k(scores, k)  # best first
    order = ops.cast(order, "int32")
    log_probs = ops.take_along_axis(log_probs, order, axis=-1)
    lengths = ops.take_along_axis(lengths, order, axis=-1)
    buffer = ops.take_along_axis(buffer, ops.expand_dims(order, -1), axis=1)
    positions = ops.arange(ops.shape(buffer)[-1], dtype="int32")  # (L,)
    after = positions >= ops.expand_dims(lengths, -1)  # (B, K, L)
    buffer = ops.where(after, ops.cast(end_token, "int32"), buffer)
    return {"tokens": buffer, "lengths": lengths, "log_probs": log_probs, "scores": scores}


__all__ = ["beam_search", "length_penalty_factor"]
