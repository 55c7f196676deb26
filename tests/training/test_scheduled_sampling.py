import keras
import numpy as np
import pytest

from keras_seq.layers import ScheduledSampler
from keras_seq.training import ScheduledSampling


def test_schedules():
    linear = ScheduledSampling("linear", rate=0.1, max_probability=0.25)
    assert [round(linear.probability(e), 6) for e in range(5)] == [0.0, 0.1, 0.2, 0.25, 0.25]
    sigmoid = ScheduledSampling("inverse_sigmoid", rate=5, max_probability=1.0)
    values = [sigmoid.probability(e) for e in range(0, 40, 5)]
    assert values == sorted(values) and values[0] < 0.2 and values[-1] > 0.9
    expo = ScheduledSampling("exponential", rate=0.5, max_probability=1.0)
    assert expo.probability(1) == pytest.approx(0.5) and expo.probability(3) == pytest.approx(0.875)
    assert ScheduledSampling(lambda e: 0.1 * e, max_probability=0.3).probability(10) == 0.3


def test_callback_raises_the_probability_during_fit():
    tokens = keras.Input((4,), dtype="int32")
    embed, dense = keras.layers.Embedding(6, 4), keras.layers.Dense(6)
    sampler = ScheduledSampler(seed=0)
    first = dense(embed(tokens))
    model = keras.Model(tokens, dense(embed(sampler(tokens, first))))
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    callback = ScheduledSampling("linear", rate=0.1, max_probability=0.25)
    x = np.ones((8, 4), "int32")
    model.fit(x, x, epochs=4, verbose=0, callbacks=[callback])
    assert callback.history == pytest.approx([0.0, 0.1, 0.2, 0.25])
    assert float(sampler.probability.numpy()) == pytest.approx(0.25)


def test_bad_arguments_and_missing_sampler():
    with pytest.raises(ValueError, match="schedule"):
        ScheduledSampling("cosine")
    with pytest.raises(ValueError, match="rate"):
        ScheduledSampling("exponential", rate=2)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="no ScheduledSampler"):
        model.fit(np.ones((2, 2)), np.ones((2, 1)), epochs=1, verbose=0, callbacks=[ScheduledSampling()])
