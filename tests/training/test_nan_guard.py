import keras
import numpy as np

from keras_seq.training import NaNGuard


def test_a_nan_loss_stops_training_and_keeps_the_last_good_weights():
    x = np.ones((64, 3), "float32")
    y = np.ones((64, 1), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.01), "mse")
    messages = []
    guard = NaNGuard(print_fn=messages.append)
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[guard])
    good = [w.copy() for w in model.get_weights()]
    assert guard.stopped_at is None and not messages

    bad = x.copy()
    bad[40] = np.nan  # batch 3 of the next run
    model.fit(bad, y, batch_size=16, epochs=3, verbose=0, shuffle=False, callbacks=[guard])
    assert guard.stopped_at == (0, 2)
    assert len(messages) == 1 and "nan" in messages[0] and "last good epoch" in messages[0]
    for kept, before in zip(model.get_weights(), good):
        np.testing.assert_array_equal(kept, before)  # the weights at the start of this run (no epoch finished)
