"""Decoding inside an exported SavedModel gives the tokens it gives in Python."""

import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.decoding import beam_search, greedy_search, sample
from keras_seq.layers import GRU, AttentionDecoderCell, GRUCell, LuongAttention

SRC_VOCAB, TGT_VOCAB, START, END = 15, 11, 2, 1


class TinyTranslator(tf.Module):
    """Encoder GRU + attention decoder cell, with decoding signatures."""

    def __init__(self):
        super().__init__()
        keras.utils.set_random_seed(0)
        self.src_embedding = keras.layers.Embedding(SRC_VOCAB, 8, mask_zero=True)
        self.encoder = GRU(12, return_sequences=True, return_state=True)
        self.tgt_embedding = keras.layers.Embedding(TGT_VOCAB, 8)
        self.cell = AttentionDecoderCell(GRUCell(12), LuongAttention("general"))
        self.project = keras.layers.Dense(TGT_VOCAB, kernel_initializer=keras.initializers.RandomNormal(stddev=2.0))
        self.cell.build((None, 8), (None, None, 12))
        self.seed = keras.random.SeedGenerator(5)
        self.seed_state = self.seed.state  # tracked, so that the export saves it

    def encode(self, src):
        x = self.src_embedding(src)  # (B, Ts, 8)
        memory, h = self.encoder(x)
        mask = src != 0
        return self.cell.prepare_memory(memory, mask), self.cell.complete_state([h])

    def step(self, tokens, state, memory):
        out, state = self.cell(self.tgt_embedding(tokens), state, memory=memory)
        attentional, _ = self.cell.split_output(out)
        return self.project(attentional), state

    def start(self, src):
        return tf.fill([tf.shape(src)[0]], START)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([], tf.int32)])
    def greedy(self, src, max_length):
        memory, state = self.encode(src)
        return greedy_search(self.step, state, self.start(src), max_length, end_token=END, constants=memory)[0]

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([], tf.int32)])
    def beam(self, src, max_length):
        memory, state = self.encode(src)
        return beam_search(
            self.step,
            state,
            self.start(src),
            max_length,
            end_token=END,
            beam_width=3,
            length_penalty=0.6,
            constants=memory,
        )["tokens"]

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, None], tf.int32),
            tf.TensorSpec([], tf.int32),
            tf.TensorSpec([], tf.int32),
        ]
    )
    def sample_top_k(self, src, max_length, top_k):
        memory, state = self.encode(src)
        return sample(
            self.step, state, self.start(src), max_length, end_token=END, top_k=top_k, seed=self.seed, constants=memory
        )[0]


SRC = np.array([[3, 4, 5, 6, 0, 0], [7, 8, 9, 10, 11, 12], [3, 3, 0, 0, 0, 0]], "int32")


def test_export_reload_gives_the_same_tokens(tmp_path):
    module = TinyTranslator()
    greedy_py = module.greedy(SRC, tf.constant(8)).numpy()
    beam_py = module.beam(SRC, tf.constant(8)).numpy()
    # eager (no tf.function) Python decoding agrees with the traced one
    memory, state = module.encode(SRC)
    eager = greedy_search(module.step, state, np.full(3, START, "int32"), 8, end_token=END, constants=memory)[0]
    np.testing.assert_array_equal(eager, greedy_py)
    np.testing.assert_array_equal(beam_py[:, 0].shape, greedy_py.shape)

    path = str(tmp_path / "translator")
    tf.saved_model.save(module, path)
    loaded = tf.saved_model.load(path)
    np.testing.assert_array_equal(loaded.greedy(SRC, tf.constant(8)).numpy(), greedy_py)
    np.testing.assert_array_equal(loaded.beam(SRC, tf.constant(8)).numpy(), beam_py)
    top1 = loaded.sample_top_k(SRC, tf.constant(8), tf.constant(1)).numpy()
    np.testing.assert_array_equal(top1, greedy_py)  # top-k 1 is greedy, inside the graph too


@pytest.mark.slow  # the applications' contract runs each app's decoding export in a fresh process
def test_export_decodes_in_a_fresh_process(tmp_path):
    module = TinyTranslator()
    beam_py = module.beam(SRC, tf.constant(8)).numpy()
    path = str(tmp_path / "translator")
    tf.saved_model.save(module, path)

    # a fresh process that never imports keras_seq
    script = (
        "import sys, numpy as np, tensorflow as tf\n"
        f"m = tf.saved_model.load({path!r})\n"
        f"src = np.array({SRC.tolist()}, 'int32')\n"
        "print(m.beam(src, tf.constant(8)).numpy().tolist())\n"
        "assert 'keras_seq' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert eval(result.stdout.strip().splitlines()[-1]) == beam_py.tolist()
