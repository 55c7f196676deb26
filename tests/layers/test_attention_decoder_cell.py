import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.layers import (
    AttentionDecoder,
    AttentionDecoderCell,
    BahdanauAttention,
    GRUCell,
    LSTMCell,
    LuongAttention,
    SimpleRNNCell,
)
from tests.layer_checks import run_layer_test

RNG = np.random.default_rng(1)
TARGET = RNG.normal(size=(2, 7, 8)).astype("float32")
MEMORY = RNG.normal(size=(2, 5, 12)).astype("float32")
MEMORY_MASK = np.array([[True] * 3 + [False] * 2, [True] * 5])


def make_decoder(cell=None, attention=None, **kwargs):
    cell = cell or LSTMCell(16)
    attention = attention or BahdanauAttention(8)
    return AttentionDecoder(AttentionDecoderCell(cell, attention, **kwargs), return_state=True)


@pytest.mark.parametrize(
    "cell,attention",
    [
        (LSTMCell(16), BahdanauAttention(8)),
        (GRUCell(16), LuongAttention("general")),
        (SimpleRNNCell(16), LuongAttention("concat", units=6)),
    ],
    ids=["lstm-bahdanau", "gru-luong-general", "simple-luong-concat"],
)
def test_shapes_and_alignment_history(cell, attention):
    decoder = make_decoder(cell, attention)
    outputs, alignments, *states = decoder(TARGET, MEMORY, memory_mask=MEMORY_MASK)
    assert tuple(outputs.shape) == (2, 7, 16)
    assert tuple(alignments.shape) == (2, 7, 5)
    a = keras.ops.convert_to_numpy(alignments)
    np.testing.assert_allclose(a.sum(-1), 1.0, atol=1e-5)
    assert np.all(a[0, :, 3:] == 0.0)
    assert len(states) == len(decoder.cell.state_size)


@pytest.mark.parametrize("input_feeding", [True, False])
def test_layer_equals_step_by_step_decoding(input_feeding):
    decoder = make_decoder(input_feeding=input_feeding)
    outputs, alignments, *final = decoder(TARGET, MEMORY, memory_mask=MEMORY_MASK)
    cell = decoder.cell
    memory = cell.prepare_memory(MEMORY, MEMORY_MASK)
    states = cell.get_initial_state(batch_size=2)
    for t in range(TARGET.shape[1]):
        out, states = cell(TARGET[:, t], states, memory=memory)
        step_out, step_weights = cell.split_output(out)
        np.testing.assert_allclose(step_out, outputs[:, t], atol=1e-5)
        np.testing.assert_allclose(step_weights, alignments[:, t], atol=1e-5)
    for got, want in zip(states, final):
        np.testing.assert_allclose(got, want, atol=1e-5)


def test_input_feeding_changes_the_result():
    fed = make_decoder(input_feeding=True)
    fed(TARGET, MEMORY)
    assert fed.cell.cell.kernel.shape[0] == 8 + 16  # input plus a_{t-1}
    plain = make_decoder(input_feeding=False)
    plain(TARGET, MEMORY)
    assert plain.cell.cell.kernel.shape[0] == 8


def test_use_bias_adds_a_bias_to_the_attentional_output():
    plain = make_decoder(input_feeding=False)
    biased = make_decoder(input_feeding=False, use_bias=True)
    out_plain = plain(TARGET, MEMORY)[0]
    biased(TARGET, MEMORY)
    assert plain.cell.output_bias is None and tuple(biased.cell.output_bias.shape) == (16,)
    biased.cell.cell.set_weights(plain.cell.cell.get_weights())
    biased.cell.attention.set_weights(plain.cell.attention.get_weights())
    biased.cell.output_kernel.assign(plain.cell.output_kernel)
    np.testing.assert_allclose(biased(TARGET, MEMORY)[0], out_plain, atol=1e-6)
    biased.cell.output_bias.assign(np.full(16, 0.5, "float32"))
    pre = np.arctanh(np.clip(np.asarray(out_plain), -0.999999, 0.999999))
    np.testing.assert_allclose(np.asarray(biased(TARGET, MEMORY)[0]), np.tanh(pre + 0.5), atol=1e-3)
    config = biased.cell.get_config()
    assert config["use_bias"] is True
    assert AttentionDecoderCell.from_config(config).use_bias


def test_encoder_states_start_the_decoder():
    decoder = make_decoder()
    h = RNG.normal(size=(2, 16)).astype("float32")
    out_zero = decoder(TARGET, MEMORY)[0]
    out_encoder = decoder(TARGET, MEMORY, initial_state=[h, h])[0]  # completed with zeros
    assert not np.allclose(out_zero, out_encoder)


def test_target_mask_from_embedding_and_memory_mask_from_embedding():
    src = keras.Input((None,), dtype="int32")
    tgt = keras.Input((None,), dtype="int32")
    memory = keras.layers.Embedding(20, 12, mask_zero=True)(src)
    x = keras.layers.Embedding(20, 8, mask_zero=True)(tgt)
    outputs, alignments = AttentionDecoder(AttentionDecoderCell(GRUCell(16), LuongAttention("general")))(x, memory)
    model = keras.Model([src, tgt], [outputs, alignments])
    s = np.array([[1, 2, 3, 0, 0], [1, 2, 3, 4, 5]])
    t = np.array([[4, 5, 0], [4, 5, 6]])
    out, align = model.predict([s, t], verbose=0)
    assert np.all(align[0, :2, 3:] == 0.0)
    # a masked target step repeats the previous output, as keras.layers.RNN does
    np.testing.assert_allclose(out[0, 2], out[0, 1], atol=1e-6)


def test_outputs_carry_the_target_mask():
    # Keras calls compute_mask(sequences, their mask): the outputs and the
    # alignments must carry it, so that losses and later layers see it
    tokens = np.array([[4, 5, 0], [4, 5, 6]])
    x = keras.layers.Embedding(20, 8, mask_zero=True)(tokens)
    outputs, alignments = AttentionDecoder(AttentionDecoderCell(GRUCell(16), LuongAttention("general")))(x, MEMORY)
    for tensor in (outputs, alignments):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(tensor._keras_mask), tokens != 0)


def test_trains_and_round_trips(tmp_path):
    src = keras.Input((5, 12))
    tgt = keras.Input((7, 8))
    outputs, alignments = AttentionDecoder(AttentionDecoderCell(LSTMCell(16), BahdanauAttention(8, normalize=True)))(
        tgt, src
    )
    logits = keras.layers.Dense(4)(outputs)
    model = keras.Model([src, tgt], [logits, alignments])
    model.compile("adam", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), None])
    y = RNG.integers(0, 4, size=(2, 7))
    before = model.evaluate([MEMORY, TARGET], y, verbose=0)
    model.fit([MEMORY, TARGET], y, epochs=5, verbose=0)
    after = model.evaluate([MEMORY, TARGET], y, verbose=0)
    assert (after[0] if isinstance(after, list) else after) < (before[0] if isinstance(before, list) else before)
    path = str(tmp_path / "decoder.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    for got, want in zip(loaded.predict([MEMORY, TARGET], verbose=0), model.predict([MEMORY, TARGET], verbose=0)):
        np.testing.assert_allclose(got, want, atol=1e-5)
    cell = model.layers[-2].cell if isinstance(model.layers[-2], AttentionDecoder) else None
    config = AttentionDecoderCell(LSTMCell(4), LuongAttention()).get_config()
    clone = AttentionDecoderCell.from_config(config)
    assert clone.get_config() == config
    assert cell is None or cell.get_config()["input_feeding"] is True


def test_works_in_tf_function_and_xla():
    decoder = make_decoder()
    expected = decoder(TARGET, MEMORY)[0]
    compiled = tf.function(lambda a, b: decoder(a, b)[0], jit_compile=True)
    np.testing.assert_allclose(compiled(TARGET, MEMORY), expected, atol=1e-5)


def test_cell_without_memory_says_so():
    cell = AttentionDecoderCell(GRUCell(4), LuongAttention("general"))
    cell.build((2, 8), (2, 5, 12))
    with pytest.raises(ValueError, match="needs a memory"):
        cell(TARGET[:, 0], cell.get_initial_state(batch_size=2))


def test_bad_arguments():
    with pytest.raises(ValueError, match="attention"):
        AttentionDecoderCell(GRUCell(4), keras.layers.Dense(3))
    with pytest.raises(ValueError, match="AttentionDecoderCell"):
        AttentionDecoder(GRUCell(4))
    with pytest.raises(ValueError, match="memory of shape"):
        make_decoder()(TARGET, MEMORY[:, 0])


@pytest.mark.parametrize("input_feeding", [False, True])
def test_layer_checks(input_feeding, tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
    def kwargs():
        return {"cell": AttentionDecoderCell(GRUCell(8), BahdanauAttention(6), input_feeding=input_feeding)}

    run_layer_test(AttentionDecoder, kwargs, (TARGET, MEMORY), tmp_path, atol=1e-5)


def test_the_context_gate_scales_the_context_by_a_gate_of_the_state():
    plain = make_decoder(input_feeding=False)
    gated = make_decoder(input_feeding=False, context_gate=True)
    out_plain = plain(TARGET, MEMORY)[0]
    gated(TARGET, MEMORY)
    assert plain.cell.gate_kernel is None and tuple(gated.cell.gate_kernel.shape) == (16, 1)
    gated.cell.cell.set_weights(plain.cell.cell.get_weights())
    gated.cell.attention.set_weights(plain.cell.attention.get_weights())
    gated.cell.output_kernel.assign(plain.cell.output_kernel)
    gated.cell.gate_kernel.assign(np.zeros((16, 1), "float32"))
    gated.cell.gate_bias.assign(np.array([50.0], "float32"))  # gate 1: the plain cell
    np.testing.assert_allclose(gated(TARGET, MEMORY)[0], out_plain, atol=1e-5)
    gated.cell.gate_bias.assign(np.array([-50.0], "float32"))  # gate 0: no context at all
    closed = gated(TARGET, MEMORY)[0]
    other_memory = gated(TARGET, MEMORY * 3.0)[0]
    np.testing.assert_allclose(closed, other_memory, atol=1e-5)
    assert not np.allclose(closed, out_plain, atol=1e-3)
    config = gated.cell.get_config()
    assert config["context_gate"] is True and AttentionDecoderCell.from_config(config).context_gate


def test_layer_checks_with_the_context_gate(tmp_path):
    def kwargs():
        return {"cell": AttentionDecoderCell(GRUCell(8), BahdanauAttention(6), context_gate=True)}

    run_layer_test(AttentionDecoder, kwargs, (TARGET, MEMORY), tmp_path, atol=1e-5)
