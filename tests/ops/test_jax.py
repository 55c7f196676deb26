"""The sequence kernels on the JAX backend (where their loops fall back to
`keras.ops.scan`): the same training as the cells step by step. Skipped
where JAX is not installed (it is not a dependency)."""

from tests.backends import run_on_jax

SCRIPT = r"""
import json
import numpy as np
import keras
from keras_seq.layers import GRU, LSTM, NTM, SimpleRNN

assert keras.backend.backend() == "jax"
x = np.random.default_rng(0).normal(size=(8, 7, 5)).astype("float32")
y = np.random.default_rng(1).normal(size=(8, 7, 4)).astype("float32")
layers = {
    "lstm": lambda fused: LSTM(8, return_sequences=True, fused=fused),
    "gru": lambda fused: GRU(8, return_sequences=True, fused=fused),
    "simple_rnn": lambda fused: SimpleRNN(8, return_sequences=True, fused=fused),
    "ntm": lambda fused: NTM(8, 10, 4, return_sequences=True, fused=fused),
}
gaps = {}
for name, layer in layers.items():
    weights = []
    for fused in (True, False):
        keras.utils.set_random_seed(0)
        inputs = keras.Input((None, 5))
        model = keras.Model(inputs, keras.layers.Dense(4)(layer(fused)(inputs)))
        model.compile(keras.optimizers.Adam(1e-2), "mse")
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        weights.append(model.get_weights())
    gaps[name] = float(max(np.abs(a - b).max() for a, b in zip(*weights)))
print(json.dumps(gaps))
"""


def test_kernels_train_on_jax_as_the_step_loop_does():
    gaps = run_on_jax(SCRIPT)
    assert set(gaps) == {"lstm", "gru", "simple_rnn", "ntm"}
    assert all(gap < 1e-5 for gap in gaps.values()), gaps
