"""The `keras-seq` command line: `keras-seq <app> <action>`.

The applications are found in one registry (`APPLICATIONS`); each one's
`cli.py` holds a `COMMAND`, an `AppCommand` that fills in the shared
actions (`train`, `evaluate`, `export`, `tune`) and adds its own verb. No
module imported before an action runs imports TensorFlow, so `--help`
answers at once, and TensorFlow's C++ log lines are kept off the terminal
unless `--verbose` (or the user's own `TF_CPP_MIN_LOG_LEVEL`) asks for them.
"""

import argparse
import importlib
import json
import os
import sys
import warnings

import keras_seq
from keras_seq.applications import default_model_dir, flags, import_object, startup
from keras_seq.applications.hypermodel import TUNERS
from keras_seq.errors import TrainingInterrupted, UserInputError

APPLICATIONS = {
    # command -> package of keras_seq.applications whose cli.py has COMMAND
    "char-lm": "char_lm",
    "sentiment": "sentiment",
    "translate": "translate",
    "ntm": "ntm",
    "caption": "caption",
    "tag": "tag",
    "forecast": "forecast",
}


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (and exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class AppCommand:
    """One application's `keras-seq <app>` command.

    Subclasses set the class attributes and may add flags or actions; the
    shared actions call the application's `Task` subclass, imported only
    when an action runs.

    Attributes:
        help, description: for `--help`.
        config_class: the config dataclass; its fields become `train` flags,
            and its `app` is the command (`"char-lm"`, also `name`).
        data_options: a dataclass of data options (columns, languages)
            whose fields become flags of every action that reads `--data`,
            or None.
        evaluate_options: a dataclass whose fields become flags of
            `evaluate` and keyword arguments of `Task.evaluate` (decoding
            settings, sizes), or None.
        data_help: what `--data` accepts.
        data_sources: whether `--data` also takes tfds names and
            `embedded` (False: `data_help` says all).
        task: `"module:Class"` of the application's `Task` subclass.
    """

    name = None
    help = None
    description = None
    config_class = None
    data_options = None
    evaluate_options = None
    data_help = None
    data_sources = True  # whether --data takes files and tfds names (False: the application generates its data)
    task = None
    tune_flags = ()  # config fields that `tune` takes as flags besides epochs, batch size, split and seed
    aliases = ()  # other names of the command

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.config_class is not None:
            cls.name = cls.config_class.app

    def task_class(self):
        return import_object(self.task)

    # ---------------------------------------------------------------- parser
    def add_parser(self, commands):
        app = commands.add_parser(self.name, aliases=list(self.aliases), help=self.help, description=self.description)
        actions = app.add_subparsers(dest="action", metavar="<action>", required=True)

        train = self._action(actions, "train", "train on --data and save to --model-dir", self.run_train)
        train.set_defaults(start_runtime=startup.start_training_runtime)
        self.add_data_flags(train)
        self.config_class.add_flags(train)
        flags.add_run(train)
        flags.add_checkpoint(train)
        flags.add_strategy(train)

        evaluate = self._action(
            actions, "evaluate", "measure the trained model on --data; JSON last line", self.run_evaluate
        )
        self.add_data_flags(evaluate, validation_split=True)
        flags.add_split(evaluate)
        self.add_evaluate_flags(evaluate)

        export = self._action(
            actions, "export", "write a SavedModel that takes raw input, or a LiteRT model for devices", self.run_export
        )
        flags.add_model_dir(export, self.name)
        export.add_argument("--export-dir", default=None, help="default: MODEL_DIR/export, or MODEL_DIR/litert")
        export.add_argument(
            "--format",
            default="saved_model",
            help="saved_model (default), or litert: model.tflite with built-in ops only, where the application has one",
        )
        export.add_argument(
            "--quantize", default="none", help="LiteRT weights: none (default), float16 or dynamic (int8 weights)"
        )

        tune = self._action(
            actions, "tune", "keras-tuner search around the defaults, through the same builder", self.run_tune
        )
        self.add_data_flags(tune)
        self.config_class.add_flags(tune, only=("epochs", "batch_size", "validation_split", "seed") + self.tune_flags)
        tune.add_argument(
            "--tuner", choices=TUNERS, default="random", help="keras-tuner's search (default: %(default)s)"
        )
        tune.add_argument(
            "--max-trials",
            type=flags.positive_int,
            default=6,
            help="trials in all, an interrupted search's included (default: %(default)s)",
        )
        tune.add_argument(
            "--trial-budget", type=flags.positive_float, default=None, help="seconds of training per trial"
        )
        tune.add_argument(
            "--overwrite",
            action="store_true",
            help="delete the trials of an earlier search in --model-dir and start afresh",
        )
        flags.add_run(
            tune, budget_help="seconds for the whole search: no trial starts after it, and the one in progress stops"
        )

        self.add_actions(actions)
        return app

    def _action(self, actions, name, text, run):
        parser = actions.add_parser(name, help=text, description=text)
        parser.add_argument("--verbose", action="store_true", help="also show TensorFlow's own log lines")
        parser.set_defaults(run=run)
        return parser

    def add_data_flags(self, parser, validation_split=False):
        """`--data`, `--model-dir` and the data options; with
        `validation_split`, a `--validation-split` that defaults to the
        model's own (`train` takes it from the config's flags)."""
        flags.add_data(parser, self.data_help, sources=self.data_sources)
        flags.add_model_dir(parser, self.name)
        if validation_split:
            parser.add_argument(
                "--validation-split",
                type=flags.fraction,
                default=None,
                help="the part of --data held out for validation (default: the model's own)",
            )
        if self.data_options is not None:
            self.data_options.add_flags(parser)

    def add_evaluate_flags(self, parser, only=None):
        """The `evaluate_options` flags (of `evaluate`, and of the verbs that take them)."""
        if self.evaluate_options is not None:
            self.evaluate_options.add_flags(parser, only=only)

    def evaluate_kwargs(self, args):
        return self.evaluate_options.from_args(args).to_dict() if self.evaluate_options is not None else {}

    def add_actions(self, actions):
        """The application's own actions (its verb, `plot`)."""

    def add_predict(self, actions, text, noun):
        """A `predict` action (of `run_predict`) whose inputs, each a `noun`,
        come from the command line or from `--input`, one a line; its
        `run_predict` reads them with `predict_inputs`."""
        predict = self._action(actions, "predict", text, self.run_predict)
        flags.add_model_dir(predict, self.name)
        predict.add_argument("inputs", nargs="*", metavar=noun.upper(), help=f"the {noun}s (or --input)")
        predict.add_argument("--input", help=f"a file with one {noun} a line")
        predict.set_defaults(input_noun=noun)
        return predict

    def add_plot(self, actions, text, output="attention.png", output_help="the PNG (default: %(default)s)"):
        """A `plot` action (of `run_plot`) that reads the model directory
        and writes the picture to `--output`."""
        plot = self._action(actions, "plot", text, self.run_plot)
        flags.add_model_dir(plot, self.name)
        plot.add_argument("--output", default=output, help=output_help)
        return plot

    def predict_inputs(self, args):
        return flags.read_inputs(args.inputs, args.input, args.input_noun)

    def data_kwargs(self, args):
        return self.data_options.from_args(args).to_dict() if self.data_options is not None else {}

    # --------------------------------------------------------------- actions
    def load(self, args):
        return self.task_class().load(args.model_dir)

    def run_kwargs(self, args):
        """What `train` and `tune` take alike from the flags: the data, the
        folder, the budget, the verbosity and the data options."""
        return {
            "data": args.data,
            "model_dir": args.model_dir,
            "time_budget": args.time_budget,
            "verbose": 0 if args.quiet else 1,
            **self.data_kwargs(args),
        }

    def run_train(self, args):
        from keras_seq.applications import training

        task, history = training.train(
            self.task_class(),
            self.config_class.from_args(args),
            callbacks=[] if args.quiet else self.train_callbacks(),
            strategy=args.strategy,
            cpu_replicas=args.cpu_replicas,
            checkpoint_every=args.checkpoint_every,
            **self.run_kwargs(args),
        )
        if not args.quiet:
            self.after_train(task, history)
        last = {k: round(float(v[-1]), 4) for k, v in history.history.items()}
        print(f"Saved to {args.model_dir} after {history.seconds:.0f} s.")
        print(
            json.dumps(
                {**last, "epochs": len(history.history.get("loss", [])), "train_seconds": round(history.seconds, 1)}
            )
        )

    def train_callbacks(self):
        """The callbacks that show a `train` from the command line how the
        model does (samples each epoch); not with `--quiet`."""
        return []

    def after_train(self, task, history):
        """Show something of the trained model (samples, translations); not
        with `--quiet`."""

    def run_evaluate(self, args):
        task = self.load(args)
        examples = task.evaluation_examples(args.data, args.split, args.validation_split, **self.data_kwargs(args))
        metrics = task.evaluate(examples, **self.evaluate_kwargs(args))
        print(f"{examples.description}, split {args.split}: {task.describe(metrics)}")
        print(json.dumps(metrics))

    def run_export(self, args):
        task = self.load(args)
        if args.format != "litert":
            export_dir = task.export(args.export_dir or os.path.join(args.model_dir, "export"), format=args.format)
            print(f"SavedModel written to {export_dir}; signatures: {', '.join(task.signatures)}")
            return
        export_dir = task.export(args.export_dir or os.path.join(args.model_dir, "litert"), "litert", args.quantize)
        from keras_seq.export.litert import op_names

        path = os.path.join(export_dir, "model.tflite")
        with open(path, "rb") as file:
            ops = op_names(file.read())
        beside = sorted(name for name in os.listdir(export_dir) if name != "model.tflite")
        print(f"LiteRT model written to {path} ({os.path.getsize(path):,} bytes; ops: {', '.join(ops)})")
        if beside:
            print(f"Beside it: {', '.join(beside)}")

    def run_tune(self, args):
        from keras_seq.applications import tuning

        task, rows = tuning.tune(
            self.task_class(),
            self.config_class.from_args(args),
            tuner=args.tuner,
            max_trials=args.max_trials,
            trial_budget=args.trial_budget,
            overwrite=args.overwrite,
            **self.run_kwargs(args),
        )
        if task is None:  # a worker of a distributed search
            print(json.dumps({"worker": os.environ.get("KERASTUNER_TUNER_ID"), "done": True}))
            return
        objective = self.task_class().objective
        print(f"Trials, best first:\n{tuning.format_trials(rows, objective)}")
        print(
            f"The best trial's model is in {args.model_dir}; `keras-seq {self.name} evaluate|export --model-dir "
            f"{args.model_dir}` use it."
        )
        best = {k: v for k, v in rows[0].items() if k not in ("trial", "status", "score")}
        print(
            json.dumps(
                {
                    "best_hyperparameters": best,
                    objective: rows[0]["score"],
                    "trials": len(rows),
                    "model_dir": args.model_dir,
                }
            )
        )


def build_parser():
    parser = Parser(
        prog="keras-seq",
        description="Recurrent sequence models for Keras 3: train, evaluate, generate and export ready-made "
        "applications.",
    )
    parser.add_argument("--version", action="version", version=f"keras-seq {keras_seq.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="<command>")

    quick = commands.add_parser(
        "quickstart",
        help="the demo: train the char LM on text shipped with Python, print samples, export it and generate from the "
        "export in a fresh process (no download)",
        description="Train the char LM (keras-seq char-lm) on Python's help topics "
        "for --time-budget seconds, print samples, export a SavedModel, reload "
        "it in a process that never imports keras_seq and generate from it.",
    )
    quick.add_argument(
        "--model-dir", default=default_model_dir("char-lm"), help="where the model and export go (default: %(default)s)"
    )
    quick.add_argument(
        "--time-budget", type=flags.positive_float, default=120.0, help="seconds of training (default: %(default)s)"
    )
    quick.add_argument("--units", type=flags.positive_int, default=256, help="LSTM units (default: %(default)s)")
    quick.add_argument("--batch-size", type=flags.positive_int, default=64, help="(default: %(default)s)")
    quick.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    quick.add_argument("--quiet", action="store_true", help="no progress bar")
    quick.add_argument("--verbose", action="store_true", help="also show TensorFlow's own log lines")
    quick.set_defaults(run=_run_quickstart)

    for package in APPLICATIONS.values():
        importlib.import_module(f"keras_seq.applications.{package}.cli").COMMAND.add_parser(commands)
    return parser


def _run_quickstart(args):
    from keras_seq.applications.char_lm import quickstart

    quickstart.run(
        args.model_dir,
        time_budget=args.time_budget,
        seed=args.seed,
        units=args.units,
        batch_size=args.batch_size,
        verbose=0 if args.quiet else 1,
    )


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        start = getattr(args, "start_runtime", None)
        startup.quiet_tensorflow(args.verbose, start=(lambda: start(args)) if start else None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                args.run(args)
            finally:
                startup.show_warnings(caught)
    except ValueError as error:  # bad input or a bad argument (UserInputError among them); --verbose shows where
        if getattr(args, "verbose", False) and not isinstance(error, UserInputError):
            raise
        print(
            f"keras-seq: error: {str(error).splitlines()[0] if str(error) else type(error).__name__}", file=sys.stderr
        )
        return 2
    except TrainingInterrupted as error:  # Ctrl-C in `train`, its checkpoint written
        print(f"keras-seq: {error}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("keras-seq: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
