"""Small step functions for the decoding tests."""

import keras
import numpy as np
from keras import ops

from keras_seq.layers import GRUCell

VOCAB, END = 12, 1


class TinyLM:
    """Embedding -> GRUCell -> Dense with random weights: `step_fn(tokens, state)`."""

    def __init__(self, seed=0, units=16, vocab=VOCAB, sharpness=3.0):
        keras.utils.set_random_seed(seed)
        self.embedding = keras.layers.Embedding(vocab, 8)
        self.cell = GRUCell(units)
        self.dense = keras.layers.Dense(vocab, kernel_initializer=keras.initializers.RandomNormal(stddev=sharpness))
        self.units = units
        self.step(np.zeros((1,), "int32"), [ops.zeros((1, units))])

    def step(self, tokens, state):
        h, state = self.cell(self.embedding(tokens), state)
        return self.dense(h), state

    def initial_state(self, batch):
        return [ops.zeros((batch, self.units))]

    def log_prob(self, start, tokens, length):
        """Sum of log-probabilities of `tokens[:length]` after `start`, teacher forced."""
        state = self.initial_state(1)
        prev = np.array([start], "int32")
        total = 0.0
        for t in range(length):
            logits, state = self.step(prev, state)
            logp = ops.convert_to_numpy(ops.log_softmax(logits, axis=-1))[0]
            total += float(logp[tokens[t]])
            prev = np.array([tokens[t]], "int32")
        return total


def trap_table():
    """Transition table where greedy search misses the most likely output.

    From the start token 0: A (2) has p=0.5, B (3) has 0.4. After A the
    next token is spread over six fillers (p=1/6 each, so A-filler-end has
    p=0.083); after B the end token has p=0.9 (B-end: p=0.36). Greedy takes
    A; beam search finds B-end.
    """
    p = np.full((10, 10), 1e-6)
    p[0, 2], p[0, 3], p[0, 1] = 0.5, 0.4, 0.1
    p[2, 4:] = 1 / 6
    p[3, 1], p[3, 4] = 0.9, 0.1
    p[4:, 1] = 1.0
    p[1, 1] = 1.0
    return np.log(p / p.sum(1, keepdims=True)).astype("float32")


def table_step(table):
    def step(tokens, state):
        return ops.take(table, tokens, axis=0), state

    return step
