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

    Examples:
        >>> tokens, lengths = greedy_search(step_fn, state, start, 20, end_token=2)
    """
    return _common.token_loop(
        step_fn,
        lambda logits: ops.argmax(logits, axis=-1),
        initial_state,
        start_tokens,
        max_length,
        end_token,
        constants,
        return_state,
    )
