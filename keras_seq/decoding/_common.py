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

from keras import ops
from keras import tree

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
        raise ValueError(
            f"`start_tokens` must be a 1D batch of token ids; received shape {tuple(tokens.shape)}."
        )
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
