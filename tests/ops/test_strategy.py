"""The sequence kernels (XLA-compiled, hand-written gradients) under
`tf.distribute.MirroredStrategy`: the same training as on one device."""

import json
import subprocess
import sys

import pytest

SCRIPT = r"""
import json
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras
from keras_seq.layers import GRU, LSTM, NTM, SimpleRNN

x = np.random.default_rng(0).normal(size=(16, 7, 5)).astype("float32")
y = np.random.default_rng(1).normal(size=(16, 7, 4)).astype("float32")
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])  # one per process


def make(layer):
    keras.utils.set_random_seed(0)  # before the layer exists: initializers draw their seeds when made
    inputs = keras.Input((None, 5))
    model = keras.Model(inputs, keras.layers.Dense(4)(layer()(inputs)))
    model.compile(keras.optimizers.Adam(1e-2), "mse")
    return model


layers = {
    "lstm": lambda: LSTM(8, return_sequences=True, fused=True),
    "gru": lambda: GRU(8, return_sequences=True, fused=True),
    "simple_rnn": lambda: SimpleRNN(8, return_sequences=True, fused=True),
    "ntm": lambda: NTM(8, 10, 4, return_sequences=True, fused=True),
}
result = {}
for name, layer in layers.items():
    single = make(layer)
    losses = single.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]
    with strategy.scope():
        mirrored = make(layer)
    mirrored_losses = mirrored.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]
    result[name] = {
        "replicas": strategy.num_replicas_in_sync,
        "loss_gap": max(abs(a - b) for a, b in zip(losses, mirrored_losses)),
        "weight_gap": float(max(np.abs(a - b).max() for a, b in zip(single.get_weights(), mirrored.get_weights()))),
    }
print(json.dumps(result))
"""


# about 30 s; the default run keeps the applications' mirrored test, which trains through these kernels
@pytest.mark.slow
def test_kernels_train_the_same_under_mirrored_strategy():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"lstm", "gru", "simple_rnn", "ntm"}
    for name, gaps in result.items():
        assert gaps["replicas"] == 2
        assert gaps["loss_gap"] < 1e-5 and gaps["weight_gap"] < 1e-5, (name, gaps)
