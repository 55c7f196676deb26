"""Run a step function over prompts of different lengths."""

from keras import ops, tree

from keras_seq.decoding import _common


def prefill(step_fn, initial_state, prompts, lengths, constants=None):
    """Feed each row's prompt but its last token; return the state and that
    last token, ready for `greedy_search`, `sample` or `beam_search`.

    Rows are right-padded to a common length; a row's state stops changing
    after its own prompt. A row of length 1 keeps its initial state.

    Args:
        step_fn: `(tokens (B,), state[, constants]) -> (logits, state)`.
        initial_state: nested tensors with leading axis `B`.
        prompts: int `(B, T)`, right-padded.
        lengths: int `(B,)`, each >= 1.
        constants: as in `greedy_search`.

    Returns:
        `(state, last_tokens)`: the state after `prompts[b, :lengths[b]-1]`
        and `prompts[b, lengths[b]-1]`, `(B,)` int32.

    Examples:
        >>> state, start = prefill(step_fn, state0, prompt_ids, prompt_lengths)
        >>> tokens, _ = sample(step_fn, state, start, 200, seed=seed_generator)
    """
    prompts = ops.cast(prompts, "int32")
    lengths = ops.cast(lengths, "int32")
    steps = ops.max(lengths) - 1

    def cond(i, state):
        return i < steps

    def body(i, state):
        _, new_state = _common.call_step(step_fn, prompts[:, i], state, constants)
        active = i < lengths - 1  # (B,)

        def keep(new, old):
            shape = (-1,) + (1,) * (len(old.shape) - 1)
            return ops.where(ops.reshape(active, shape), new, old)

        return i + 1, tree.map_structure(keep, new_state, state)

    _, state = ops.while_loop(cond, body, (0, initial_state))
    last = ops.take_along_axis(prompts, ops.expand_dims(lengths - 1, 1), axis=1)[:, 0]
    return state, last
