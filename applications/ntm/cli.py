"""`keras-seq ntm <action>`: the shared actions, `evaluate --length/--items`, and `plot`."""

import os

from keras_seq.applications.cli import AppCommand
from keras_seq.applications.ntm.config import NTMEvaluateOptions, NTMTaskConfig


class NTMCommand(AppCommand):
    """`keras-seq ntm`: the shared actions on a generated task (copy,
    repeat copy, associative recall, priority sort) and `plot` (the
    memory's read and write weightings over one example, PNG).

    Examples:
        >>> keras-seq ntm train --task copy --time-budget 600
        >>> keras-seq ntm plot --output copy.png
    """

    help = "Neural Turing Machine tasks: copy, repeat copy, associative recall, priority sort"
    description = (
        "Neural Turing Machine (our NTM layer) or an LSTM baseline on the algorithmic tasks of Graves et "
        "al. (2014); the data is generated."
    )
    config_class = NTMTaskConfig
    evaluate_options = NTMEvaluateOptions
    data_help = "nothing to read: the tasks generate their data; 'embedded' is the only source"
    data_sources = False
    task = "keras_seq.applications.ntm.task:NTMTask"
    tune_flags = ("task", "model", "memory_size", "max_size", "steps_per_epoch", "jit_compile")

    def add_actions(self, actions):
        plot = self.add_plot(
            actions,
            "heat maps of one sequence: input, target, output, read and write weightings (PNG)",
            output=None,
            output_help="the PNG (default: MODEL_DIR/plot.png)",
        )
        self.add_evaluate_flags(plot, only=("length", "items"))
        plot.add_argument("--seed", type=int, default=0, help="seed of the sequence (default: %(default)s)")

    def run_plot(self, args):
        task = self.load(args)
        output = args.output or os.path.join(args.model_dir, "plot.png")
        path = task.plot(output, length=args.length, items=args.items, seed=args.seed)
        print(f"Wrote {path}")


COMMAND = NTMCommand()
