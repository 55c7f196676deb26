"""Greedy decoding."""

from keras import ops

from keras_seq.decoding import _common


def greedy_search(step_fn, initial_state, start_tokens, max_length, end_token=None, constants=None, return_state=False):
    """Pick the most likely token at every step.

    Written with `keras.ops.while_loop`, so it runs eagerly, inside
    `tf.function` and inside an exported SavedModel signature.

    Args:
        step_fn: `(tokens (N,), state[, constants]) -> (logits (N, V), state)`.
        initial_state: nested tensors with leading axis `B`.
        start_tokens: `(B,)` int, the first input token of each row.
        max_length: int or scalar int tensor: steps to run at most.
        end_token: int or None. A row stops at its first end token; later
            positions repeat it. The loop ends early when every row ended.
        constants: nested tensors with leading axis `B` passed unchanged to
            `step_fn`, or None.
        return_state: bool. Also return the state after the last step, to
            continue decoding later (streaming in chunks).

    Returns:
        `(tokens, lengths)`: `(B, max_length)` int32 (the start token is not
        included) and `(B,)` int32, the count of tokens up to and including
        the end token; then the final state if `return_state=True`.

    Example:
    >>> tokens, lengths = greedy_search(step_fn, state, start, 20, end_token=2)
    """
    _common.check_max_length(max_length)
    tokens = _common.as_tokens(start_tokens)
    batch = ops.shape(tokens)[0]
    buffer = ops.zeros((batch, max_length), dtype="int32")  # (B, L)
    finished = ops.zeros((batch,), dtype="bool")
    lengths = ops.zeros((batch,), dtype="int32")

    def cond(i, buffer, tokens, state, finished, lengths):
        return ops.logical_and(i < max_length, ops.logical_not(ops.all(finished)))

    def body(i, buffer, tokens, state, finished, lengths):
        logits, state = _common.call_step(step_fn, tokens, state, constants)  # (B, V)
        chosen = ops.cast(ops.argmax(logits, axis=-1), "int32")  # (B,)
        chosen = ops.where(finished, tokens, chosen)
        lengths = lengths + ops.cast(ops.logical_not(finished), "int32")
        finished = ops.logical_or(finished, _common.end_mask(chosen, end_token))
        buffer = _common.write_column(buffer, chosen, i)
        return i + 1, buffer, chosen, state, finished, lengths

    _, buffer, _, state, finished, lengths = ops.while_loop(
        cond, body, (0, buffer, tokens, initial_state, finished, lengths)
    )
    buffer = _fill_after_end(buffer, lengths, end_token)
    return (buffer, lengths, state) if return_state else (buffer, lengths)


def _fill_after_end(buffer, lengths, end_token):
    """Positions after a row's end (never reached when the loop stopped
    early) repeat the end token."""
    if end_token is None:
        return buffer
    positions = ops.expand_dims(ops.arange(ops.shape(buffer)[1], dtype="int32"), 0)  # (1, L)
    after = positions >= ops.expand_dims(lengths, 1)  # (B, L)
    return ops.where(after, ops.cast(end_token, "int32"), buffer)
