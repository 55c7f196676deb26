"""`keras-seq ntm export --format litert`: bits in, bits out, the memory loop in built-in ops."""

import json

import numpy as np

from keras_seq.applications.ntm.data import generate
from tests.applications.shared import litert_exported, on_device

# on a device (a process without keras_seq or Keras): the model on one padded sequence
ON_DEVICE = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, bits = sys.argv[1], np.array(json.loads(sys.argv[2]), np.float32)
out = Interpreter(model_path=folder + "/model.tflite").get_signature_runner()(bits=bits[None])
print(json.dumps({"probabilities": out["probabilities"][0].tolist()}))
"""


def test_the_litert_model_gives_the_tasks_outputs_on_a_padded_sequence(trained, tmp_path, capsys):
    task, _, model_dir = trained
    folder = tmp_path / "litert"
    assert "WHILE" in litert_exported(capsys, "ntm", model_dir, folder)
    about = json.loads((folder / "ntm.json").read_text(encoding="utf-8"))
    steps = about["steps"]
    inputs, *_ = generate("copy", np.random.default_rng(5), 1, 3)  # shorter than the trained size (4)
    length = inputs.shape[1]
    padded = np.zeros((steps, about["input_bits"]), np.float32)
    padded[:length] = inputs[0]
    expected = 1 / (1 + np.exp(-np.asarray(task.model(inputs.astype("float32")))[0]))  # (length, output_bits)
    device = on_device(ON_DEVICE, folder, json.dumps(padded.tolist()))
    assert steps > length
    np.testing.assert_allclose(np.array(device["probabilities"])[:length], expected, atol=1e-4)
