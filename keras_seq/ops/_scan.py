"""A scan whose per-step outputs need not mirror its carry.

`keras.ops.scan` on TensorFlow keeps its carry in size-one `TensorArray`s
(read and written back at every step) and requires the per-step outputs to
have the carry's structure, so a kernel that must save five activations per
step also has to carry five tensors around. The recurrences here run
hundreds of tiny steps, where each extra op per step shows in the step time,
so on TensorFlow this module runs the loop with `tf.while_loop` directly:
the carry stays in loop variables and only the outputs go to
`TensorArray`s. On other backends it falls back to `keras.ops.scan`, with
the outputs packed into the carry.
"""

import contextlib

import keras
from keras import ops, tree


def scan(step, init, xs, reverse=False):
    """Run `carry, ys = step(carry, x)` over the leading axis of `xs`.

    Args:
        step: `(carry, x) -> (carry, ys)`; `carry` keeps `init`'s structure,
            `ys` may have any structure of tensors.
        init: initial carry (a tuple of tensors).
        xs: a tuple of tensors with the same leading length `T`.
        reverse: run from the last step to the first (outputs stay in
            time order).

    Returns:
        `(carry, ys)`: the last carry and the stacked outputs, each `(T, ...)`.
    """
    if keras.backend.backend() != "tensorflow":
        return _keras_scan(step, init, xs, reverse)
    import tensorflow as tf

    xs_flat = [tf.convert_to_tensor(x) for x in tree.flatten(xs)]
    length = tf.shape(xs_flat[0])[0]
    static_length = xs_flat[0].shape[0]
    inputs = [tf.TensorArray(x.dtype, size=length, element_shape=x.shape[1:]).unstack(x) for x in xs_flat]
    carry_flat = [tf.convert_to_tensor(c) for c in tree.flatten(init)]
    # outputs: trace one step outside the loop only to learn their dtypes
    # and shapes (the traced ops are unused and pruned from the graph)
    first = tree.pack_sequence_as(xs, [x[0] for x in xs_flat])
    _, ys_probe = step(tree.pack_sequence_as(init, carry_flat), first)
    ys_probe_flat = tree.flatten(ys_probe)
    outputs = [tf.TensorArray(y.dtype, size=length, element_shape=y.shape) for y in ys_probe_flat]

    def body(i, carry, outputs):
        x = tree.pack_sequence_as(xs, [array.read(i) for array in inputs])
        new_carry, ys = step(tree.pack_sequence_as(init, carry), x)
        outputs = [array.write(i, y) for array, y in zip(outputs, tree.flatten(ys))]
        return i - 1 if reverse else i + 1, tree.flatten(new_carry), outputs

    start = length - 1 if reverse else 0
    _, carry_flat, outputs = tf.while_loop(
        lambda i, *_: i >= 0 if reverse else i < length,
        body,
        (start, carry_flat, outputs),
    )
    ys_flat = []
    for array, probe in zip(outputs, ys_probe_flat):
        stacked = array.stack()
        stacked.set_shape(tf.TensorShape([static_length]).concatenate(probe.shape))
        ys_flat.append(stacked)
    return tree.pack_sequence_as(init, carry_flat), tree.pack_sequence_as(ys_probe, ys_flat)


def _keras_scan(step, init, xs, reverse):
    first = tree.map_structure(lambda x: x[0], xs)
    _, ys_probe = step(init, first)
    ys_init = tree.map_structure(ops.zeros_like, ys_probe)

    def packed(carry, x):
        new_carry, ys = step(carry[0], x)
        return (new_carry, ys), (new_carry, ys)

    (carry, _), (_, ys) = ops.scan(packed, (init, ys_init), xs, reverse=reverse)
    return carry, ys


_INLINE = []  # one entry per `inline_kernels()` block entered: its `lstm`


@contextlib.contextmanager
def inline_kernels(lstm=None):
    """Inside this block, the `compiled` kernels trace inline into the
    calling graph, with its static shapes, instead of calling XLA functions
    traced with relaxed shapes: what the LiteRT converter needs to turn
    their loops into built-in ops (`keras_seq.export.litert`).

    Args:
        lstm: optional `(layer, sequences, initial_state, mask) ->
            (last_output, outputs, states)` that runs the inference of
            each `keras_seq.layers.LSTM` in the block instead of its
            kernel, or returns None to leave a layer to its kernel.
    """
    _INLINE.append(lstm)
    try:
        yield
    finally:
        _INLINE.pop()


def lstm_replacement():
    """The `lstm` of the innermost `inline_kernels()` block, or None."""
    return _INLINE[-1] if _INLINE else None


def compiled(fn):
    """`fn`, compiled with XLA on TensorFlow (per input shape, on first use).

    A kernel compiled this way runs as one fused program inside whatever
    graph calls it, with or without the model's own `jit_compile`, and is
    saved with an exported SavedModel. Its tensor arguments are cut from
    automatic differentiation (`stop_gradient`): the kernels supply their
    own gradients, and a watched input would make TensorFlow trace a
    differentiable variant of the loop that XLA cannot compile. Other
    backends get `fn` unchanged.
    """
    if keras.backend.backend() != "tensorflow":
        return fn
    import tensorflow as tf

    xla_fn = tf.function(fn, jit_compile=True, autograph=False, reduce_retracing=True)

    def call(*args):
        args = [a if a is None else ops.stop_gradient(a) for a in args]
        return fn(*args) if _INLINE else xla_fn(*args)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call
