"""Checks every keras_seq layer must pass (in the spirit of KerasHub's
`run_layer_test`): config and JSON round trips, a `.keras` reload under
`safe_mode=True` with the same outputs, a `fit` step that moves the
layer's weights, and `mixed_bfloat16`."""

import contextlib
import json
import os

import keras
import numpy as np
import pytest


def run_layer_test(layer_cls, init_kwargs, inputs, tmp_path, call_kwargs=None, atol=1e-6, fit=True, bfloat16=True):
    """Run every check on `layer_cls(**init_kwargs)` called on `inputs` (an
    array, or a tuple of arrays for a layer of several inputs).
    `init_kwargs` may be a function returning them, for arguments that are
    layers themselves (a cell in `keras.layers.RNN`): each new layer then
    gets new ones.

    Returns:
        The model loaded back from its `.keras` file.
    """
    inputs = tuple(inputs) if isinstance(inputs, (list, tuple)) else (inputs,)
    call_kwargs = call_kwargs or {}
    kwargs = init_kwargs if callable(init_kwargs) else lambda: dict(init_kwargs)
    layer = layer_cls(**kwargs())
    expected = _np(layer(*inputs, **call_kwargs))

    # config and JSON
    clone = layer_cls.from_config(layer.get_config())
    clone(*inputs, **call_kwargs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(*inputs, **call_kwargs)), expected, atol=atol)
    assert clone.get_config() == layer.get_config()
    revived = keras.saving.deserialize_keras_object(json.loads(json.dumps(keras.saving.serialize_keras_object(layer))))
    assert type(revived) is layer_cls
    revived(*inputs, **call_kwargs)  # built, as `layer` is (a wrapped cell's config records its build)
    assert _plain(revived.get_config()) == _plain(layer.get_config())

    # .keras under safe_mode
    symbolic = [keras.Input(x.shape[1:], dtype=x.dtype) for x in inputs]
    model = keras.Model(symbolic, _first(layer(*symbolic, **call_kwargs)))
    path = os.path.join(str(tmp_path), f"{layer_cls.__name__}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(_np(loaded(list(inputs) if len(inputs) > 1 else inputs[0])), expected, atol=atol)

    if fit:  # one epoch of a regression on the outputs moves the trainable weights
        fresh = layer_cls(**kwargs())
        symbolic = [keras.Input(x.shape[1:], dtype=x.dtype) for x in inputs]
        train = keras.Model(symbolic, _first(fresh(*symbolic, **call_kwargs)))
        train.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        feed = list(inputs) if len(inputs) > 1 else inputs[0]
        before = [w.numpy().copy() for w in fresh.trainable_weights]
        train.fit(feed, _np(train(feed)) + 1.0, epochs=1, batch_size=len(inputs[0]), verbose=0)
        assert before, f"{layer_cls.__name__} has no trainable weights to fit"
        assert any(np.any(b != w.numpy()) for b, w in zip(before, fresh.trainable_weights))

    if bfloat16:
        keras.config.set_dtype_policy("mixed_bfloat16")
        try:
            policy_free = {k: v for k, v in kwargs().items() if k != "dtype"}  # a config carries its float32 policy
            out = _first(layer_cls(**policy_free)(*inputs, **call_kwargs))
            assert keras.backend.standardize_dtype(out.dtype) == "bfloat16"
            assert np.all(np.isfinite(keras.ops.convert_to_numpy(keras.ops.cast(out, "float32"))))
        finally:
            keras.config.set_dtype_policy("float32")
    return loaded


def assert_round_trips(layer, inputs, tmp_path, atol=1e-6):
    """`layer` (already built by a call on `inputs`) survives get_config,
    JSON serialization and a `.keras` save/load with safe_mode=True, with
    the same outputs."""
    expected = keras.ops.convert_to_numpy(_first(layer(inputs)))

    clone = type(layer).from_config(layer.get_config())
    clone(inputs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(inputs)), expected, atol=atol)
    assert clone.get_config() == layer.get_config()

    revived = keras.saving.deserialize_keras_object(json.loads(json.dumps(keras.saving.serialize_keras_object(layer))))
    assert type(revived) is type(layer)

    x = keras.Input(inputs.shape[1:], dtype=inputs.dtype)
    model = keras.Model(x, layer(x))
    path = os.path.join(str(tmp_path), "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(_np(loaded(inputs)), expected, atol=atol)
    return loaded


def _plain(config):
    """A config as JSON sees it (tuples become lists)."""
    return json.loads(json.dumps(config))


def _first(outputs):
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def _np(outputs):
    return keras.ops.convert_to_numpy(keras.ops.cast(_first(outputs), "float32"))


@contextlib.contextmanager
def without_mask_propagation():
    """Keras stricter than its next release: no layer's output carries a
    mask (the next release stops `RNN`, `Bidirectional` and
    `TimeDistributed` from passing one on; this stops every layer,
    `Embedding(mask_zero=True)` included). What works inside passes its
    masks explicitly."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keras.layers.Layer, "supports_masking", property(lambda self: False, lambda self, value: None))
        yield
