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


def repeated_ngram_ban(buffer, i, n, vocab):
    """Which next tokens would repeat an n-gram already in each hypothesis.

    Args:
        buffer: `(B, K, L)` int tokens, positions `0 .. i - 1` written.
        i: the position being chosen (int or scalar tensor).
        n: int >= 2, the n-gram length.
        vocab: the vocabulary size.

    Returns:
        bool `(B, K, V)`: True where the token would complete an n-gram that
        occurs earlier in the same hypothesis.
    """
    batch, k, length = ops.shape(buffer)[0], ops.shape(buffer)[1], ops.shape(buffer)[2]
    starts = length - n + 1  # where an n-gram may start
    # the last n - 1 tokens, which a new token would complete into an n-gram
    tail = [ops.take(buffer, ops.maximum(i - (n - 1) + d, 0), axis=2) for d in range(n - 1)]  # n - 1 of (B, K)
    match = ops.arange(starts) <= i - n  # (S,): n-grams that end before position i
    match = ops.broadcast_to(match, (batch, k, starts))  # (B, K, S)
    for d in range(n - 1):
        match = ops.logical_and(match, ops.equal(buffer[:, :, d : d + starts], ops.expand_dims(tail[d], -1)))
    follows = buffer[:, :, n - 1 : n - 1 + starts]  # (B, K, S): the token that came after each match
    rows = ops.broadcast_to(ops.reshape(ops.arange(batch, dtype="int32"), (-1, 1, 1)), (batch, k, starts))
    beams = ops.broadcast_to(ops.reshape(ops.arange(k, dtype="int32"), (1, -1, 1)), (batch, k, starts))
    indices = ops.stack([rows, beams, ops.cast(follows, "int32")], axis=-1)  # (B, K, S, 3)
    counts = ops.scatter(
        ops.reshape(indices, (-1, 3)), ops.reshape(ops.cast(match, "float32"), (-1,)), (batch, k, vocab)
    )
    return counts > 0  # (B, K, V)


def beam_search(
    step_fn,
    initial_state,
    start_tokens,
    max_length,
    end_token,
    beam_width=4,
    length_penalty=0.0,
    constants=None,
    no_repeat_ngram=0,
):
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
        no_repeat_ngram: int; n >= 2 forbids a hypothesis to repeat any of
            its n-grams (the token that would repeat one is never chosen);
            0 (the default) allows repetition.

    Returns:
        A dict of the `beam_width` best hypotheses of each row, best first:
        `tokens` `(B, K, max_length)` int32, `lengths` `(B, K)` int32,
        `log_probs` `(B, K)` (sums of log-probabilities) and `scores`
        `(B, K)` (`log_probs` divided by the length penalty factor).

    Examples:
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
    if (
        isinstance(no_repeat_ngram, bool)
        or not isinstance(no_repeat_ngram, int)
        or no_repeat_ngram == 1
        or no_repeat_ngram < 0
    ):
        raise ValueError(
            f"`no_repeat_ngram` must be 0 (off) or an integer >= 2; received no_repeat_ngram={no_repeat_ngram!r}."
        )
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
        if no_repeat_ngram:
            step_logp = ops.where(repeated_ngram_ban(buffer, i, no_repeat_ngram, vocab), _common.NEG, step_logp)
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

    _, buffer, _, _, log_probs, finished, lengths = ops.while_loop(
        cond, body, (0, buffer, tokens, state, log_probs, finished, lengths)
    )
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


__all__ = ["beam_search", "length_penalty_factor", "repeated_ngram_ban"]
