"""`keras-seq char-lm export --format litert`: one step per call, the LSTM as the fused op."""

import json

import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.char_lm import CharLM, CharLMConfig
from keras_seq.applications.char_lm.model import build_char_lm
from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.errors import UserInputError
from tests.applications.shared import litert_exported, on_device, refuses_each

PROMPT = "To be, or not"

# on a device (a process without keras_seq or Keras): the vocabulary file maps the prompt to ids, the interpreter
# steps through it, then greedy decoding continues for eight characters
ON_DEVICE = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, prompt = sys.argv[1], sys.argv[2]
chars = json.load(open(folder + "/vocabulary.json", encoding="utf-8"))["chars"]
ids = [chars.index(c) + 1 if c in chars else 0 for c in prompt]
step = Interpreter(model_path=folder + "/model.tflite").get_signature_runner("step")
for i in ids:
    logits = step(ids=np.array([i], np.int32))["logits"]
out = []
for _ in range(8):
    out.append(int(np.argmax(logits[0])))
    logits = step(ids=np.array([out[-1]], np.int32))["logits"]
print(json.dumps({"next": out}))
"""


def _keras_greedy(lm, prompt, count):
    """The ids greedy decoding picks after `prompt`, stepping the Keras model."""
    state = lm.initial_state(1)
    for i in lm.vocabulary.encode(prompt):
        logits, state = lm.step(tf.constant([i]), state)
    out = []
    for _ in range(count):
        out.append(int(np.argmax(logits.numpy()[0])))
        logits, state = lm.step(tf.constant([out[-1]]), state)
    return out


def test_the_step_model_steps_as_the_keras_model_does_and_runs_without_keras(trained, tmp_path, capsys):
    lm, _, model_dir = trained
    folder = tmp_path / "litert"
    assert "UNIDIRECTIONAL_SEQUENCE_LSTM" in litert_exported(capsys, "char-lm", model_dir, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["model.tflite", "vocabulary.json"]
    vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
    assert vocabulary["chars"] == list(lm.vocabulary.chars) and vocabulary["unknown_id"] == 0

    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(folder / "model.tflite"))
    step = interpreter.get_signature_runner("step")
    state = lm.initial_state(1)
    for i in lm.vocabulary.encode(PROMPT):  # the states carry over inside the interpreter, as in the Keras step
        expected, state = lm.step(tf.constant([i]), state)
        np.testing.assert_allclose(step(ids=np.array([i], np.int32))["logits"], expected.numpy(), atol=1e-4)
    interpreter.reset_all_variables()  # a new text starts from zero states
    first, _ = lm.step(tf.constant([lm.start_id]), lm.initial_state(1))
    np.testing.assert_allclose(step(ids=np.array([lm.start_id], np.int32))["logits"], first.numpy(), atol=1e-4)

    assert on_device(ON_DEVICE, folder, PROMPT) == {"next": _keras_greedy(lm, PROMPT, 8)}


def test_bad_litert_exports_are_one_line_and_write_nothing(trained, tmp_path, capsys):
    _, _, model_dir = trained
    export = ["char-lm", "export", "--model-dir", str(model_dir), "--export-dir"]
    refuses_each(
        capsys,
        tmp_path,
        [
            ([*export, "{dir}/x", "--format", "onnx"], "unknown export format 'onnx'"),
            ([*export, "{dir}/x", "--format", "litert", "--quantize", "int4"], "unknown quantization"),
            ([*export, "{dir}/missing/x", "--format", "litert"], "no folder"),
        ],
    )


def test_a_gru_char_lm_steps_with_its_states_in_and_out_and_the_ntm_is_refused(tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    vocabulary = CharVocabulary(list("abc "))
    lm = CharLM(build_char_lm(CharLMConfig(cell="gru", units=6, embedding_dim=3, layers=2), vocabulary))
    lm.export(str(tmp_path / "gru"), format="litert")
    step = Interpreter(model_path=str(tmp_path / "gru" / "model.tflite")).get_signature_runner("step")
    state = lm.initial_state(1)
    device = {"state_0": np.zeros((1, 6), np.float32), "state_1": np.zeros((1, 6), np.float32)}
    for i in lm.vocabulary.encode("ab cab"):
        expected, state = lm.step(tf.constant([i]), state)
        device = step(ids=np.array([i], np.int32), state_0=device["state_0"], state_1=device["state_1"])
        np.testing.assert_allclose(device["logits"], expected.numpy(), atol=1e-5)
        np.testing.assert_allclose(device["state_1"], state[1][0].numpy(), atol=1e-5)
    ntm = CharLM(build_char_lm(CharLMConfig(cell="ntm", units=4, embedding_dim=2, dropout=0.0), vocabulary))
    with pytest.raises(UserInputError, match="--cell lstm"):
        ntm.export(str(tmp_path / "x"), format="litert")
    assert not (tmp_path / "x").exists()
