"""Shared pieces of the decoders (not public).

A *step function* is the one interface every decoder drives:

    logits, new_state = step_fn(tokens, state)              # no constants
    logits, new_state = step_fn(tokens, state, constants)   # with constants

`tokens` is `(N,)` int32 (the previous token of each row), `state` any
nested structure of tensors whose leading axis is `N`, `logits` `(N, V)`.
`constants` (for example an encoder memory) is passed through unchanged;
beam search tiles it once per beam and never reorders it, which is cheaper
than carrying it in the state.
"""

from keras import ops, tree

NEG = -1e9  # "impossible" log-probability; finite so that sums stay finite


def call_step(step_fn, tokens, state, constants):
    if constants is None:
        return step_fn(tokens, state)
    return step_fn(tokens, state, constants)


def write_column(buffer, column, index):
    """`buffer[:, index] = column` for `buffer (B, L)` and `column (B,)`."""
    return ops.slice_update(buffer, (0, index), ops.expand_dims(column, 1))


def check_max_length(max_length):
    if isinstance(max_length, int) and not isinstance(max_length, bool) and max_length < 0:
        raise ValueError(f"`max_length` must be >= 0; received max_length={max_length}.")
    return max_length


def as_tokens(start_tokens):
    tokens = ops.convert_to_tensor(start_tokens)
    if len(tokens.shape) != 1:
        raise ValueError(f"`start_tokens` must be a 1D batch of token ids; received shape {tuple(tokens.shape)}.")
    return ops.cast(tokens, "int32")


def repeat_rows(structure, times):
    """Repeat every row of every leaf `times` times: `(B, ...) -> (B*times, ...)`."""
    return tree.map_structure(lambda x: ops.repeat(x, times, axis=0), structure)


def gather_rows(structure, rows):
    return tree.map_structure(lambda x: ops.take(x, rows, axis=0), structure)


def end_mask(tokens, end_token):
    if end_token is None:
        return ops.zeros_like(tokens, dtype="bool")
    return ops.equal(tokens, end_token)


def token_loop(step_fn, choose, initial_state, start_tokens, max_length, end_token, constants, return_state):
    """The loop greedy search and sampling share: one token per row and step.

    `choose(logits (B, V)) -> (B,)` picks each row's next token. A row stops
    at its first end token; the loop stops when every row has, or after
    `max_length` steps. Positions after a row's end repeat the end token.

    Returns:
        `(tokens (B, L), lengths (B,))`, plus the final state if `return_state`.
    """
    check_max_length(max_length)
    tokens = as_tokens(start_tokens)
    batch = ops.shape(tokens)[0]
    buffer = ops.zeros((batch, max_length), dtype="int32")  # (B, L)
    finished = ops.zeros((batch,), dtype="bool")
    lengths = ops.zeros((batch,), dtype="int32")

    def cond(i, buffer, tokens, state, finished, lengths):
        return ops.logical_and(i < max_length, ops.logical_not(ops.all(finished)))

    def body(i, buffer, tokens, state, finished, lengths):
        logits, state = call_step(step_fn, tokens, state, constants)  # (B, V)
        chosen = ops.where(finished, tokens, ops.cast(choose(logits), "int32"))  # (B,)
        lengths = lengths + ops.cast(ops.logical_not(finished), "int32")
        finished = ops.logical_or(finished, end_mask(chosen, end_token))
        buffer = write_column(buffer, chosen, i)
        return i + 1, buffer, chosen, state, finished, lengths

    _, buffer, _, state, _, lengths = ops.while_loop(cond, body, (0, buffer, tokens, initial_state, finished, lengths))
    if end_token is not None:
        positions = ops.expand_dims(ops.arange(ops.shape(buffer)[1], dtype="int32"), 0)  # (1, L)
        after = positions >= ops.expand_dims(lengths, 1)  # (B, L)
        buffer = ops.where(after, ops.cast(end_token, "int32"), buffer)
    return (buffer, lengths, state) if return_state else (buffer, lengths)
