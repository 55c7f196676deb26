"""`keras-seq ntm export --format litert`: bits in, bits out, the memory loop in built-in ops."""

import json
import subprocess
import sys

import numpy as np

from keras_seq.applications.ntm.data import generate
from tests.applications.shared import run_cli

# a process without keras_seq or Keras runs the model on one padded sequence
ON_DEVICE = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, bits = sys.argv[1], np.array(json.loads(sys.argv[2]), np.float32)
out = Interpreter(model_path=folder + "/model.tflite").get_signature_runner()(bits=bits[None])
keras = any(m.split(".")[0] in ("keras", "keras_seq") for m in sys.modules)
print(json.dumps({"probabilities": out["probabilities"][0].tolist(), "keras": keras}))
"""


def test_the_litert_model_gives_the_tasks_outputs_on_a_padded_sequence(trained, tmp_path, capsys):
    task, _, model_dir = trained
    folder = tmp_path / "litert"
    code, out, _ = run_cli(
        capsys, "ntm", "export", "--model-dir", str(model_dir), "--export-dir", str(folder), "--format", "litert"
    )
    assert code == 0 and "WHILE" in out and "Flex" not in out, out
    about = json.loads((folder / "ntm.json").read_text(encoding="utf-8"))
    steps = about["steps"]
    inputs, *_ = generate("copy", np.random.default_rng(5), 1, 3)  # shorter than the trained size (4)
    length = inputs.shape[1]
    padded = np.zeros((steps, about["input_bits"]), np.float32)
    padded[:length] = inputs[0]
    expected = 1 / (1 + np.exp(-np.asarray(task.model(inputs.astype("float32")))[0]))  # (length, output_bits)
    run = subprocess.run(
        [sys.executable, "-c", ON_DEVICE, str(folder), json.dumps(padded.tolist())], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    device = json.loads(run.stdout.strip().splitlines()[-1])
    assert device["keras"] is False and steps > length
    np.testing.assert_allclose(np.array(device["probabilities"])[:length], expected, atol=1e-4)
