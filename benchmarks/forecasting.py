"""Test MSE of the forecaster on ETTh2's standard protocol, beside every
baseline on the same windows and the plain Keras LSTM of the TensorFlow
tutorial, the same data and wall-clock budget, in one run.

The protocol (`protocol="ett"`): the first 12 months of hours train, the
next 4 validate, the next 4 test; each column standardized by the
training part's mean and deviation; all 7 columns forecast from all 7;
MSE and MAE on the standardized scale over every test window (stride 1,
none dropped; a test window's lookback reaches into validation).

- ours: `build_forecaster` with the app's defaults and `--lookback`
  (`--set FIELD=VALUE` to explore);
- keras: the same standardized windows -> `keras.layers.LSTM(64)` over
  the lookback -> `Dense(H*C)` -> `(H, C)`, the tutorial's multi-output
  model;
- the baselines of `Forecaster.evaluate`: repeat the last value, the
  seasonal naive forecast (24 hours), and a linear map from the lookback
  to the horizon fitted in closed form on the training windows.

Every model stops on its validation loss (ours: its validation MSE when
it trains on MAE, as the app does; `--patience` epochs without a gain,
the best epoch kept) or when the budget is spent.

    python benchmarks/forecasting.py [--horizons 96 192 336 720] [--seeds 0 1 2] [--budget 600]
    python benchmarks/forecasting.py --horizons 96 --seeds 0 --budget 120 --set units=128 segment_length=48
    python benchmarks/forecasting.py --data embedded:sp500 --lookback 60 --horizons 5 --set segment_length=5
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from overrides import parse_overrides  # noqa: E402

from keras_seq.applications import training  # noqa: E402
from keras_seq.applications.forecast import Forecaster, ForecasterConfig, build_forecaster  # noqa: E402
from keras_seq.training import BestWeights, TimeBudget  # noqa: E402
from keras_seq.training.forecast_scores import mae, mse  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ETTH2 = os.path.join(HERE, "..", "..", "shared", "data", "forecasting", "ETTh2.csv.gz")


def fit(model, prepared, budget, patience, monitor="val_loss"):
    """Train until the budget is spent or the patience runs out, keeping
    the best epoch by `monitor`; `(seconds, epochs, windows per second)`."""
    begin = time.perf_counter()
    callbacks = [TimeBudget(budget), BestWeights(monitor, mode="min", patience=patience)]
    history = model.fit(
        prepared.train, validation_data=prepared.validation, epochs=10_000, callbacks=callbacks, verbose=0
    )
    seconds = time.perf_counter() - begin
    windows = len(history.history["loss"]) * sum(int(y.shape[0]) for _, y in prepared.train)
    return seconds, len(history.history["loss"]), windows / seconds


def keras_peer(config, seed):
    """The TensorFlow tutorial's multi-output LSTM, on our standardization."""
    keras.utils.set_random_seed(seed)
    k, c = len(config.columns), len(config.target)
    history = keras.Input((config.lookback, k))
    variances = np.square(np.asarray(config.scales, "float32"))
    x = keras.layers.Normalization(axis=-1, mean=np.asarray(config.means, "float32"), variance=variances)(history)
    x = keras.layers.LSTM(64)(x)
    x = keras.layers.Dense(config.horizon * c)(x)
    model = keras.Model(history, keras.layers.Reshape((config.horizon, c))(x))
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    return model


def run(data, horizon, seed, args, overrides):
    protocol = {"protocol": "ett"} if data == ETTH2 or "ETT" in os.path.basename(data) else {}
    config = ForecasterConfig(lookback=args.lookback, horizon=horizon, seed=seed, **protocol, **overrides)
    prepared = training.prepare(Forecaster, config, data)
    task_config = prepared.config
    rows = {}
    # the builder's assets (the closed-form linear map the skip starts from), as the app's training passes them;
    # untrained without "ours": it still scores the baselines
    ours = Forecaster(build_forecaster(task_config, **prepared.assets))
    if "ours" in args.models:
        seconds, epochs, speed = fit(ours.model, prepared, args.budget, args.patience, task_config.monitor)
    test = ours.evaluation_examples(data, "test")
    begin = time.perf_counter()
    metrics = ours.evaluate(test)
    forecast_speed = metrics["windows"] / (time.perf_counter() - begin)
    if "ours" in args.models:
        rows["ours"] = {"mse": metrics["mse"], "mae": metrics["mae"], "epochs": epochs, "seconds": round(seconds)}
        rows["ours"].update(train_windows_per_s=round(speed), evaluate_windows_per_s=round(forecast_speed))
        if "coverage" in metrics:
            rows["ours"].update(coverage=metrics["coverage"], wql=metrics["weighted_quantile_loss"])
        rows["ours"].update(mase=metrics["mase"], smape=metrics["smape"])
    for name, scores in metrics["baselines"].items():
        rows[name] = {"mse": scores["mse"], "mae": scores["mae"], "mase": scores["mase"], "smape": scores["smape"]}
    if "keras" in args.models:
        peer = keras_peer(task_config, seed)
        seconds, epochs, speed = fit(peer, prepared, args.budget, args.patience)
        history, truth, *_ = test.windows(task_config.lookback, task_config.horizon)
        begin = time.perf_counter()
        predicted = peer.predict(history.astype("float32"), batch_size=512, verbose=0)
        forecast_speed = len(history) / (time.perf_counter() - begin)
        scaled = ours.scale_targets(truth)
        rows["keras"] = {"mse": round(mse(scaled, predicted), 6), "mae": round(mae(scaled, predicted), 6)}
        rows["keras"].update(epochs=epochs, seconds=round(seconds))
        rows["keras"].update(train_windows_per_s=round(speed), evaluate_windows_per_s=round(forecast_speed))
    return {"horizon": horizon, "seed": seed, "windows": metrics["windows"], **rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=ETTH2, help="ETTh2 (default), another CSV or embedded:NAME")
    parser.add_argument("--horizons", type=int, nargs="+", default=[96, 192, 336, 720])
    parser.add_argument("--lookback", type=int, default=336)
    parser.add_argument("--budget", type=float, default=600.0, help="training seconds per model")
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=["ours", "keras"])
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="override fields of ours' config")
    args = parser.parse_args()
    overrides = parse_overrides(args.set)
    print(json.dumps({"data": args.data, "lookback": args.lookback, "budget": args.budget, "set": overrides}))
    results = []
    for horizon in args.horizons:
        for seed in args.seeds:
            row = run(args.data, horizon, seed, args, overrides)
            results.append(row)
            print(json.dumps(row), flush=True)
    for horizon in args.horizons:
        rows = [r for r in results if r["horizon"] == horizon]
        med = {
            name: statistics.median(r[name]["mse"] for r in rows) for name in rows[0] if isinstance(rows[0][name], dict)
        }
        below = sum(r["ours"]["mse"] < r["linear"]["mse"] for r in rows) if "ours" in med and "linear" in med else None
        ours = med.get("ours")
        ratios = {f"ours/{name}": round(ours / v, 3) for name, v in med.items() if ours and name != "ours" and v}
        print(
            json.dumps(
                {
                    "horizon": horizon,
                    "median_mse": {k: round(v, 4) for k, v in med.items()},
                    "ratios": ratios,
                    "seeds_below_linear": f"{below}/{len(rows)}",
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
