"""`keras-seq forecast export --format litert`: a window in, the forecast out, built-in ops only."""

import json

import numpy as np

from tests.applications.forecast.conftest import hourly_rows
from tests.applications.shared import litert_exported, on_device

# a process without keras_seq or Keras runs the model on one window
ON_DEVICE = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, window = sys.argv[1], np.array(json.loads(sys.argv[2]), np.float32)
run = Interpreter(model_path=folder + "/model.tflite").get_signature_runner()
out = run(history=window[None])["forecast"][0]
print(json.dumps({"forecast": out.tolist()}))
"""


def test_the_litert_model_forecasts_as_the_forecaster_does(trained_forecaster, tmp_path, capsys):
    forecaster, _, model_dir = trained_forecaster
    folder = tmp_path / "litert"
    assert "WHILE" in litert_exported(capsys, "forecast", model_dir, folder)  # the GRU as a loop of built-in ops
    about = json.loads((folder / "forecaster.json").read_text(encoding="utf-8"))
    assert (about["lookback"], about["horizon"], about["columns"]) == (48, 12, ["load", "temperature"])

    _, values = hourly_rows(100, seed=3)
    windows = [values[start : start + 48].astype("float32") for start in (0, 30)]
    expected = forecaster.forecast(np.stack(windows))  # (2, 12, 2), raw values
    device = on_device(ON_DEVICE, folder, json.dumps(windows[1].tolist()))
    np.testing.assert_allclose(device["forecast"], expected[1], rtol=1e-4, atol=1e-3)


def test_an_lstm_forecaster_becomes_fused_lstm_ops_with_its_forecasts(hourly_csv, tmp_path):
    import dataclasses

    from ai_edge_litert.interpreter import Interpreter

    from keras_seq.applications.forecast import train
    from keras_seq.applications.forecast.litert import ForecasterLiteRT
    from keras_seq.export.litert import FUSED_LSTM
    from tests.applications.forecast.conftest import SMALL

    config = dataclasses.replace(SMALL, cell="lstm", epochs=1)
    forecaster, _ = train(config, data=str(hourly_csv), model_dir=str(tmp_path / "model"), verbose=0)
    ops = ForecasterLiteRT(forecaster).write(str(tmp_path / "lstm.tflite"))
    assert FUSED_LSTM in ops and "WHILE" not in ops and not [op for op in ops if op.startswith("Flex")], ops
    run = Interpreter(model_path=str(tmp_path / "lstm.tflite")).get_signature_runner()
    _, values = hourly_rows(100, seed=4)
    window = values[10:58].astype("float32")
    np.testing.assert_allclose(run(history=window[None])["forecast"], forecaster.forecast(window[None]), atol=1e-3)
