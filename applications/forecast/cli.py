"""`keras-seq forecast <action>`: the shared actions, `predict` and `plot`."""

import json

from keras_seq.applications import flags
from keras_seq.applications.cli import AppCommand
from keras_seq.applications.forecast.config import ForecasterConfig


class ForecastCommand(AppCommand):
    """`keras-seq forecast`: the shared actions, `predict` (the steps after
    the end of a CSV, as CSV or JSON) and `plot` (a PNG of a forecast).

    Examples:
        >>> keras-seq forecast train --data prices.csv --target close --horizon 20 --lookback 120 --segment-length 20
        >>> keras-seq forecast predict --data prices.csv --output next.csv
    """

    help = "forecaster: the next steps of numeric series, beside the baselines; a segment RNN"
    description = (
        "Forecaster (windows of a series -> segments -> our GRU/LSTM -> every future segment at once), "
        "measured beside repeating the last value, the seasonal naive forecast and a linear model."
    )
    config_class = ForecasterConfig
    data_help = (
        "a CSV with a time column and numeric columns, or 'embedded' for the offline default (weekly CO2 at Mauna "
        "Loa), embedded:sunspots, embedded:sp500 (daily S&P 500 closes; needs the arch package)"
    )
    data_sources = False  # no tfds names: data_help says all
    task = "keras_seq.applications.forecast.task:Forecaster"
    tune_flags = ("lookback", "horizon", "target", "protocol")

    def add_actions(self, actions):
        predict = self._action(actions, "predict", "forecast the steps after the end of --data", self.run_predict)
        flags.add_data(predict, self.data_help, sources=self.data_sources)
        flags.add_model_dir(predict, self.name)
        predict.add_argument("--output", default=None, help="also write FILE.csv or FILE.json")
        plot = self.add_plot(
            actions,
            "a PNG of the history, the forecast, its interval and the truth",
            output="forecast.png",
        )
        flags.add_data(plot, self.data_help, sources=self.data_sources)
        plot.add_argument(
            "--split",
            choices=("validation", "test", "future"),
            default="test",
            help="the last window of this part, with its truth, or the steps after the data (default: %(default)s)",
        )

    def after_train(self, task, history):
        metrics = task.evaluate(history.validation_examples)
        print(task.describe(metrics))

    def run_predict(self, args):
        from keras_seq.applications.forecast.files import write_forecasts

        results = self.load(args).predict_next(args.data)
        for item in results:
            name = f" ({item['series']})" if item["series"] else ""
            print(f"next {len(item['times'])} steps{name}: " + ", ".join(item["columns"]))
            for time, row in list(zip(item["times"], item["forecast"]))[:10]:
                print(f"  {time}  " + "  ".join(f"{v:.6g}" for v in row))
            if len(item["times"]) > 10:
                print(f"  ... {len(item['times']) - 10} more")
        if args.output:
            write_forecasts(results, args.output)
            print(f"forecasts written to {args.output}")
        print(json.dumps({"forecasts": results}))

    def run_plot(self, args):
        self.load(args).plot(args.data, args.output, split=args.split)
        print(f"forecast written to {args.output}")


COMMAND = ForecastCommand()
