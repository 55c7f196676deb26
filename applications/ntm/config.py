"""The NTM tasks' settings, with defaults (and, from them, their flags)."""

import dataclasses
import typing

from keras_seq.applications.config import AppConfig, field
from keras_seq.errors import UserInputError

TASKS = ("copy", "repeat-copy", "associative-recall", "priority-sort")
MODELS = ("ntm", "lstm")
CONTROLLERS = ("lstm", "feedforward")
OPTIMIZERS = ("adam", "rmsprop")

# the paper's sizes: the largest trained size, and the smallest the curriculum starts from
SIZES = {"copy": (20, 1), "repeat-copy": (10, 1), "associative-recall": (6, 2), "priority-sort": (20, 20)}
SIZE_NAMES = {"copy": "length", "repeat-copy": "length", "associative-recall": "items", "priority-sort": "items"}


def slots_needed(task, size):
    """Memory slots an NTM needs to hold a sequence of `size`: one per
    stored vector."""
    return size * 3 if task == "associative-recall" else size


@dataclasses.dataclass
class NTMTaskConfig(AppConfig):
    """Everything `build_ntm_task` and training need; saved with the model.

    Attributes:
        task: one of `TASKS`.
        model: `"ntm"`, or `"lstm"` for the baseline (one LSTM layer sized
            to about as many weights as the NTM).
        units: the controller's size.
        controller: the NTM's controller, `"lstm"` or `"feedforward"`.
        memory_size, memory_width: slots `N` and their width `M`.
        read_heads, write_heads, shift_range: see `keras_seq.layers.NTMCell`.
        max_size: the largest training size, a length (copy, repeat copy)
            or a number of items (associative recall, priority sort); 0
            takes the paper's (20, 10, 6 and 20).
        max_repeats: repeat copy's largest repeat count.
        curriculum: start with small sizes and let the largest grow. Off
            by default: on copy it slowed training (see docs/benchmarks.md).
        curriculum_steps: steps over which it grows to `max_size`.
        steps_per_epoch: training batches per epoch (they are generated).
        epochs, batch_size: as in Keras. The default batch of one sequence
            gives the most updates per second on a CPU; the updates, not the
            sequences, are what the tasks need.
        optimizer: `"rmsprop"` (momentum 0.9, value clipping; the default,
            with 1e-4 and clipping at 10, is Graves et al.'s recipe) or
            `"adam"` (global-norm clipping), with `learning_rate` and `clip`.
        validation_split: validation batches, as a part of
            `steps_per_epoch`, generated at the full size from their own
            seed, each of `EVALUATION_BATCH` (32) sequences.
        keep_best: save the weights of the epoch with the fewest validation
            bit errors rather than the last epoch's (a run can get worse
            late; see docs/benchmarks.md). A resumed run keeps the best since
            the resume.
        jit_compile: compile the training step with XLA.
        seed: seed of the weights and of the generated data.
    """

    app = "ntm"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 30
    noun = "NTM task model"

    task: str = field("copy", "the algorithmic task: copy, repeat-copy, associative-recall or priority-sort")
    model: str = field("ntm", "ntm, or lstm for the baseline of about as many weights", choices=MODELS)
    units: int = field(100, "size of the controller")
    controller: str = field("lstm", "the NTM's controller", choices=CONTROLLERS)
    memory_size: int = field(128, "memory slots N")
    memory_width: int = field(20, "width M of a memory slot")
    read_heads: int = field(1, "read heads")
    write_heads: int = field(1, "write heads")
    shift_range: int = field(1, "largest head shift per step", bound="non_negative")
    max_size: int = field(0, "largest training length or item count; 0: the paper's", bound="non_negative")
    max_repeats: int = field(10, "repeat copy's largest repeat count")
    curriculum: bool = field(False, "start small and grow the sizes up to --max-size (off: measured slower on copy)")
    curriculum_steps: int = field(4000, "steps over which the curriculum grows to --max-size")
    steps_per_epoch: int = field(1000, "generated training batches per epoch")
    epochs: typing.Optional[int] = field(
        None, "epochs of --steps-per-epoch batches; none: {default_epochs}, or until --time-budget runs out"
    )
    batch_size: int = field(1, "sequences per training batch (one: the most updates per second)")
    optimizer: str = field(
        "rmsprop", "rmsprop (momentum 0.9, value clipping) or adam (global-norm clipping)", choices=OPTIMIZERS
    )
    learning_rate: float = field(1e-4, "the optimizer's learning rate", bound="positive")
    clip: float = field(10.0, "gradient clipping: value (rmsprop) or global norm (adam); 0 disables")
    validation_split: float = field(0.05, "validation batches, as a part of --steps-per-epoch", bound="fraction")
    keep_best: bool = field(
        True, "save the weights of the epoch with the fewest validation bit errors, not the last epoch's"
    )
    jit_compile: bool = field(True, "compile the training step with XLA")
    seed: int = field(0, "seed of the weights and of the generated data", bound=None)

    @property
    def size(self):
        """The largest training size (`max_size`, or the task's own)."""
        return self.max_size or SIZES[self.task][0]

    def validate(self):
        """Raise `UserInputError` naming the first bad field."""
        if self.task not in TASKS:
            raise UserInputError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")
        self.check_fields()
        if 2 * self.shift_range + 1 > self.memory_size:
            raise UserInputError(
                f"shift_range {self.shift_range} is as large as the memory of {self.memory_size} slots (2 * "
                "shift_range + 1 must be <= memory_size)"
            )
        if self.task == "associative-recall" and 0 < self.max_size < 2:
            raise UserInputError(f"max_size must be 0 (the paper's) or a size the task allows; got {self.max_size!r}")
        self.check_capacity(self.size)
        return self

    def check_capacity(self, size, what="--max-size"):
        """`UserInputError` when an NTM's memory cannot hold a sequence of `size`."""
        needed = slots_needed(self.task, size)
        if self.model == "ntm" and needed > self.memory_size:
            raise UserInputError(
                f"{what} {size} needs {needed} memory slots for {self.task}, more than the memory's "
                f"{self.memory_size}; "
                "lower it or train with a larger --memory-size"
            )


@dataclasses.dataclass
class NTMEvaluateOptions(AppConfig):
    """The size `evaluate` and `plot` measure at (flags; None keeps the largest trained)."""

    length: typing.Optional[int] = field(None, "copy and repeat copy: the sequence length; none: the largest trained")
    items: typing.Optional[int] = field(None, "associative recall: the number of items; none: the largest trained")
    repeats: typing.Optional[int] = field(None, "repeat copy: the repeat count; none: drawn in 1..max-repeats")
