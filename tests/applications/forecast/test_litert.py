"""`keras-seq forecast export --format litert`: a window in, the forecast out, built-in ops only."""

import json
import subprocess
import sys

import numpy as np

from tests.applications.forecast.conftest import hourly_rows
from tests.applications.shared import run_cli

# a process without keras_seq or Keras runs the model on one window
ON_DEVICE = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, window = sys.argv[1], np.array(json.loads(sys.argv[2]), np.float32)
run = Interpreter(model_path=folder + "/model.tflite").get_signature_runner()
out = run(history=window[None])["forecast"][0]
keras = any(m.split(".")[0] in ("keras", "keras_seq") for m in sys.modules)
print(json.dumps({"forecast": out.tolist(), "keras": keras}))
"""


def test_the_litert_model_forecasts_as_the_forecaster_does(trained_forecaster, tmp_path, capsys):
    forecaster, _, model_dir = trained_forecaster
    folder = tmp_path / "litert"
    code, out, _ = run_cli(
        capsys, "forecast", "export", "--model-dir", str(model_dir), "--export-dir", str(folder), "--format", "litert"
    )
    assert code == 0 and "WHILE" in out and "Flex" not in out, out  # the GRU as a loop of built-in ops
    about = json.loads((folder / "forecaster.json").read_text(encoding="utf-8"))
    assert (about["lookback"], about["horizon"], about["columns"]) == (48, 12, ["load", "temperature"])

    _, values = hourly_rows(100, seed=3)
    windows = [values[start : start + 48].astype("float32") for start in (0, 30)]
    expected = forecaster.forecast(np.stack(windows))  # (2, 12, 2), raw values
    run = subprocess.run(
        [sys.executable, "-c", ON_DEVICE, str(folder), json.dumps(windows[1].tolist())], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    device = json.loads(run.stdout.strip().splitlines()[-1])
    assert device["keras"] is False
    np.testing.assert_allclose(device["forecast"], expected[1], rtol=1e-4, atol=1e-3)
